package objects

import (
	"encoding/base64"
	"encoding/binary"
	"hash/crc32"
)

// partCRC is one part's checksum and length, for combining into a full-object CRC.
type partCRC struct {
	sum  []byte
	size int64
}

// combineCRC computes the CRC of the concatenation of parts from their own CRCs,
// as S3 does for FULL_OBJECT multipart checksums, with zlib's crc32_combine method
// (GF(2) matrix powers of the zero-byte operator). It returns "" for algorithms
// that are not CRCs.
func combineCRC(alg string, parts []partCRC) string {
	var poly uint64
	width := 32
	switch alg {
	case ChecksumCRC32:
		poly = crc32.IEEE
	case ChecksumCRC32C:
		poly = crc32.Castagnoli
	case ChecksumCRC64NVME:
		poly, width = crc64NVMEPoly, 64
	default:
		return ""
	}
	var crc uint64
	for i, p := range parts {
		var c uint64
		switch {
		case width == 32 && len(p.sum) == 4:
			c = uint64(binary.BigEndian.Uint32(p.sum))
		case width == 64 && len(p.sum) == 8:
			c = binary.BigEndian.Uint64(p.sum)
		default:
			return ""
		}
		if i == 0 {
			crc = c
			continue
		}
		crc = crcCombine(crc, c, p.size, poly, width)
	}
	out := make([]byte, width/8)
	if width == 32 {
		binary.BigEndian.PutUint32(out, uint32(crc))
	} else {
		binary.BigEndian.PutUint64(out, crc)
	}
	return base64.StdEncoding.EncodeToString(out)
}

func gf2Times(mat []uint64, vec uint64) uint64 {
	var sum uint64
	for i := 0; vec != 0; i, vec = i+1, vec>>1 {
		if vec&1 != 0 {
			sum ^= mat[i]
		}
	}
	return sum
}

func gf2Square(square, mat []uint64) {
	for n := range mat {
		square[n] = gf2Times(mat, mat[n])
	}
}

// crcCombine returns the CRC of A+B from crc(A), crc(B) and len(B), for a reflected
// polynomial of the given width.
func crcCombine(crc1, crc2 uint64, len2 int64, poly uint64, width int) uint64 {
	if len2 <= 0 {
		return crc1
	}
	even := make([]uint64, width)
	odd := make([]uint64, width)
	odd[0] = poly // the operator for one zero bit
	row := uint64(1)
	for n := 1; n < width; n++ {
		odd[n] = row
		row <<= 1
	}
	gf2Square(even, odd) // two zero bits
	gf2Square(odd, even) // four zero bits
	for {
		gf2Square(even, odd) // one more zero byte's worth, doubling each round
		if len2&1 != 0 {
			crc1 = gf2Times(even, crc1)
		}
		len2 >>= 1
		if len2 == 0 {
			break
		}
		gf2Square(odd, even)
		if len2&1 != 0 {
			crc1 = gf2Times(odd, crc1)
		}
		len2 >>= 1
		if len2 == 0 {
			break
		}
	}
	return crc1 ^ crc2
}
