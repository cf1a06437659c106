// Command stepline is the single binary: the server, the in-process runner and the
// definition validator. Placeholder: the command's files replace this one.
package main

import (
	"context"
	"os"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "run" {
		os.Exit(cmdRun(context.Background(), os.Args[2:], os.Stdout, os.Stderr))
	}
}
