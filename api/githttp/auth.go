package githttp

import (
	"bufio"
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
)

// Credentials are the Git credentials (HTTPS user name and password) a server
// accepts, as CodeCommit's "HTTPS Git credentials for AWS CodeCommit" are: git
// sends them with HTTP basic authentication after a 401 challenge. Without
// Credentials the handler accepts any credentials, or none.
type Credentials struct {
	users map[string][32]byte // user name to SHA-256 of the password; immutable
}

// ParseCredentials reads "username:password" lines; blank lines and lines starting
// with '#' are skipped. The password is everything after the first colon.
func ParseCredentials(r io.Reader) (*Credentials, error) {
	c := &Credentials{users: map[string][32]byte{}}
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		user, pass, ok := strings.Cut(line, ":")
		if !ok || user == "" || pass == "" {
			return nil, fmt.Errorf("git credentials line %d: want username:password", n)
		}
		c.users[user] = sha256.Sum256([]byte(pass))
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("git credentials: %w", err)
	}
	if len(c.users) == 0 {
		return nil, fmt.Errorf("git credentials: no username:password line")
	}
	return c, nil
}

// LoadCredentials reads a credentials file (see ParseCredentials).
func LoadCredentials(path string) (*Credentials, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("git credentials: %w", err)
	}
	defer f.Close()
	return ParseCredentials(f)
}

// allows reports whether r carries a known user name and its password. Passwords
// are compared as hashes in constant time, so timing tells nothing about them.
func (c *Credentials) allows(r *http.Request) bool {
	user, pass, ok := r.BasicAuth()
	if !ok {
		return false
	}
	want, known := c.users[user]
	got := sha256.Sum256([]byte(pass))
	return subtle.ConstantTimeCompare(want[:], got[:]) == 1 && known
}

// challenge answers a request without valid credentials: git then asks its
// credential helpers (or the user) and retries with basic authentication.
func challenge(w http.ResponseWriter) {
	w.Header().Set("WWW-Authenticate", `Basic realm="stepline git"`)
	http.Error(w, "Authentication required.", http.StatusUnauthorized)
}
