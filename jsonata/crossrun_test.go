package jsonata

import (
	"os"
	"testing"
	"time"

	"stepline/jsonvalue"
)

// TestSuiteExpressionsNeverPanic evaluates every suite expression against every
// suite dataset: most combinations are meaningless, which is the point.
func TestSuiteExpressionsNeverPanic(t *testing.T) {
	t.Parallel()
	if os.Getenv("JSONATA_CROSSRUN") == "" {
		t.Skip("slow; set JSONATA_CROSSRUN=1 to run")
	}
	if _, err := os.Stat(suiteDir); err != nil {
		t.Skipf("JSONata conformance suite not found at %s: %v", suiteDir, err)
	}
	cases, datasets := loadSuite(t)
	inputs := []any{undefinedValue{}, nil, jsonvalue.MustParse(`[1,"a",[2,{"b":3}],{"c":[4,5]}]`)}
	for _, d := range datasets {
		inputs = append(inputs, d)
	}
	for _, c := range cases {
		exprV, _ := c.doc.Get("expr")
		expr, ok := exprV.(string)
		if !ok {
			continue
		}
		e, err := Compile(expr)
		if err != nil {
			continue
		}
		for i, in := range inputs {
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Errorf("%s on input %d: panic %v", c.name, i, r)
					}
				}()
				env := &Env{Now: time.Unix(1700000000, 0), MaxDepth: 300, MaxSteps: 100000}
				_, _, _ = e.evalAny(in, env)
			}()
		}
	}
}
