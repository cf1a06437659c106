package githttp

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/packfile"
	"github.com/go-git/go-git/v5/plumbing/format/pktline"
	"github.com/go-git/go-git/v5/plumbing/protocol/packp/sideband"
	"github.com/go-git/go-git/v5/plumbing/revlist"

	"stepline/repos"
)

// packWindow is how many objects the pack encoder considers as delta bases.
const packWindow = 10

// uploadRequest is one stateless round of fetch negotiation.
type uploadRequest struct {
	wants  []plumbing.Hash
	haves  []plumbing.Hash
	done   bool
	caps   []string        // capabilities after the first want
	common []plumbing.Hash // the haves the server holds, found while answering

	wantsOnly bool // the request ended after the wants' flush, with no haves section

	shallow shallowRequest // shallow and deepen lines
	plan    shallowPlan    // the shallow boundary, when shallow.any()
}

// sideband returns the side-band mode the client asked for, if any.
func (r uploadRequest) sideband() (sideband.Type, bool) {
	switch {
	case slices.Contains(r.caps, "side-band-64k"):
		return sideband.Sideband64k, true
	case slices.Contains(r.caps, "side-band"):
		return sideband.Sideband, true
	}
	return 0, false
}

// parseUploadRequest reads "want" lines, a flush, then "have" lines ending in a
// flush (another round follows) or "done" (send the pack).
func parseUploadRequest(sc *pktline.Scanner) (uploadRequest, error) {
	var req uploadRequest
	inWants := true
	for sc.Scan() {
		line := bytes.TrimSuffix(sc.Bytes(), []byte("\n"))
		switch {
		case len(line) == 0 && inWants:
			inWants = false
		case len(line) == 0:
			return req, nil
		case inWants && bytes.HasPrefix(line, []byte("want ")):
			h, ok := hashAt(line, len("want "))
			if !ok {
				return req, badRequest("malformed want line %q", line)
			}
			if len(req.wants) == 0 {
				req.caps = strings.Fields(string(line[min(len(line), len("want ")+40):]))
			}
			req.wants = append(req.wants, h)
		case inWants:
			ok, err := req.shallow.parseLine(string(line))
			if err != nil {
				return req, err
			}
			if !ok {
				// filter lines: that capability is not advertised.
				return req, badRequest("unsupported request line %q", line)
			}
		case bytes.HasPrefix(line, []byte("have ")):
			h, ok := hashAt(line, len("have "))
			if !ok {
				return req, badRequest("malformed have line %q", line)
			}
			req.haves = append(req.haves, h)
		case string(line) == "done":
			req.done = true
			return req, nil
		default:
			return req, badRequest("unexpected line %q", line)
		}
	}
	if err := sc.Err(); err != nil {
		return req, badRequest("read request: %v", err)
	}
	// A request of wants alone: git sends one first when deepening, to learn the
	// shallow boundary; other clients may end so too.
	req.wantsOnly = true
	return req, nil
}

// hashAt parses the 40 hex digits at line[i:].
func hashAt(line []byte, i int) (plumbing.Hash, bool) {
	var h plumbing.Hash
	if len(line) < i+40 {
		return h, false
	}
	if _, err := hex.Decode(h[:], line[i:i+40]); err != nil {
		return h, false
	}
	return h, true
}

// uploadPack answers one POST git-upload-pack: acknowledgements of the haves the
// server has and, once the client says done, the pack of what it lacks.
func (h *Handler) uploadPack(w http.ResponseWriter, r *http.Request, repo *repos.Repo) error {
	rc, err := body(r)
	if err != nil {
		return err
	}
	defer rc.Close()
	req, err := parseUploadRequest(pktline.NewScanner(rc))
	if err != nil {
		return err
	}
	req.shallow.relative = req.shallow.relative || slices.Contains(req.caps, "deepen-relative")
	st := repo.Storage
	for _, want := range req.wants {
		if _, err := st.EncodedObject(plumbing.AnyObject, want); err != nil {
			return badRequest("not our ref %s", want)
		}
	}
	w.Header().Set("Content-Type", "application/x-git-upload-pack-result")
	if req.shallow.any() {
		if req.plan, err = planShallow(st, req.wants, req.shallow); err != nil {
			return remoteError(w, err)
		}
	}
	w.WriteHeader(http.StatusOK)
	bw := bufio.NewWriterSize(w, 64<<10)
	e := pktline.NewEncoder(bw)
	// A deepening client reads the new boundary at the start of every answer in
	// stateless mode, before the acknowledgements, as git's upload-pack sends it.
	if req.shallow.deepens() {
		if err := writeShallowLines(e, req.plan); err != nil {
			return errors.Join(errStarted, err)
		}
		if err := e.Flush(); err != nil {
			return errors.Join(errStarted, err)
		}
		if req.wantsOnly {
			// Only the boundary: git's upload-pack answers so, and the client
			// reads no acknowledgement after it.
			return flush(bw)
		}
	}
	// multi_ack_detailed as git's upload-pack answers it in stateless mode: each
	// have the server holds is acknowledged as common; a round without "done"
	// ends in NAK; "done" is answered with the last common id (NAK when none),
	// then the pack.
	var common []plumbing.Hash
	for _, have := range req.haves {
		if _, err := st.EncodedObject(plumbing.AnyObject, have); err != nil {
			continue
		}
		common = append(common, have)
		if err := e.Encodef("ACK %s common\n", have); err != nil {
			return errors.Join(errStarted, err)
		}
	}
	if !req.done {
		if err := e.EncodeString("NAK\n"); err != nil {
			return errors.Join(errStarted, err)
		}
		return flush(bw)
	}
	req.common = common
	if len(common) > 0 {
		err = e.Encodef("ACK %s\n", common[len(common)-1])
	} else {
		err = e.EncodeString("NAK\n")
	}
	if err != nil {
		return errors.Join(errStarted, err)
	}
	if err := sendPack(bw, repo, req); err != nil {
		return errors.Join(errStarted, err)
	}
	return flush(bw)
}

// sendPack writes the pack, inside side-band packets when the client asked for
// them: progress then travels on band 2 and a failure on band 3, so git prints
// the reason instead of "early EOF".
func sendPack(w io.Writer, repo *repos.Repo, req uploadRequest) error {
	typ, muxed := req.sideband()
	if !muxed {
		objs, err := packObjects(repo, req)
		if err != nil {
			return err
		}
		if _, err := packfile.NewEncoder(w, repo.Storage, false).Encode(objs, packWindow); err != nil {
			return fmt.Errorf("encode pack: %w", err)
		}
		return nil
	}
	mux := sideband.NewMuxer(typ, w)
	objs, err := packObjects(repo, req)
	if err == nil {
		if !slices.Contains(req.caps, "no-progress") {
			_, _ = mux.WriteChannel(sideband.ProgressMessage, []byte(fmt.Sprintf("stepline: sending %d objects\n", len(objs))))
		}
		_, err = packfile.NewEncoder(mux, repo.Storage, false).Encode(objs, packWindow)
	}
	if err != nil {
		_, _ = mux.WriteChannel(sideband.ErrorMessage, []byte("upload-pack: "+err.Error()+"\n"))
		return fmt.Errorf("encode pack: %w", err)
	}
	return pktline.NewEncoder(w).Flush()
}

// packObjects lists the objects reachable from wants but not from common, within
// the shallow boundary when the fetch is shallow.
func packObjects(repo *repos.Repo, req uploadRequest) ([]plumbing.Hash, error) {
	wants, common := req.wants, req.common
	if req.shallow.any() {
		clientStop := map[plumbing.Hash]bool{}
		for _, h := range req.shallow.client {
			clientStop[h] = true
		}
		return shallowObjects(repo.Storage, wants, common, clientStop, req.plan.stop)
	}
	var ignore []plumbing.Hash
	if len(common) > 0 {
		var err error
		if ignore, err = revlist.Objects(repo.Storage, common, nil); err != nil {
			return nil, fmt.Errorf("walk common history: %w", err)
		}
	}
	objs, err := revlist.Objects(repo.Storage, wants, ignore)
	if err != nil {
		return nil, fmt.Errorf("walk wanted history: %w", err)
	}
	return objs, nil
}

// remoteError answers a request git's upload-pack would refuse with an "ERR"
// packet, which git prints as "fatal: remote error: ...". Other errors pass through.
func remoteError(w http.ResponseWriter, err error) error {
	if !errors.Is(err, errNoShallowCommits) {
		return err
	}
	w.WriteHeader(http.StatusOK)
	if e := pktline.NewEncoder(w).EncodeString("ERR " + err.Error() + "\n"); e != nil {
		return errors.Join(errStarted, e)
	}
	return nil
}

func flush(bw *bufio.Writer) error {
	if err := bw.Flush(); err != nil {
		return errors.Join(errStarted, err)
	}
	return nil
}
