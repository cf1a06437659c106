package repos

import (
	"encoding/hex"

	"github.com/go-git/go-git/v5/plumbing"
)

// parseHash parses a full 40-digit hexadecimal object id.
func parseHash(s string) (plumbing.Hash, bool) {
	if len(s) != 40 {
		return plumbing.ZeroHash, false
	}
	var h plumbing.Hash
	if _, err := hex.Decode(h[:], []byte(s)); err != nil {
		return plumbing.ZeroHash, false
	}
	return h, true
}
