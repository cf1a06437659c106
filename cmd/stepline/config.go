package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"stepline/objects"
	"stepline/sfn"
)

// Defaults of `stepline serve` (DESIGN.md §1).
const (
	ListenDefault  = "127.0.0.1:4566"
	DataDirDefault = "./stepline-data"
	AccountDefault = "000000000000"
	RegionDefault  = "us-east-1"
)

// Environment variables that stand in for serve's flags; a flag given on the command
// line wins over its variable.
const (
	EnvListen   = "STEPLINE_LISTEN"
	EnvDataDir  = "STEPLINE_DATA_DIR"
	EnvDatabase = "STEPLINE_DATABASE"
	EnvBlobDir  = "STEPLINE_BLOB_DIR"
	EnvGrace    = "STEPLINE_ORPHAN_GRACE"
	EnvGitCreds = "STEPLINE_GIT_CREDENTIALS"
	EnvMaxOpen  = "STEPLINE_MAX_OPEN_EXECUTIONS"
)

// Config is everything `stepline serve` is told. This file is the only reader of
// flags and environment variables.
type Config struct {
	Listen   string // host:port to listen on; port 0 picks a free one
	DataDir  string // the SQLite database, object blobs and git repositories
	Database string // postgres:// URL; empty means SQLite under DataDir
	// BlobDir holds object blobs (BlobDir/blobs) and git repositories
	// (BlobDir/repos); empty means DataDir. With PostgreSQL every node names the
	// same shared directory.
	BlobDir string
	// OrphanGrace is how old an unnamed blob must be before a PostgreSQL node
	// deletes it, so another node's upload in flight is never taken; 0 means
	// objects.OrphanGraceDefault.
	OrphanGrace time.Duration
	// GitCredentials is a file of username:password lines, the only Git
	// credentials git smart HTTP accepts; empty accepts any.
	GitCredentials string
	Account        string // default account id of requests
	Region         string // default region of requests without a SigV4 scope
	// MaxOpenExecutions is the quota of open Standard executions per account and
	// region; past it StartExecution answers ExecutionLimitExceeded.
	MaxOpenExecutions int64
}

// errHelp is returned when --help was asked for; usage has been printed.
var errHelp = flag.ErrHelp

// ParseServeConfig reads serve's flags from args and, for flags not given, the
// environment through getenv. Usage goes to stderr on --help or a bad flag.
func ParseServeConfig(args []string, getenv func(string) string, stderr io.Writer) (Config, error) {
	c := Config{Listen: ListenDefault, DataDir: DataDirDefault, Account: AccountDefault, Region: RegionDefault,
		MaxOpenExecutions: sfn.DefaultMaxOpenExecutions}
	if v := getenv(EnvListen); v != "" {
		c.Listen = v
	}
	if v := getenv(EnvDataDir); v != "" {
		c.DataDir = v
	}
	c.Database = getenv(EnvDatabase)
	c.BlobDir = getenv(EnvBlobDir)
	c.GitCredentials = getenv(EnvGitCreds)
	if v := getenv(EnvGrace); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			return c, fmt.Errorf("%s %q: %w", EnvGrace, v, err)
		}
		c.OrphanGrace = d
	}
	if v := getenv(EnvMaxOpen); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return c, fmt.Errorf("%s %q: not a whole number", EnvMaxOpen, v)
		}
		c.MaxOpenExecutions = n
	}

	fs := flag.NewFlagSet("stepline serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.Listen, "listen", c.Listen, "address to serve every API and the console on (env "+EnvListen+")")
	fs.StringVar(&c.DataDir, "data-dir", c.DataDir, "directory of the SQLite database, object blobs and git repositories (env "+EnvDataDir+")")
	fs.StringVar(&c.Database, "database", c.Database, "postgres:// URL to keep all state in PostgreSQL instead (env "+EnvDatabase+")")
	fs.StringVar(&c.BlobDir, "blob-dir", c.BlobDir, "directory of object blobs and git repositories, shared by every node with PostgreSQL; default the data dir (env "+EnvBlobDir+")")
	fs.DurationVar(&c.OrphanGrace, "orphan-grace", c.OrphanGrace, "with PostgreSQL, how old an unreferenced blob or unfinished upload must be before it is deleted; 0 means "+objects.OrphanGraceDefault.String()+" (env "+EnvGrace+")")
	fs.StringVar(&c.GitCredentials, "git-credentials", c.GitCredentials, "file of username:password lines, the only Git credentials git over HTTP accepts; default any (env "+EnvGitCreds+")")
	fs.StringVar(&c.Account, "account", c.Account, "account id in ARNs of requests without credentials")
	fs.StringVar(&c.Region, "region", c.Region, "region of requests without a SigV4 credential scope")
	fs.Int64Var(&c.MaxOpenExecutions, "max-open-executions", c.MaxOpenExecutions, "open Standard executions allowed per account and region before StartExecution answers ExecutionLimitExceeded; AWS's quota by default (env "+EnvMaxOpen+")")
	fs.Usage = func() {
		fmt.Fprint(stderr, "Usage: stepline serve [flags]\n\nRuns the server: the Step Functions, CodePipeline, S3 and CodeCommit APIs, git over HTTP\nand the console, all on one port.\n\nFlags:\n")
		fs.VisitAll(func(f *flag.Flag) {
			def := ""
			if f.DefValue != "" {
				def = fmt.Sprintf(" (default %q)", f.DefValue)
			}
			fmt.Fprintf(stderr, "  --%s value\n        %s%s\n", f.Name, f.Usage, def)
		})
	}
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return c, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	return c, c.validate()
}

func (c Config) validate() error {
	if c.Listen == "" {
		return errors.New("--listen must not be empty")
	}
	if c.DataDir == "" {
		return errors.New("--data-dir must not be empty")
	}
	if c.OrphanGrace != 0 && c.OrphanGrace < time.Minute {
		return fmt.Errorf("--orphan-grace %s: at least 1m, or another node's upload could be deleted", c.OrphanGrace)
	}
	if c.Database != "" && !c.IsPostgres() {
		return fmt.Errorf("--database %q: only postgres:// and postgresql:// URLs are supported", c.Database)
	}
	if c.MaxOpenExecutions < 1 {
		return fmt.Errorf("--max-open-executions %d: at least 1", c.MaxOpenExecutions)
	}
	if len(c.Account) != 12 || strings.Trim(c.Account, "0123456789") != "" {
		return fmt.Errorf("--account %q: an account id is 12 digits", c.Account)
	}
	if c.Region == "" || strings.Trim(c.Region, "abcdefghijklmnopqrstuvwxyz0123456789-") != "" {
		return fmt.Errorf("--region %q: not a region name", c.Region)
	}
	return nil
}

// IsPostgres reports whether state goes to PostgreSQL rather than SQLite.
func (c Config) IsPostgres() bool {
	return strings.HasPrefix(c.Database, "postgres://") || strings.HasPrefix(c.Database, "postgresql://")
}

// blobRoot is the directory holding blobs/ and repos/.
func (c Config) blobRoot() string {
	if c.BlobDir != "" {
		return c.BlobDir
	}
	return c.DataDir
}
