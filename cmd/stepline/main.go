// Command stepline is the single binary: the server (serve), the in-process runner
// (run), the definition validator (validate) and version.
package main

import (
	"context"
	"os"
)

func main() {
	os.Exit(dispatch(context.Background(), os.Args[1:], os.Stdout, os.Stderr, os.Getenv))
}
