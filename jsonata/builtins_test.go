package jsonata

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"stepline/jsonvalue"
)

// TestBuiltinsTolerateAnyArguments calls every built-in, directly and through a
// partial application (which skips the signature check, as in jsonata-js), with
// arguments of every type. None may panic.
func TestBuiltinsTolerateAnyArguments(t *testing.T) {
	t.Parallel()
	names := make([]string, 0, len(builtins))
	for name := range builtins {
		names = append(names, name)
	}
	sort.Strings(names)
	values := []string{"nothing", "null", "true", "-1.5", "0", "1e300", `""`, `"abc"`, "[]", `[1,"a",[2]]`, `{"a":1}`, "function($x){$x}", "/a+/", "$string"}
	data := jsonvalue.MustParse(`{"a": [1, 2, {"b": "c"}]}`)
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			for _, a := range values {
				for _, b := range values {
					exprs := []string{
						fmt.Sprintf("$%s(%s)", name, a),
						fmt.Sprintf("$%s(%s, %s)", name, a, b),
						fmt.Sprintf("$%s(%s, %s, %s, %s)", name, a, b, a, b),
						fmt.Sprintf("$%s(?, %s)(%s)", name, b, a),
						fmt.Sprintf("$%s(?, ?, ?)(%s, %s)", name, a, b),
					}
					for _, expr := range exprs {
						if strings.Contains(expr, "$random") || strings.Contains(expr, "$shuffle") {
							continue
						}
						e, err := Compile(expr)
						require.NoError(t, err, expr)
						require.NotPanics(t, func() {
							_, _, _ = e.Eval(data, &Env{Now: time.Unix(0, 0), MaxSteps: 100000})
						}, expr)
					}
				}
			}
		})
	}
}
