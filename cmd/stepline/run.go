package main

import (
	"context"
	"io"
)

// cmdRun implements `stepline run`. Placeholder: the runner's file replaces it.
func cmdRun(ctx context.Context, args []string, stdout, stderr io.Writer) int { return 2 }

// cmdValidate implements `stepline validate`. Placeholder.
func cmdValidate(ctx context.Context, args []string, stdout, stderr io.Writer) int { return 2 }
