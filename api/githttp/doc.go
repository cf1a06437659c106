// Package githttp serves the repositories of package repos over git's smart HTTP
// protocol (version 0/1, stateless RPC), so the git CLI can clone, fetch and push
// at http://<host>/git/<name>:
//
//	GET  /git/<name>/info/refs?service=git-upload-pack|git-receive-pack
//	POST /git/<name>/git-upload-pack
//	POST /git/<name>/git-receive-pack
//
// Fetches negotiate with multi_ack_detailed and get one pack of what the client
// lacks. Pushes store the pack first, then move every reference as a
// compare-and-swap under the repository's lock (atomic when the client asks with
// --atomic), report each reference's outcome, and only then tell repos'
// subscribers. Clients asking for protocol version 2 are answered in version 0,
// which git accepts. Authentication is not checked yet.
//
// The protocol is described in git's gitprotocol-http(5), gitprotocol-pack(5)
// and gitprotocol-capabilities(5).
package githttp
