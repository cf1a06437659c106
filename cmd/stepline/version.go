package main

import (
	"fmt"
	"io"
	"runtime/debug"
)

// buildVersion returns the module version and VCS commit the binary was built from,
// as the Go toolchain stamped them ("(devel)" and "unknown" when it did not).
func buildVersion() (version, commit string) {
	version, commit = "(devel)", "unknown"
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return version, commit
	}
	if v := info.Main.Version; v != "" {
		version = v
	}
	modified := false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			commit = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if modified && commit != "unknown" {
		commit += "-dirty"
	}
	return version, commit
}

func cmdVersion(stdout io.Writer) int {
	v, c := buildVersion()
	fmt.Fprintf(stdout, "stepline %s (commit %s)\n", v, c)
	return 0
}
