package codecommitapi

import (
	"crypto/rand"
	"log/slog"
	"time"

	"stepline"
	"stepline/api/awsjson"
	"stepline/api/sigv4"
	"stepline/repos"
)

// TargetPrefix is CodeCommit's X-Amz-Target prefix.
const TargetPrefix = "CodeCommit_20150413"

// errorNamespace is the Smithy namespace of CodeCommit's shapes, which AWS puts
// before the error code in "__type".
const errorNamespace = "com.amazonaws.codecommit"

// Options configures the CodeCommit API.
type Options struct {
	// PublicURL is the base of clone URLs ("https://git.example.com"); empty
	// means the address each request came to (see WithBaseURL).
	PublicURL string
	// Identity gives the account, and the region of unsigned requests.
	Identity stepline.Identity
	Logger   *slog.Logger
	Verifier sigv4.Verifier
	// TokenKey signs pagination tokens; nil means a random key, so tokens do not
	// survive a restart or cross nodes.
	TokenKey []byte
	// Now is the clock for token expiry; nil means time.Now.
	Now func() time.Time
	// PageSize overrides the page sizes of list operations (AWS's: 1,000
	// repositories, 100 branches); 0 keeps AWS's. Small pages let tests and
	// clients exercise paging without thousands of items.
	PageSize int
}

// api holds what the handlers share.
type api struct {
	svc      *repos.Service
	opts     Options
	tokenKey []byte
	now      func() time.Time
}

// New returns the CodeCommit API (awsJson 1.1) over svc.
func New(svc *repos.Service, opts Options) *awsjson.Service {
	a := &api{svc: svc, opts: opts, tokenKey: opts.TokenKey, now: opts.Now}
	if a.tokenKey == nil {
		a.tokenKey = make([]byte, 32)
		_, _ = rand.Read(a.tokenKey)
	}
	if a.now == nil {
		a.now = time.Now
	}
	if opts.Identity.Account == "" {
		opts.Identity.Account = "000000000000"
	}
	if opts.Identity.Region == "" {
		opts.Identity.Region = "us-east-1"
	}
	s := awsjson.NewService(awsjson.Config{
		TargetPrefix:    TargetPrefix,
		JSONVersion:     "1.1",
		ErrorNamespace:  errorNamespace,
		DefaultIdentity: opts.Identity,
		Logger:          opts.Logger,
		Verifier:        opts.Verifier,
	})
	a.registerRepository(s)
	a.registerBranch(s)
	a.registerCommit(s)
	a.registerFile(s)
	a.registerTag(s)
	return s
}

// Inputs are decoded into local copies of the generated shapes, which have no
// Validate method: CodeCommit checks its input itself and answers with its own
// exceptions (RepositoryNameRequiredException, InvalidRepositoryNameException,
// ...), not the front end's ValidationException.

// decodeToken reads a pagination token, worded as CodeCommit's
// InvalidContinuationTokenException when it is bad.
func (a *api) decodeToken(token *string, cursor any) (bool, error) {
	if token == nil || *token == "" {
		return false, nil
	}
	if err := awsjson.DecodeToken(a.tokenKey, *token, a.now(), 0, cursor); err != nil {
		return false, stepline.Errorf("InvalidContinuationTokenException", "The specified continuation token is not valid.")
	}
	return true, nil
}

func (a *api) encodeToken(cursor any) *string {
	t := awsjson.EncodeToken(a.tokenKey, cursor, a.now())
	return &t
}

// pageSize is the page size of a list operation whose AWS size is def.
func (a *api) pageSize(def int) int {
	if a.opts.PageSize > 0 {
		return a.opts.PageSize
	}
	return def
}

func ptr[T any](v T) *T { return &v }

// strOr returns *p, or "" for nil.
func strOr(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
