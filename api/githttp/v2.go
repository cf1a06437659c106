package githttp

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/pktline"

	"stepline/repos"
)

// Protocol version 2 (gitprotocol-v2(5)) for fetches: git 2.26 and later ask for
// it with "Git-Protocol: version=2", and it lets clients list only the references
// they need and learn the default branch of an empty repository ("unborn").
// Pushes stay on version 0, as git itself does.

// wantsV2 reports whether the client asked for protocol version 2.
func wantsV2(r *http.Request) bool {
	for _, f := range strings.Split(r.Header.Get("Git-Protocol"), ":") {
		if strings.TrimSpace(f) == "version=2" {
			return true
		}
	}
	return false
}

// infoRefsV2 writes the version 2 capability advertisement. Unlike version 0 it
// has no "# service" line, as git's http-backend sends it.
func infoRefsV2(w io.Writer) error {
	e := pktline.NewEncoder(w)
	for _, c := range []string{"version 2", agent, "ls-refs=unborn", "fetch=shallow", "object-format=sha1"} {
		if err := e.EncodeString(c + "\n"); err != nil {
			return err
		}
	}
	return e.Flush()
}

// Kinds of packet in version 2, which adds the delimiter packet "0001".
const (
	pktData = iota
	pktFlush
	pktDelim
)

// readPkt reads one packet: its kind and, for data, its payload without the
// trailing newline.
func readPkt(r *bufio.Reader) (int, []byte, error) {
	var hdr [4]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return 0, nil, badRequest("read packet: %v", err)
	}
	var n int
	for _, c := range hdr {
		v, ok := unhex(c)
		if !ok {
			return 0, nil, badRequest("bad packet length %q", hdr[:])
		}
		n = n<<4 | v
	}
	switch {
	case n == 0:
		return pktFlush, nil, nil
	case n == 1:
		return pktDelim, nil, nil
	case n < 4 || n > pktline.MaxPayloadSize+4:
		return 0, nil, badRequest("bad packet length %d", n)
	}
	buf := make([]byte, n-4)
	if _, err := io.ReadFull(r, buf); err != nil {
		return 0, nil, badRequest("read packet: %v", err)
	}
	return pktData, bytes.TrimSuffix(buf, []byte("\n")), nil
}

func unhex(c byte) (int, bool) {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0'), true
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10, true
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10, true
	}
	return 0, false
}

// v2Request is one command: its name, capabilities and arguments.
type v2Request struct {
	command string
	args    []string
}

// readV2Request reads "command=<name>", capabilities, a delimiter, then the
// arguments up to a flush.
func readV2Request(r *bufio.Reader) (v2Request, error) {
	var req v2Request
	inArgs := false
	for {
		kind, line, err := readPkt(r)
		if err != nil {
			return req, err
		}
		switch {
		case kind == pktFlush:
			if req.command == "" {
				return req, badRequest("no command")
			}
			return req, nil
		case kind == pktDelim && !inArgs:
			inArgs = true
		case kind == pktDelim:
			return req, badRequest("unexpected delimiter")
		case inArgs:
			req.args = append(req.args, string(line))
		default:
			if c, ok := strings.CutPrefix(string(line), "command="); ok {
				req.command = c
			}
		}
	}
}

// uploadPackV2 answers one version 2 command.
func (h *Handler) uploadPackV2(w http.ResponseWriter, r *http.Request, repo *repos.Repo) error {
	rc, err := body(r)
	if err != nil {
		return err
	}
	defer rc.Close()
	req, err := readV2Request(bufio.NewReader(rc))
	if err != nil {
		return err
	}
	switch req.command {
	case "ls-refs":
		return lsRefs(w, repo, req.args)
	case "fetch":
		return fetchV2(w, repo, req.args)
	}
	return badRequest("unknown command %q", req.command)
}

// lsRefs lists references: those under any "ref-prefix" argument (all when there
// is none), HEAD's target with "symrefs", peeled tags with "peel", and an
// unborn HEAD with "unborn".
func lsRefs(w http.ResponseWriter, repo *repos.Repo, args []string) error {
	refs, err := listRefs(repo)
	if err != nil {
		return err
	}
	var prefixes []string
	symrefs, peel, unborn := false, false, false
	for _, a := range args {
		switch {
		case a == "symrefs":
			symrefs = true
		case a == "peel":
			peel = true
		case a == "unborn":
			unborn = true
		default:
			if p, ok := strings.CutPrefix(a, "ref-prefix "); ok {
				prefixes = append(prefixes, p)
			}
		}
	}
	w.Header().Set("Content-Type", "application/x-git-upload-pack-result")
	w.WriteHeader(http.StatusOK)
	bw := bufio.NewWriter(w)
	e := pktline.NewEncoder(bw)
	for _, ref := range refs {
		if len(prefixes) > 0 && !slices.ContainsFunc(prefixes, func(p string) bool { return strings.HasPrefix(ref.name, p) }) {
			continue
		}
		if ref.unborn && !unborn {
			continue
		}
		line := ref.hash.String() + " " + ref.name
		if ref.unborn {
			line = "unborn " + ref.name
		}
		if symrefs && ref.target != "" {
			line += " symref-target:" + ref.target
		}
		if peel && !ref.peeled.IsZero() {
			line += " peeled:" + ref.peeled.String()
		}
		if err := e.EncodeString(line + "\n"); err != nil {
			return errors.Join(errStarted, err)
		}
	}
	if err := e.Flush(); err != nil {
		return errors.Join(errStarted, err)
	}
	return flush(bw)
}

// fetchV2 answers a fetch round: without "done", the acknowledgments of the haves
// the server holds (never "ready", so the client decides when to stop); with
// "done", the pack in side-band packets.
func fetchV2(w http.ResponseWriter, repo *repos.Repo, args []string) error {
	req := uploadRequest{caps: []string{"side-band-64k"}}
	for _, a := range args {
		if ok, err := req.shallow.parseLine(a); ok || err != nil {
			if err != nil {
				return err
			}
			continue
		}
		verb, val, _ := strings.Cut(a, " ")
		switch verb {
		case "want", "have":
			h, ok := hashAt([]byte(val), 0)
			if !ok || len(val) != 40 {
				return badRequest("malformed %s line %q", verb, a)
			}
			if verb == "want" {
				req.wants = append(req.wants, h)
			} else {
				req.haves = append(req.haves, h)
			}
		case "done":
			req.done = true
		case "no-progress":
			req.caps = append(req.caps, "no-progress")
		case "thin-pack", "ofs-delta", "include-tag":
			// A full pack serves a client that allows a thin one; tags
			// are followed by the client's own second round.
		default:
			// filter and the rest are not advertised.
			return badRequest("unsupported fetch argument %q", a)
		}
	}
	st := repo.Storage
	for _, want := range req.wants {
		if _, err := st.EncodedObject(plumbing.AnyObject, want); err != nil {
			return badRequest("not our ref %s", want)
		}
	}
	for _, have := range req.haves {
		if _, err := st.EncodedObject(plumbing.AnyObject, have); err == nil {
			req.common = append(req.common, have)
		}
	}
	w.Header().Set("Content-Type", "application/x-git-upload-pack-result")
	if req.done && req.shallow.any() {
		var err error
		if req.plan, err = planShallow(st, req.wants, req.shallow); err != nil {
			return remoteError(w, err)
		}
	}
	w.WriteHeader(http.StatusOK)
	bw := bufio.NewWriterSize(w, 64<<10)
	e := pktline.NewEncoder(bw)
	if !req.done {
		if err := writeAcks(e, req.common); err != nil {
			return errors.Join(errStarted, err)
		}
		if err := e.Flush(); err != nil {
			return errors.Join(errStarted, err)
		}
		return flush(bw)
	}
	if req.shallow.any() {
		// The shallow-info section comes before the pack, ended by a delimiter.
		err := e.EncodeString("shallow-info\n")
		if err == nil {
			err = writeShallowLines(e, req.plan)
		}
		if err == nil {
			_, err = bw.WriteString("0001")
		}
		if err != nil {
			return errors.Join(errStarted, err)
		}
	}
	if err := e.EncodeString("packfile\n"); err != nil {
		return errors.Join(errStarted, err)
	}
	if err := sendPack(bw, repo, req); err != nil {
		return errors.Join(errStarted, err)
	}
	return flush(bw)
}

// writeAcks writes the acknowledgments section.
func writeAcks(e *pktline.Encoder, common []plumbing.Hash) error {
	if err := e.EncodeString("acknowledgments\n"); err != nil {
		return err
	}
	if len(common) == 0 {
		return e.EncodeString("NAK\n")
	}
	for _, h := range common {
		if err := e.EncodeString(fmt.Sprintf("ACK %s\n", h)); err != nil {
			return err
		}
	}
	return nil
}
