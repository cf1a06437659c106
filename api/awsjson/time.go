package awsjson

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"time"
)

// Time is a timestamp member of an AWS JSON shape. The awsJson 1.0 and 1.1
// protocols send timestamps without a timestampFormat trait as epoch seconds,
// a JSON number with up to millisecond precision (1732550400.123), which is
// what the SDKs write and what they parse.
// https://smithy.io/2.0/aws/protocols/aws-json-1_0-protocol.html#shape-serialization
type Time struct{ time.Time }

// NewTime wraps t, truncated to the millisecond the wire carries, so a value
// read back from a response compares equal to the one that was sent.
func NewTime(t time.Time) Time { return Time{t.Truncate(time.Millisecond)} }

// TimePtr returns a pointer to NewTime(t), for optional timestamp members.
func TimePtr(t time.Time) *Time {
	v := NewTime(t)
	return &v
}

// MarshalJSON writes epoch seconds with a millisecond fraction, and no
// fraction at all for whole seconds, as AWS does.
func (t Time) MarshalJSON() ([]byte, error) {
	ms := t.UnixMilli()
	var b []byte
	if ms < 0 {
		b, ms = append(b, '-'), -ms
	}
	sec, frac := ms/1000, ms%1000
	b = strconv.AppendInt(b, sec, 10)
	if frac != 0 {
		b = append(b, '.')
		b = append(b, byte('0'+frac/100), byte('0'+frac/10%10), byte('0'+frac%10))
		b = bytes.TrimRight(b, "0")
	}
	return b, nil
}

// UnmarshalJSON accepts epoch seconds as a number (fraction and exponent
// allowed) and, leniently, an RFC 3339 string or a number inside a string,
// because hand-written clients send both.
func (t *Time) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		return nil
	}
	if len(b) > 1 && b[0] == '"' {
		s, err := strconv.Unquote(string(b))
		if err != nil {
			return fmt.Errorf("timestamp %s: %w", b, err)
		}
		if p, err := time.Parse(time.RFC3339Nano, s); err == nil {
			t.Time = p
			return nil
		}
		b = []byte(s)
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) > 1e14 {
		return fmt.Errorf("timestamp %q is not epoch seconds", b)
	}
	sec, frac := math.Modf(f)
	// Round to the millisecond: 1732550400.123 is not exact in binary.
	t.Time = time.Unix(int64(sec), int64(math.Round(frac*1000))*int64(time.Millisecond)).UTC()
	return nil
}
