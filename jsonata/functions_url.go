package jsonata

import (
	"strings"
	"unicode/utf8"
)

// The URL functions follow JavaScript's encodeURIComponent, encodeURI,
// decodeURIComponent and decodeURI; a malformed input is error D3140.

const (
	uriUnreserved = "-_.!~*'()"
	uriReserved   = ";,/?:@&=+$#"
)

// urlError is D3140, reported for input JavaScript's URI functions reject.
func urlError(fn, s string) error {
	return withInfo("D3140", errInfo{value: s, hasValue: true, extra: fn})
}

// encodeURI percent-encodes the UTF-8 bytes of every character outside keep and the
// ASCII letters and digits. A lone surrogate cannot be encoded.
func encodeURI(s string, keep string) (string, bool) {
	var b strings.Builder
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte(keep, c) >= 0 {
				b.WriteByte(c)
			} else {
				b.WriteString("%" + strings.ToUpper(string("0123456789abcdef"[c>>4])+string("0123456789abcdef"[c&15])))
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			// A lone surrogate (kept by the lexer as WTF-8) cannot be encoded.
			return "", false
		}
		for _, by := range []byte(s[i : i+size]) {
			b.WriteString("%" + strings.ToUpper(string("0123456789abcdef"[by>>4])+string("0123456789abcdef"[by&15])))
		}
		i += size
	}
	return b.String(), true
}

// unhex is the value of a hexadecimal digit.
func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// decodeURI decodes %XX escapes, leaving escapes of the characters in reserved as
// they are.
func decodeURI(s string, reserved string) (string, bool) {
	var b []byte
	for i := 0; i < len(s); {
		if s[i] != '%' {
			b = append(b, s[i])
			i++
			continue
		}
		start := i
		var seq []byte
		for {
			if i+3 > len(s) {
				return "", false
			}
			h, ok1 := unhex(s[i+1])
			l, ok2 := unhex(s[i+2])
			if !ok1 || !ok2 {
				return "", false
			}
			seq = append(seq, h<<4|l)
			i += 3
			if seq[0] < utf8.RuneSelf || utf8.FullRune(seq) || len(seq) >= 4 || i >= len(s) || s[i] != '%' {
				break
			}
		}
		if len(seq) == 1 && seq[0] < utf8.RuneSelf {
			if strings.IndexByte(reserved, seq[0]) >= 0 {
				b = append(b, s[start:i]...)
			} else {
				b = append(b, seq[0])
			}
			continue
		}
		r, size := utf8.DecodeRune(seq)
		if r == utf8.RuneError || size != len(seq) {
			return "", false
		}
		b = append(b, seq...)
	}
	return string(b), true
}

// fnEncodeURLComponent is $encodeUrlComponent (encodeURIComponent).
func fnEncodeURLComponent(_ call, args []any) (any, error) {
	s, ok := arg(args, 0).(string)
	if !ok {
		return undefinedValue{}, nil
	}
	r, ok := encodeURI(s, uriUnreserved)
	if !ok {
		return nil, urlError("encodeUrlComponent", s)
	}
	return r, nil
}

// fnEncodeURL is $encodeUrl (encodeURI, which keeps the URI delimiters).
func fnEncodeURL(_ call, args []any) (any, error) {
	s, ok := arg(args, 0).(string)
	if !ok {
		return undefinedValue{}, nil
	}
	r, ok := encodeURI(s, uriUnreserved+uriReserved)
	if !ok {
		return nil, urlError("encodeUrl", s)
	}
	return r, nil
}

// fnDecodeURLComponent is $decodeUrlComponent (decodeURIComponent).
func fnDecodeURLComponent(_ call, args []any) (any, error) {
	s, ok := arg(args, 0).(string)
	if !ok {
		return undefinedValue{}, nil
	}
	r, ok := decodeURI(s, "")
	if !ok {
		return nil, urlError("decodeUrlComponent", s)
	}
	return r, nil
}

// fnDecodeURL is $decodeUrl (decodeURI, which leaves escaped delimiters escaped).
func fnDecodeURL(_ call, args []any) (any, error) {
	s, ok := arg(args, 0).(string)
	if !ok {
		return undefinedValue{}, nil
	}
	r, ok := decodeURI(s, uriReserved)
	if !ok {
		return nil, urlError("decodeUrl", s)
	}
	return r, nil
}
