package githttp

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/go-git/go-git/v5/plumbing/format/packfile"
	"github.com/go-git/go-git/v5/plumbing/format/pktline"
	"github.com/go-git/go-git/v5/plumbing/protocol/packp"
	"github.com/go-git/go-git/v5/plumbing/protocol/packp/capability"
	"github.com/go-git/go-git/v5/plumbing/protocol/packp/sideband"

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
	bw := bufio.NewWriter(w)
	if err := writeReceiveResult(bw, req, unpackErr, results); err != nil {
		return errors.Join(errStarted, err)
	}
	return flush(bw)
}

// writeReceiveResult writes the report-status the client asked for. With
// side-band-64k (or side-band) the report travels on band 1 and a summary of what
// the server did on band 2, which git prints as "remote: ..." lines, as git's own
// receive-pack does (gitprotocol-pack(5), "report-status" and "side-band").
func writeReceiveResult(w io.Writer, req *packp.ReferenceUpdateRequest, unpackErr error, results []error) error {
	report := req.Capabilities.Supports(capability.ReportStatus)
	typ, muxed := sideband.Type(0), false
	switch {
	case req.Capabilities.Supports(capability.Sideband64k):
		typ, muxed = sideband.Sideband64k, true
	case req.Capabilities.Supports(capability.Sideband):
		typ, muxed = sideband.Sideband, true
	}
	if !muxed {
		if !report {
			return nil
		}
		return writeReport(w, req, unpackErr, results)
	}
	mux := sideband.NewMuxer(typ, w)
	// Sent like the output of git's hooks, which "quiet" does not silence: git
	// asks for quiet whenever its stderr is not a terminal.
	for _, line := range pushMessages(req, unpackErr, results) {
		if _, err := mux.WriteChannel(sideband.ProgressMessage, []byte(line)); err != nil {
			return err
		}
	}
	if report {
		var buf bytes.Buffer
		if err := writeReport(&buf, req, unpackErr, results); err != nil {
			return err
		}
		if _, err := mux.WriteChannel(sideband.PackData, buf.Bytes()); err != nil {
			return err
		}
	}
	return pktline.NewEncoder(w).Flush()
}

// pushMessages says what the push did to each reference, for the client's
// terminal.
func pushMessages(req *packp.ReferenceUpdateRequest, unpackErr error, results []error) []string {
	if unpackErr != nil {
		return []string{"stepline: the pushed objects could not be stored: " + unpackErr.Error() + "\n"}
	}
	var out []string
	for i, c := range req.Commands {
		switch {
		case results[i] == repos.ErrStale:
			out = append(out, fmt.Sprintf("stepline: %s moved on the server since you fetched it; fetch, merge and push again\n", c.Name))
		case results[i] != nil:
			out = append(out, fmt.Sprintf("stepline: %s not updated: %s\n", c.Name, results[i]))
		case c.New.IsZero():
			out = append(out, fmt.Sprintf("stepline: deleted %s\n", c.Name))
		default:
			out = append(out, fmt.Sprintf("stepline: %s is now %s\n", c.Name, c.New.String()[:12]))
		}
	}
	return out
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
