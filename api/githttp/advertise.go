package githttp

import (
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/pktline"

	"stepline/repos"
)

// uploadCaps are upload-pack's version 0 capabilities. It negotiates with
// multi_ack_detailed, the mode git's own server uses for stateless HTTP, and
// never claims "ready", so the client decides when to stop sending haves.
func uploadCaps() []string {
	return []string{"multi_ack_detailed", "side-band-64k", "side-band", "ofs-delta", "allow-reachable-sha1-in-want",
		"shallow", "deepen-since", "deepen-not", "deepen-relative", agent}
}

// receiveCaps are receive-pack's capabilities. It asks for whole packs
// (no-thin): a thin pack's bases would be missing from the stored pack.
func receiveCaps() []string {
	return []string{"report-status", "delete-refs", "atomic", "ofs-delta", "no-thin", "side-band-64k", agent}
}

// infoRefs answers GET info/refs: the service line and the reference
// advertisement.
func (h *Handler) infoRefs(w http.ResponseWriter, r *http.Request, repo *repos.Repo) error {
	service := r.URL.Query().Get("service")
	if service != serviceUploadPack && service != serviceReceivePack {
		// Dumb HTTP is not served: it would bypass the reference locks.
		http.Error(w, "only smart HTTP is supported", http.StatusForbidden)
		return nil
	}
	refs, head, err := advertised(repo, service == serviceUploadPack)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/x-"+service+"-advertisement")
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return nil
	}
	if service == serviceUploadPack && wantsV2(r) {
		if err := infoRefsV2(w); err != nil {
			return errors.Join(errStarted, err)
		}
		return nil
	}
	e := pktline.NewEncoder(w)
	if err := e.EncodeString("# service=" + service + "\n"); err != nil {
		return errors.Join(errStarted, err)
	}
	if err := e.Flush(); err != nil {
		return errors.Join(errStarted, err)
	}
	caps := receiveCaps()
	if service == serviceUploadPack {
		caps = uploadCaps()
		if head != "" {
			caps = append(caps, "symref=HEAD:"+head)
		}
	}
	if err := writeAdvertisement(w, refs, caps); err != nil {
		return errors.Join(errStarted, err)
	}
	return nil
}

// adRef is one advertised line: a name and the object it names.
type adRef struct {
	name string
	hash plumbing.Hash
}

// advertised lists the references for a version 0 advertisement: HEAD first
// when it resolves, then by name; with peel, annotated tags are followed by
// their "^{}" line. head is the branch HEAD names when that branch exists.
func advertised(repo *repos.Repo, peel bool) (refs []adRef, head string, err error) {
	list, err := listRefs(repo)
	if err != nil {
		return nil, "", err
	}
	for _, r := range list {
		if r.unborn {
			continue
		}
		if r.name == "HEAD" {
			head = r.target
		}
		refs = append(refs, adRef{name: r.name, hash: r.hash})
		if peel && !r.peeled.IsZero() {
			refs = append(refs, adRef{name: r.name + "^{}", hash: r.peeled})
		}
	}
	return refs, head, nil
}

// writeAdvertisement writes the reference lines, capabilities after a NUL on the
// first, and a flush. An empty repository advertises "capabilities^{}" with the
// zero id, as gitprotocol-pack(5) prescribes.
func writeAdvertisement(w io.Writer, refs []adRef, caps []string) error {
	e := pktline.NewEncoder(w)
	if len(refs) == 0 {
		refs = []adRef{{name: "capabilities^{}", hash: plumbing.ZeroHash}}
	}
	for i, r := range refs {
		line := r.hash.String() + " " + r.name
		if i == 0 {
			line += "\x00" + strings.Join(caps, " ")
		}
		if err := e.EncodeString(line + "\n"); err != nil {
			return err
		}
	}
	return e.Flush()
}
