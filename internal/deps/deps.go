//go:build tools

// Package deps pins the modules the project has chosen (DESIGN.md §5) so that
// `go mod tidy` keeps them while the packages that use them are being written.
// It is never built into the binary.
package deps

import (
	_ "github.com/aws/aws-sdk-go-v2/config"
	_ "github.com/aws/aws-sdk-go-v2/credentials"
	_ "github.com/aws/aws-sdk-go-v2/service/codecommit"
	_ "github.com/aws/aws-sdk-go-v2/service/codepipeline"
	_ "github.com/aws/aws-sdk-go-v2/service/s3"
	_ "github.com/aws/aws-sdk-go-v2/service/sfn"
	_ "github.com/chromedp/chromedp"
	_ "github.com/go-git/go-git/v5"
	_ "github.com/google/uuid"
	_ "github.com/jackc/pgx/v5/pgxpool"
	_ "github.com/ohler55/ojg/jp"
	_ "github.com/stretchr/testify/require"
	_ "modernc.org/sqlite"
)
