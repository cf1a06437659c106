package jsonata

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"stepline/jsonvalue"
)

func TestZZBatch(t *testing.T) {
	raw, err := os.ReadFile("/tmp/jsoracle/batch.json")
	if err != nil {
		t.Skip()
	}
	var cases []struct{ E, R string }
	json.Unmarshal(raw, &cases)
	b, _ := os.ReadFile(filepath.Join(suiteDir, "datasets", "dataset5.json"))
	data, _ := jsonvalue.Parse(b)
	for _, c := range cases {
		var got string
		e, err := Compile(c.E)
		var v any
		var ok bool
		if err == nil {
			v, ok, err = e.Eval(data, &Env{Now: time.Now()})
		}
		var je *Error
		switch {
		case errors.As(err, &je):
			got = "ERR " + je.Code + " " + je.Message
		case err != nil:
			got = "ERR " + err.Error()
		case !ok:
			got = "undefined"
		default:
			got = string(jsonvalue.Marshal(v))
		}
		if got != c.R {
			if gv, err1 := jsonvalue.ParseString(got); err1 == nil {
				if wv, err2 := jsonvalue.ParseString(c.R); err2 == nil && jsonvalue.Equal(gv, wv) {
					continue
				}
			}
			fmt.Printf("%s\n  want %s\n  got  %s\n", c.E, c.R, got)
		}
	}
}
