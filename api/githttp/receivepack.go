package githttp

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/go-git/go-git/v5/plumbing/format/packfile"
	"github.com/go-git/go-git/v5/plumbing/format/pktline"
	"github.com/go-git/go-git/v5/plumbing/protocol/packp"
	"github.com/go-git/go-git/v5/plumbing/protocol/packp/capability"

	"stepline/repos"
)

// receivePack answers one POST git-receive-pack: it stores the pushed pack, moves
// the references as compare-and-swaps and reports each outcome.
func (h *Handler) receivePack(w http.ResponseWriter, r *http.Request, repo *repos.Repo) error {
	rc, err := body(r)
	if err != nil {
		return err
	}
	defer rc.Close()
	req := packp.NewReferenceUpdateRequest()
	if err := req.Decode(rc); err != nil {
		return badRequest("decode push: %v", err)
	}
	ups := make([]repos.RefUpdate, len(req.Commands))
	needPack := false
	for i, c := range req.Commands {
		ups[i] = repos.RefUpdate{Name: c.Name, Old: c.Old, New: c.New}
		needPack = needPack || !c.New.IsZero()
	}
	// Objects go in before any reference moves, so no reference ever names a
	// missing object. A pack nobody references is harmless garbage.
	unpackErr := error(nil)
	if needPack && req.Packfile != nil {
		unpackErr = storePack(repo, req.Packfile)
	}
	var results []error
	if unpackErr == nil {
		results, err = h.svc.UpdateRefs(r.Context(), repo.Name, ups, req.Capabilities.Supports(capability.Atomic))
		if err != nil {
			return err
		}
	}
	w.Header().Set("Content-Type", "application/x-git-receive-pack-result")
	w.WriteHeader(http.StatusOK)
	if !req.Capabilities.Supports(capability.ReportStatus) {
		return nil
	}
	bw := bufio.NewWriter(w)
	if err := writeReport(bw, req, unpackErr, results); err != nil {
		return errors.Join(errStarted, err)
	}
	return flush(bw)
}

// storePack writes the pushed pack into the repository's object store.
func storePack(repo *repos.Repo, pack io.ReadCloser) error {
	err := packfile.UpdateObjectStorage(repo.Storage, pack)
	if errors.Is(err, packfile.ErrEmptyPackfile) {
		// A push of references to objects the server already has may carry no
		// pack at all.
		return nil
	}
	if err != nil {
		return fmt.Errorf("unpack: %w", err)
	}
	// The pack must survive a power loss before the references record, which
	// the database keeps durable, names its objects.
	if err := repo.SyncPacks(); err != nil {
		return fmt.Errorf("unpack: %w", err)
	}
	return nil
}

// writeReport writes report-status: the unpack outcome, then "ok <ref>" or
// "ng <ref> <reason>" per command in the order the client sent them.
func writeReport(w io.Writer, req *packp.ReferenceUpdateRequest, unpackErr error, results []error) error {
	e := pktline.NewEncoder(w)
	unpack := "ok"
	if unpackErr != nil {
		unpack = unpackErr.Error()
	}
	if err := e.EncodeString("unpack " + unpack + "\n"); err != nil {
		return err
	}
	for i, c := range req.Commands {
		var line string
		switch {
		case unpackErr != nil:
			line = "ng " + c.Name.String() + " unpacker error\n"
		case results[i] != nil:
			line = "ng " + c.Name.String() + " " + results[i].Error() + "\n"
		default:
			line = "ok " + c.Name.String() + "\n"
		}
		if err := e.EncodeString(line); err != nil {
			return err
		}
	}
	return e.Flush()
}
