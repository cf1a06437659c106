package sfn

import (
	"testing"

	"github.com/stretchr/testify/require"

	"stepline/jsonvalue"
)

// itemSeeds are objects and reader configs the ItemReader parses: the fuzz target's
// seed corpus and the table of TestParseItems.
var itemSeeds = []struct {
	name, body, config, want, fail string
}{
	{"JSONArray", `[1,{"a":2}]`, `{"InputType":"JSON"}`, `[1,{"a":2}]`, ""},
	{"JSONDefault", `["x"]`, ``, `["x"]`, ""},
	{"JSONNotArray", `{"a":1}`, `{"InputType":"JSON"}`, ``, "Attempting to map over non-iterable node."},
	{"JSONItemsPointer", `{"a":{"b":[3]}}`, `{"InputType":"JSON","ItemsPointer":"/a/b"}`, `[3]`, ""},
	{"JSONBroken", `[1,`, `{"InputType":"JSON"}`, ``, "The content of the object is not valid JSON"},
	{"JSONL", "{\"a\":1}\n\n[2]\n", `{"InputType":"JSONL"}`, `[{"a":1},[2]]`, ""},
	{"JSONLMax", "1\n2\n3\n", `{"InputType":"JSONL","MaxItems":2}`, `[1,2]`, ""},
	{"JSONLEmpty", "", `{"InputType":"JSONL"}`, `[]`, ""},
	{"JSONLBroken", "1\n{\n", `{"InputType":"JSONL"}`, ``, "Line 2 of the object is not valid JSON"},
	{"CSVFirstRow", "a,b\n1,2\n\"x,y\",\n", `{"InputType":"CSV"}`, `[{"a":"1","b":"2"},{"a":"x,y","b":""}]`, ""},
	{"CSVShortRow", "a,b\n1\n", `{"InputType":"CSV","CSVHeaderLocation":"FIRST_ROW"}`, `[{"a":"1","b":""}]`, ""},
	{"CSVGiven", "1|2\n", `{"InputType":"CSV","CSVHeaderLocation":"GIVEN","CSVHeaders":["x","y"],"CSVDelimiter":"PIPE"}`, `[{"x":"1","y":"2"}]`, ""},
	{"CSVDuplicateHeaders", "a,a\n1,2\n", `{"InputType":"CSV"}`, ``, "CSV headers cannot contain duplicates."},
	{"CSVEmpty", "", `{"InputType":"CSV"}`, `[]`, ""},
	{"CSVGivenNone", "1\n", `{"InputType":"CSV","CSVHeaderLocation":"GIVEN"}`, ``, "CSVHeaders must be given"},
	{"CSVBadQuote", "a\n\"x\n", `{"InputType":"CSV"}`, ``, "The CSV object is malformed"},
	{"Parquet", "PAR1", `{"InputType":"PARQUET"}`, ``, "is not supported"},
}

func TestParseItems(t *testing.T) {
	t.Parallel()
	for _, c := range itemSeeds {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			var cfg *jsonvalue.Object
			if c.config != "" {
				cfg = jsonvalue.MustParse(c.config).(*jsonvalue.Object)
			}
			max := int64(0)
			if cfg != nil {
				if v, ok := cfg.Get("MaxItems"); ok {
					max, _ = jsonvalue.Int(v)
				}
			}
			items, fl := parseItems([]byte(c.body), cfg, max)
			if c.fail != "" {
				require.NotNil(t, fl)
				require.Equal(t, "States.ItemReaderFailed", fl.Error)
				require.Contains(t, fl.Cause, c.fail)
				return
			}
			require.Nil(t, fl)
			require.JSONEq(t, c.want, string(jsonvalue.Marshal(items)))
		})
	}
}

// FuzzParseItems feeds the ItemReader's parsers arbitrary objects: they answer items
// or States.ItemReaderFailed, never a panic.
func FuzzParseItems(f *testing.F) {
	for _, c := range itemSeeds {
		f.Add(c.body, c.config)
	}
	f.Fuzz(func(t *testing.T, body, config string) {
		var cfg *jsonvalue.Object
		if v, err := jsonvalue.ParseString(config); err == nil {
			cfg, _ = v.(*jsonvalue.Object)
		}
		items, fl := parseItems([]byte(body), cfg, 0)
		if fl != nil {
			require.Equal(t, "States.ItemReaderFailed", fl.Error)
			return
		}
		require.NotNil(t, items)
	})
}
