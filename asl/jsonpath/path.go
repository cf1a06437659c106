package jsonpath

import (
	"strconv"
	"strings"
)

// Path is a compiled JSONPath. It is immutable and safe for concurrent use, so the
// interpreter compiles each path of a definition once and evaluates it per transition.
type Path struct {
	text     string
	segs     []segment
	definite bool
	strict   int    // steps up to this index have a definite upstream (see walker)
	norm     string // Jayway's bracket form, used in AWS's messages
}

// segKind tells what a segment selects.
type segKind uint8

const (
	segName     segKind = iota // one or more property names: .a, ['a'], ['a','b']
	segIndex                   // one or more array indexes: [0], [-1], [0,2]
	segWildcard                // .* or [*]
	segSlice                   // [from:to]
	segFilter                  // [?(expr)]
)

// segment is one step of a path. scan marks a deep scan (..) in front of the step.
type segment struct {
	kind    segKind
	scan    bool
	names   []string
	indexes []int
	from    int
	to      int
	hasFrom bool
	hasTo   bool
	filter  expr
}

// String returns the path as it was written (trimmed), which is how AWS quotes it in
// "The JSONPath '$.x' specified for the field ...".
func (p *Path) String() string { return p.text }

// IsDefinite reports whether the path names at most one node. Get returns that node for
// a definite path and a []any of matches otherwise.
func (p *Path) IsDefinite() bool { return p.definite }

// Normalized returns Jayway's bracket form of the path, $['a']['b'][0], which AWS uses
// in messages such as "No results for path: $['a']".
func (p *Path) Normalized() string { return p.norm }

// IsRoot reports whether the path is "$" alone, which selects the whole document.
func (p *Path) IsRoot() bool { return len(p.segs) == 0 }

// IsReference reports whether the path is an AWS reference path: definite, made only of
// property names and single array indexes (no filters, functions, unions or slices).
// ResultPath accepts only reference paths.
func (p *Path) IsReference() bool {
	for i := range p.segs {
		s := &p.segs[i]
		if s.scan {
			return false
		}
		switch s.kind {
		case segName:
			if len(s.names) != 1 {
				return false
			}
		case segIndex:
			if len(s.indexes) != 1 {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// IsReferencePath reports whether s compiles to a reference path (see
// (*Path).IsReference). AWS's Paths page: "a reference path ... can't contain the
// operators @ , : ? nor functions".
func IsReferencePath(s string) bool {
	p, err := Compile(s)
	if err != nil {
		return false
	}
	// No filter or function, even where Jayway would read one as a plain name.
	if strings.ContainsAny(s, "@?()") {
		return false
	}
	return p.IsReference()
}

// NormalizedPath returns Jayway's bracket form of path ($['a']['b'][0]); a path that does
// not compile is returned as it is.
func NormalizedPath(path string) string {
	p, err := Compile(path)
	if err != nil {
		return path
	}
	return p.norm
}

// isDefinite applies Jayway's rule: no scan, wildcard, slice or filter, one index per
// step, and several property names only in the last step (they merge into one object).
func isDefinite(segs []segment) bool {
	for i := range segs {
		s := &segs[i]
		if s.scan {
			return false
		}
		switch s.kind {
		case segName:
			if len(s.names) > 1 && i != len(segs)-1 {
				return false
			}
		case segIndex:
			if len(s.indexes) > 1 {
				return false
			}
		case segWildcard, segSlice, segFilter:
			return false
		}
	}
	return true
}

// appendNormalized writes segs in Jayway's PathToken.toString form.
func appendNormalized(b []byte, segs []segment) []byte {
	for i := range segs {
		b = appendSegment(b, &segs[i])
	}
	return b
}

func appendSegment(b []byte, s *segment) []byte {
	if s.scan {
		b = append(b, ".."...)
	}
	switch s.kind {
	case segName:
		b = appendNames(b, s.names)
	case segIndex:
		b = append(b, '[')
		for j, n := range s.indexes {
			if j > 0 {
				b = append(b, ',')
			}
			b = strconv.AppendInt(b, int64(n), 10)
		}
		b = append(b, ']')
	case segWildcard:
		b = append(b, "[*]"...)
	case segSlice:
		b = append(b, '[')
		if s.hasFrom {
			b = strconv.AppendInt(b, int64(s.from), 10)
		}
		b = append(b, ':')
		if s.hasTo {
			b = strconv.AppendInt(b, int64(s.to), 10)
		}
		b = append(b, ']')
	case segFilter:
		b = append(b, "[?]"...)
	}
	return b
}

func appendNames(b []byte, names []string) []byte {
	b = append(b, '[')
	for j, n := range names {
		if j > 0 {
			b = append(b, ", "...)
		}
		b = append(b, '\'')
		b = append(b, n...)
		b = append(b, '\'')
	}
	return append(b, ']')
}
