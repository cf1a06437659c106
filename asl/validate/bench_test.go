package validate

import (
	"os"
	"testing"

	"stepline/jsonvalue"
)

func mustCaseDefinition(b *testing.B, name string) string {
	b.Helper()
	raw, err := os.ReadFile("testdata/cases/" + name)
	if err != nil {
		b.Fatal(err)
	}
	v, err := jsonvalue.Parse(raw)
	if err != nil {
		b.Fatal(err)
	}
	d, _ := v.(*jsonvalue.Object).Get("definition")
	return jsonvalue.MarshalString(d)
}

// BenchmarkDefinition measures a definition with a dozen Task states, retries,
// catchers and payload templates: the cost CreateStateMachine pays.
func BenchmarkDefinition(b *testing.B) {
	def := mustCaseDefinition(b, "valid_task_features.json")
	b.SetBytes(int64(len(def)))
	b.ReportAllocs()
	for b.Loop() {
		if diags := Definition(def, Options{}); HasErrors(diags) {
			b.Fatal(diags)
		}
	}
}

// BenchmarkDefinitionJSONata measures a JSONata machine, where every "{% %}" string
// is compiled.
func BenchmarkDefinitionJSONata(b *testing.B) {
	def := mustCaseDefinition(b, "valid_jsonata_everything.json")
	b.SetBytes(int64(len(def)))
	b.ReportAllocs()
	for b.Loop() {
		if diags := Definition(def, Options{}); HasErrors(diags) {
			b.Fatal(diags)
		}
	}
}
