package intrinsic

import (
	"encoding/json"

	"stepline/asl/jsonpath"
	"stepline/jsonvalue"
)

// jacksonNumbers rewrites the numbers of a freshly parsed value the way Jackson would
// print them after decoding (States.StringToJson("-0") is 0, "1e2" is 100.0). It
// changes v in place: callers pass values they own.
func jacksonNumbers(v any) any {
	switch t := v.(type) {
	case json.Number:
		return json.Number(jsonpath.JavaNumber(t))
	case []any:
		for i, e := range t {
			t[i] = jacksonNumbers(e)
		}
	case *jsonvalue.Object:
		for _, k := range t.Keys() {
			e, _ := t.Get(k)
			t.Set(k, jacksonNumbers(e))
		}
	}
	return v
}
