package objects

import (
	"bytes"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"hash"
	"hash/crc32"
	"hash/crc64"
	"io"
	"strings"
)

// Checksum algorithms S3 accepts in x-amz-checksum-algorithm and x-amz-checksum-*:
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html
const (
	ChecksumCRC32     = "CRC32"
	ChecksumCRC32C    = "CRC32C"
	ChecksumCRC64NVME = "CRC64NVME"
	ChecksumSHA1      = "SHA1"
	ChecksumSHA256    = "SHA256"
)

// Checksum types of multipart objects: a checksum of the whole object, or a checksum
// of the parts' checksums suffixed with "-N".
const (
	ChecksumTypeFullObject = "FULL_OBJECT"
	ChecksumTypeComposite  = "COMPOSITE"
)

// crc64NVMEPoly is the reflected CRC-64/NVME polynomial, as hash/crc64 wants it.
const crc64NVMEPoly = 0x9a6c9329ac4bc9b5

// ChecksumAlgorithms lists the algorithms in the order S3 documents them.
var checksumAlgorithms = []string{ChecksumCRC32, ChecksumCRC32C, ChecksumCRC64NVME, ChecksumSHA1, ChecksumSHA256}

// ChecksumAlgorithms returns the algorithms S3 accepts, upper case.
func ChecksumAlgorithms() []string { return append([]string(nil), checksumAlgorithms...) }

// NormalizeChecksumAlgorithm returns alg in S3's spelling, or "" when S3 has no such
// algorithm. The SDKs send the names in any case.
func NormalizeChecksumAlgorithm(alg string) string {
	a := strings.ToUpper(alg)
	for _, known := range checksumAlgorithms {
		if a == known {
			return known
		}
	}
	return ""
}

// newChecksum returns a hash for a normalized algorithm name.
func newChecksum(alg string) hash.Hash {
	switch alg {
	case ChecksumCRC32:
		return crc32.NewIEEE()
	case ChecksumCRC32C:
		return crc32.New(crc32.MakeTable(crc32.Castagnoli))
	case ChecksumCRC64NVME:
		return crc64.New(crc64.MakeTable(crc64NVMEPoly))
	case ChecksumSHA1:
		return sha1.New()
	case ChecksumSHA256:
		return sha256.New()
	}
	return nil
}

// ChecksumLen returns the decoded length of an algorithm's checksum, 0 for unknown.
func ChecksumLen(alg string) int {
	if h := newChecksum(NormalizeChecksumAlgorithm(alg)); h != nil {
		return h.Size()
	}
	return 0
}

// Digests are the hashes of a body, computed while it streams to its blob.
type Digests struct {
	MD5      []byte
	SHA256   []byte            // only when asked for (a signed payload's hash)
	Checksum map[string]string // algorithm → base64 value, for the algorithms asked for
	Size     int64
}

// hasher computes Digests while a body is read through it.
type hasher struct {
	r      io.Reader
	md5    hash.Hash
	sha256 hash.Hash
	sums   map[string]hash.Hash
	w      io.Writer
	n      int64
}

func newHasher(r io.Reader, wantSHA256 bool, algs []string) *hasher {
	h := &hasher{r: r, md5: md5.New(), sums: map[string]hash.Hash{}}
	ws := []io.Writer{h.md5}
	if wantSHA256 {
		h.sha256 = sha256.New()
		ws = append(ws, h.sha256)
	}
	for _, a := range algs {
		if a == "" || h.sums[a] != nil {
			continue
		}
		if c := newChecksum(a); c != nil {
			h.sums[a] = c
			ws = append(ws, c)
		}
	}
	h.w = io.MultiWriter(ws...)
	return h
}

func (h *hasher) Read(p []byte) (int, error) {
	n, err := h.r.Read(p)
	if n > 0 {
		_, _ = h.w.Write(p[:n])
		h.n += int64(n)
	}
	return n, err
}

// DigestBytes returns the digests of b, for request bodies small enough to read
// whole (DeleteObjects' XML), computed as PutObject computes them.
func DigestBytes(b []byte, wantSHA256 bool, alg string) Digests {
	h := newHasher(bytes.NewReader(b), wantSHA256, []string{alg})
	_, _ = io.Copy(io.Discard, h)
	return h.digests()
}

func (h *hasher) digests() Digests {
	d := Digests{MD5: h.md5.Sum(nil), Size: h.n, Checksum: map[string]string{}}
	if h.sha256 != nil {
		d.SHA256 = h.sha256.Sum(nil)
	}
	for a, c := range h.sums {
		d.Checksum[a] = base64.StdEncoding.EncodeToString(c.Sum(nil))
	}
	return d
}
