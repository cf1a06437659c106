// Package repos keeps git repositories for the CodeCommit API and the git smart
// HTTP endpoint: each repository is a bare git repository on disk
// (<dir>/<id>.git, go-git's filesystem layout, readable by the git CLI) and a store
// record with its metadata (name, id, ARN, description, default branch, dates).
//
// Invariants:
//
//   - Objects are written before any reference points at them, and a reference is
//     replaced by writing a new file and renaming it over the old one, so a reader
//     (or a restart after a crash) never sees a reference to a missing object or a
//     half-written reference.
//   - Every reference change of one repository (pushes, PutFile, CreateCommit,
//     CreateBranch, DeleteBranch) runs under that repository's lock as a
//     compare-and-swap on the reference's old value: of two writers that read the
//     same tip, one wins and the other is told its view is stale.
//   - Subscribers (OnReferenceUpdated) hear of a change only after it is durable,
//     in the order the changes were made to each reference.
//
// Repository names are unique per server, not per account and region: the git
// endpoint (/git/<name>) has no room for either, and authentication is off.
package repos
