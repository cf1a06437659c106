package validate

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"stepline/jsonvalue"
)

// machineGen builds random definitions that are valid by construction, in either
// query language, so that combinations nobody wrote by hand are checked for false
// positives: a refused valid definition is worse than a missed invalid one.
type machineGen struct {
	r     *rand.Rand
	lang  string
	names int
}

func (g *machineGen) name() string {
	g.names++
	forms := []string{"State %d", "état-%d", "s/%d", "a.b[%d]", "%d", "Fail%d", "$%d", "name with \"quotes\" %d"}
	return fmt.Sprintf(forms[g.r.IntN(len(forms))], g.names)
}

// block returns {StartAt, States} with n states chained, the last one terminal.
func (g *machineGen) block(depth, n int) *jsonvalue.Object {
	names := make([]string, n)
	for i := range names {
		names[i] = g.name()
	}
	states := jsonvalue.NewObject(n)
	for i, name := range names {
		next := ""
		if i+1 < n {
			next = names[i+1]
		}
		states.Set(name, g.state(depth, next))
	}
	return jsonvalue.ObjectOf("StartAt", names[0], "States", states)
}

func (g *machineGen) flow(st *jsonvalue.Object, next string) *jsonvalue.Object {
	if next == "" {
		st.Set("End", true)
	} else {
		st.Set("Next", next)
	}
	return st
}

func (g *machineGen) value() any {
	if g.lang == langJSONata {
		exprs := []string{"{% $states.input %}", "{% $count([1,2]) %}", "{% $states.context.Execution.Id %}", "{% 'x' & $string(1) %}"}
		return exprs[g.r.IntN(len(exprs))]
	}
	return jsonvalue.ObjectOf("a.$", "$.a", "b", 1, "c.$", "States.Format('{}', $$.Execution.Name)", "d.$", "$.list[0:2]")
}

func (g *machineGen) state(depth int, next string) *jsonvalue.Object {
	kinds := []string{"Pass", "Task", "Wait", "Choice"}
	if next == "" {
		kinds = append(kinds, "Succeed", "Fail")
	}
	if depth < 3 {
		kinds = append(kinds, "Parallel", "Map")
	}
	switch kind := kinds[g.r.IntN(len(kinds))]; kind {
	case "Pass":
		st := jsonvalue.ObjectOf("Type", "Pass")
		if g.lang == langJSONata {
			st.Set("Output", g.value())
		} else {
			st.Set("Parameters", g.value())
			st.Set("ResultPath", "$.out")
		}
		st.Set("Assign", jsonvalue.ObjectOf("v"+fmt.Sprint(g.names), 1))
		return g.flow(st, next)
	case "Task":
		st := jsonvalue.ObjectOf("Type", "Task", "Resource", "arn:aws:states:::lambda:invoke", "TimeoutSeconds", 30, "HeartbeatSeconds", 10,
			"Retry", []any{jsonvalue.ObjectOf("ErrorEquals", []any{"Lambda.ServiceException", "States.Timeout"}, "MaxAttempts", 2), jsonvalue.ObjectOf("ErrorEquals", []any{"States.ALL"})})
		if g.lang == langJSONata {
			st.Set("Arguments", jsonvalue.ObjectOf("FunctionName", "f", "Payload", g.value()))
		} else {
			st.Set("Parameters", g.value())
		}
		return g.flow(st, next)
	case "Wait":
		return g.flow(jsonvalue.ObjectOf("Type", "Wait", "Seconds", g.r.IntN(10)), next)
	case "Choice":
		target := next
		if target == "" {
			// A Choice cannot end a block; send both ways to a terminal state
			// named after the Choice, in the same block.
			return jsonvalue.ObjectOf("Type", "Succeed")
		}
		rule := jsonvalue.ObjectOf("Variable", "$.x", "NumericGreaterThan", 1, "Next", target)
		if g.lang == langJSONata {
			rule = jsonvalue.ObjectOf("Condition", "{% $states.input.x > 1 %}", "Next", target)
		}
		return jsonvalue.ObjectOf("Type", "Choice", "Choices", []any{rule}, "Default", target)
	case "Succeed":
		return jsonvalue.ObjectOf("Type", "Succeed")
	case "Fail":
		return jsonvalue.ObjectOf("Type", "Fail", "Error", "E", "Cause", "C")
	case "Parallel":
		branches := []any{g.block(depth+1, 1+g.r.IntN(3)), g.block(depth+1, 1+g.r.IntN(3))}
		return g.flow(jsonvalue.ObjectOf("Type", "Parallel", "Branches", branches), next)
	default: // Map
		proc := g.block(depth+1, 1+g.r.IntN(3))
		if g.r.IntN(2) == 0 {
			proc.Set("ProcessorConfig", jsonvalue.ObjectOf("Mode", "DISTRIBUTED", "ExecutionType", "EXPRESS"))
		}
		st := jsonvalue.ObjectOf("Type", "Map", "ItemProcessor", proc, "MaxConcurrency", 2)
		if g.lang == langJSONata {
			st.Set("Items", "{% $states.input.items %}")
		} else {
			st.Set("ItemsPath", "$.items")
		}
		return g.flow(st, next)
	}
}

// TestGeneratedDefinitionsAreValid runs a few hundred generated machines.
func TestGeneratedDefinitionsAreValid(t *testing.T) {
	t.Parallel()
	for seed := range uint64(300) {
		g := &machineGen{r: rand.New(rand.NewPCG(seed, 7)), lang: langJSONPath}
		if seed%2 == 1 {
			g.lang = langJSONata
		}
		m := g.block(0, 1+g.r.IntN(6))
		m.Set("QueryLanguage", g.lang)
		def := jsonvalue.MarshalString(m)
		var errs []Diagnostic
		for _, d := range Definition(def, Options{}) {
			if d.Severity == SeverityError {
				errs = append(errs, d)
			}
		}
		require.Empty(t, errs, "seed %d: %s", seed, def)
	}
}
