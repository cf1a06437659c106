package jsonpath

import (
	"testing"

	"github.com/stretchr/testify/require"

	"stepline/jsonvalue"
)

const storeDoc = `{
  "store": {
    "book": [
      {"category": "reference", "author": "Nigel Rees", "title": "Sayings of the Century", "price": 8.95},
      {"category": "fiction", "author": "Evelyn Waugh", "title": "Sword of Honour", "price": 12.99},
      {"category": "fiction", "author": "Herman Melville", "title": "Moby Dick", "isbn": "0-553-21311-3", "price": 8.99},
      {"category": "fiction", "author": "J. R. R. Tolkien", "title": "The Lord of the Rings", "isbn": "0-395-19395-8", "price": 22.99}
    ],
    "bicycle": {"color": "red", "price": 19.95}
  },
  "expensive": 10,
  "delivery-partner": "ups",
  "a b": {"c.d": 1},
  "Test\\\"\"Name\"": "Value",
  "nul": null,
  "users": [{"year": 1997, "status": 0}, {"year": 1998, "status": 1}]
}`

func TestGet(t *testing.T) {
	t.Parallel()
	doc := jsonvalue.MustParse(storeDoc)
	tests := []struct {
		name, path, want string
	}{
		{"Root", "$", ""},
		{"Child", "$.expensive", `10`},
		{"Nested", "$.store.bicycle.color", `"red"`},
		{"Dash", "$.delivery-partner", `"ups"`},
		{"Bracket", "$['store']['bicycle']['price']", `19.95`},
		{"BracketDoubleQuote", `$["expensive"]`, `10`},
		{"BracketSpecial", "$['a b']['c.d']", `1`},
		{"DotBracket", "$.['a b'].['c.d']", `1`},
		{"BracketEscapeKeptRaw", `$['Test\""Name"']`, `"Value"`},
		{"Null", "$.nul", `null`},
		{"Index", "$.store.book[1].author", `"Evelyn Waugh"`},
		{"NegativeIndex", "$.store.book[-1].title", `"The Lord of the Rings"`},
		{"Wildcard", "$.store.book[*].author", `["Nigel Rees","Evelyn Waugh","Herman Melville","J. R. R. Tolkien"]`},
		{"DotWildcard", "$.store.bicycle.*", `["red",19.95]`},
		{"DeepScan", "$..author", `["Nigel Rees","Evelyn Waugh","Herman Melville","J. R. R. Tolkien"]`},
		{"DeepScanPrice", "$.store..price", `[8.95,12.99,8.99,22.99,19.95]`},
		{"Union", "$.store.book[0,2].title", `["Sayings of the Century","Moby Dick"]`},
		{"Slice", "$.store.book[1:3].price", `[12.99,8.99]`},
		{"SliceFrom", "$.store.book[2:].price", `[8.99,22.99]`},
		{"SliceTo", "$.store.book[:1].price", `[8.95]`},
		{"SliceNegative", "$.store.book[-2:].price", `[8.99,22.99]`},
		{"FilterExists", "$.store.book[?(@.isbn)].title", `["Moby Dick","The Lord of the Rings"]`},
		{"FilterNotExists", "$.store.book[?(!@.isbn)].price", `[8.95,12.99]`},
		{"FilterLess", "$.store.book[?(@.price < 10)].price", `[8.95,8.99]`},
		{"FilterRoot", "$.store.book[?(@.price > $.expensive)].price", `[12.99,22.99]`},
		{"FilterString", "$.store.book[?(@.category == 'reference')].author", `["Nigel Rees"]`},
		{"FilterAndOr", "$.store.book[?(@.price < 9 && @.category == 'fiction' || @.price > 20)].price", `[8.99,22.99]`},
		{"FilterParens", "$.store.book[?(!(@.price < 10))].price", `[12.99,22.99]`},
		{"FilterRegex", "$.store.book[?(@.author =~ /.*Rees/i)].price", `[8.95]`},
		{"FilterIn", "$.store.book[?(@.category in ['reference','x'])].price", `[8.95]`},
		{"FilterNin", "$.store.book[?(@.category nin ['fiction'])].price", `[8.95]`},
		{"FilterZero", "$.users[?(@.status == 0)]", `[{"year":1997,"status":0}]`},
		{"FilterNumberString", "$.users[?(@.status == '1')].year", `[1998]`},
		{"FilterOnObject", "$.store.bicycle[?(@.color == 'red')].price", `[19.95]`},
		{"DeepFilter", "$..[?(@.price > 20)].title", `["The Lord of the Rings"]`},
		{"MergeNames", "$.store.bicycle['color','price']", `{"color":"red","price":19.95}`},
		{"MissingIndefinite", "$.nothing[*]", `[]`},
		{"MissingSlice", "$.nothing[1:]", `[]`},
		{"WildcardOnScalar", "$.expensive[*]", `[]`},
		{"LooseAfterIndefinite", "$.store.book[*].title[0]", `[]`},
		{"WildcardOnNull", "$.nul[*]", `[]`},
		{"Spaces", "  $.expensive ", `10`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, err := Compile(tt.path)
			require.NoError(t, err)
			got, err := p.Get(doc)
			require.NoError(t, err)
			if tt.want == "" {
				require.Same(t, doc, got)
				return
			}
			require.JSONEq(t, tt.want, jsonvalue.MarshalString(got))
		})
	}
}

func TestGetNoResult(t *testing.T) {
	t.Parallel()
	doc := jsonvalue.MustParse(`{"a": {"b": "s", "arr": [1, 2]}, "n": null}`)
	tests := []struct {
		name, path, msg string
	}{
		{"Leaf", "$.NoSuchInputPath", "No results for path: $['NoSuchInputPath']"},
		{"DeepLeaf", "$.a.c", "No results for path: $['a']['c']"},
		{"Intermediate", "$.x.y", "Missing property in path $['x']"},
		{"IndexOut", "$.a.arr[5]", "Index out of bounds when evaluating path $['a']['arr'][5]"},
		{"IndexOutNotLeaf", "$.a.arr[5].x", "Index out of bounds when evaluating path $['a']['arr'][5]"},
		{"ThroughString", "$.a.b.c", "Property ['c'] not found in path $['a']['b']"},
		{"ThroughNull", "$.n.x", "Property ['x'] not found in path $['n']"},
		{"IndexOnNull", "$.n[0]", "The path $['n'] is null"},
		{"IndexOnObject", "$.a[0].b", `Filter: [0]['b'] can only be applied to arrays. Current context is: {b=s, arr=[1, 2]}`},
		{"IndexOnString", "$.a.b[0]", `Filter: [0] can only be applied to arrays. Current context is: s`},
		// Until the first indefinite step, a step on the wrong kind of node fails even
		// in an indefinite path, as in Jayway.
		{"SliceOnString", "$.a.b[1:]", `Filter: [1:] can only be applied to arrays. Current context is: s`},
		{"UnionOnNull", "$.n[0,1]", "The path $['n'] is null"},
		{"UnionOutOfBounds", "$.a.arr[0,5]", "Index out of bounds when evaluating path $['a']['arr'][5]"},
		{"FilterOnString", "$.a.b[?(@.x)].y", `Filter: [?]['y'] can not be applied to primitives. Current context is: s`},
		{"WildcardAfterPropertyOfString", "$.a.b.c[*]", "Property ['c'] not found in path $['a']['b']"},
		// No path functions in the Jayway release AWS runs: length() is a property.
		{"NoFunctions", "$.a.arr.length()", "Property ['length()'] not found in path $['a']['arr']"},
		{"NoFunctionsOnObject", "$.a.length()", "No results for path: $['a']['length()']"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := MustCompile(tt.path).Get(doc)
			require.ErrorIs(t, err, ErrNoResult)
			require.EqualError(t, err, tt.msg)
		})
	}
}

func TestCompileErrors(t *testing.T) {
	t.Parallel()
	for _, path := range []string{
		"", "a.b", "$.", "$..", "$a", "$$.a", "$.a..", "$[", "$['a'", "$[abc]", "$[1:2:3]", "$.a b",
		"$[?(@.a", "$[?(@.a == )]", "$[?(@.a =~ 'x')]", "$.a...b",
	} {
		_, err := Compile(path)
		require.ErrorIs(t, err, ErrSyntax, path)
	}
}

func TestNormalized(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"$":                  "$",
		"$.a.b[0]":           "$['a']['b'][0]",
		"$['a b'].c":         "$['a b']['c']",
		"$..a[*]":            "$..['a'][*]",
		"$.a[1:3]":           "$['a'][1:3]",
		"$.a[?(@.x)]":        "$['a'][?]",
		"$.a['x','y']":       "$['a']['x', 'y']",
		"$.NoSuchInputPath":  "$['NoSuchInputPath']",
		"not a path":         "not a path",
		"$.store.book[0, 2]": "$['store']['book'][0,2]",
	}
	for in, want := range tests {
		require.Equal(t, want, NormalizedPath(in), in)
	}
}

func TestDefinite(t *testing.T) {
	t.Parallel()
	for path, want := range map[string]bool{
		"$": true, "$.a": true, "$.a[0]": true, "$['a','b']": true, "$.a.length()": true,
		"$.a[*]": false, "$..a": false, "$.a[0,1]": false, "$.a[1:]": false, "$.a[?(@.x)]": false,
		"$['a','b'].c": false, "$.*": false,
	} {
		require.Equal(t, want, MustCompile(path).IsDefinite(), path)
	}
}

func TestIsReferencePath(t *testing.T) {
	t.Parallel()
	for path, want := range map[string]bool{
		"$": true, "$.a.b": true, "$.a[0]": true, "$['a b'].c": true,
		"$.a[*]": false, "$..a": false, "$.a[0,1]": false, "$.a[1:]": false, "$.a[?(@.x)]": false,
		"$.a.length()": false, "$$.a": false, "a": false, "$['a','b']": false,
	} {
		require.Equal(t, want, IsReferencePath(path), path)
	}
}
