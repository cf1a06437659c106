package jsonata

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"stepline/jsonvalue"
)

func TestZZCross(t *testing.T) {
	raw, err := os.ReadFile("/tmp/jsoracle/cross.json")
	if err != nil {
		t.Skip()
	}
	all, _ := jsonvalue.Parse(raw)
	datasets := map[string]any{}
	files, _ := filepath.Glob(filepath.Join(suiteDir, "datasets", "*.json"))
	for _, path := range files {
		b, _ := os.ReadFile(path)
		v, _ := jsonvalue.Parse(b)
		datasets[strings.TrimSuffix(filepath.Base(path), ".json")] = v
	}
	bad := map[string]int{}
	shown := 0
	for _, c := range all.([]any) {
		o := c.(*jsonvalue.Object)
		get := func(k string) any { v, _ := o.Get(k); return v }
		expr := get("e").(string)
		ds := get("d").(string)
		r := get("r").(*jsonvalue.Object)
		env := &Env{Vars: map[string]any{}, Now: time.Now(), MaxSteps: 1000000}
		get("b").(*jsonvalue.Object).Range(func(k string, v any) bool { env.Vars[k] = v; return true })
		var got string
		func() {
			defer func() {
				if p := recover(); p != nil {
					got = fmt.Sprint("PANIC ", p)
				}
			}()
			v, ok, err := evalSuite(expr, datasets[ds], env)
			var je *Error
			switch {
			case errors.As(err, &je):
				got = "code " + je.Code
			case err != nil:
				got = "err " + err.Error()
			case !ok:
				got = "undefined"
			default:
				got = jsonvalue.MarshalString(v)
			}
		}()
		var want string
		if c, ok := r.Get("c"); ok {
			want = "code " + fmt.Sprint(c)
		} else if _, ok := r.Get("u"); ok {
			want = "undefined"
		} else {
			v, _ := r.Get("v")
			want = jsonvalue.MarshalString(v)
			if gv, err := jsonvalue.ParseString(got); err == nil && jsonvalue.Equal(gv, v) {
				continue
			}
		}
		if want == got {
			continue
		}
		name := get("n").(string)
		bad[name]++
		if bad[name] == 1 && shown < 150 {
			shown++
			fmt.Printf("%s [%s] %s\n  want %.200s\n  got  %.200s\n", name, ds, expr, want, got)
		}
	}
	fmt.Println("distinct failing exprs:", len(bad))
}
