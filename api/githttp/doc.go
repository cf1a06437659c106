// Package githttp serves the repositories of package repos over git's smart HTTP
// protocol (stateless RPC; versions 0 and 1, and version 2 for fetches), so the
// git CLI can clone, fetch and push at http://<host>/git/<name>:
//
//	GET  /git/<name>/info/refs?service=git-upload-pack|git-receive-pack
//	POST /git/<name>/git-upload-pack
//	POST /git/<name>/git-receive-pack
//
// Fetches negotiate with multi_ack_detailed and get one pack of what the client
// lacks. Pushes store the pack first, then move every reference as a
// compare-and-swap under the repository's lock (atomic when the client asks with
// --atomic), report each reference's outcome, and only then tell repos'
// subscribers. Pushes always use version 0, as git's own server has no version 2
// push. Authentication is not checked yet.
//
// The protocol is described in git's gitprotocol-http(5), gitprotocol-pack(5)
// and gitprotocol-capabilities(5).
package githttp
