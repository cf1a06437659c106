package jsonpath

import (
	"testing"

	"stepline/jsonvalue"
)

// FuzzCompile checks that no path text makes Compile, Get, Set or NormalizedPath panic,
// and that a compiled path's normalized form compiles again when the path is definite.
func FuzzCompile(f *testing.F) {
	for _, s := range []string{
		"$", "$.a.b", "$['a b'][0]", "$..x[*]", "$.a[1:3]", "$.a[-1:]", "$.a[?(@.x > 1 && !@.y)]",
		"$.a[?(@.s =~ /ab.*/i)]", "$.a[?(@.t in ['x', \"y\"])]", "$.a.length()", "$['a','b']", "$[0,1]",
		"$.a[?(@.o == {'k': [1, 2]})]", `$['Test\""Name"']`, "$.a[?((@.x))]", "$.a..b.*",
	} {
		f.Add(s)
	}
	doc := jsonvalue.MustParse(`{"a":[{"x":2,"s":"abc","t":"x"},{"y":null,"o":{"k":[1,2]}}],"b":{"c":"d"},"a b":[1]}`)
	f.Fuzz(func(t *testing.T, s string) {
		_ = NormalizedPath(s)
		_ = IsReferencePath(s)
		p, err := Compile(s)
		if err != nil {
			return
		}
		_, _ = p.Get(doc)
		if p.IsReference() {
			_, _ = p.Set(doc, 1)
		}
		if p.IsDefinite() && !p.IsRoot() {
			if _, err := Compile(p.Normalized()); err != nil {
				// Names holding quotes or backslashes cannot round-trip through
				// Jayway's unescaped bracket form; anything else must.
				for i := range p.segs {
					for _, n := range p.segs[i].names {
						for _, c := range n {
							if c == '\'' || c == '\\' {
								return
							}
						}
					}
				}
				t.Fatalf("normalized form %q of %q does not compile: %v", p.Normalized(), s, err)
			}
		}
	})
}
