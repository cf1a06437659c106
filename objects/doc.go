// Package objects is stepline's object store: buckets, objects with versions and
// delete markers, multipart uploads and copies, with S3's semantics. The S3 REST
// protocol lives in api/s3api; pipelines use this package directly for artifacts.
//
// Metadata lives in the store as records; bytes live in a BlobStore. The invariants:
//
//   - A blob is written completely and made durable (temp file, fsync, rename) before
//     any record names it, so a crash mid-upload leaves at most an orphan blob, never
//     a visible object with missing or partial bytes. Orphans are collected by
//     CollectOrphans, not on the write path.
//   - Blobs are never changed after they are written; replacing an object writes a new
//     blob and deletes the old one after the metadata no longer names it.
//   - Each key has one "s3object" record holding its current version (possibly a
//     delete marker), listed by key for ListObjects, and one "s3version" record per
//     noncurrent version, listed newest first. Moving a version from current to
//     noncurrent writes the noncurrent record first and then replaces the current
//     one with an optimistic guard; a crash between the two leaves a duplicate that
//     readers drop (same version id), never a lost version.
//   - Nothing is held in memory whole: bodies stream from the request to the blob and
//     from the blob to the response.
package objects
