package payload

import (
	"testing"

	"stepline/jsonvalue"
)

func BenchmarkExpand(b *testing.B) {
	tmpl, err := Compile(jsonvalue.MustParse(`{"id.$":"$.order.id","qty.$":"$.order.items[0].qty","static":"x","who.$":"$$.Execution.Name"}`))
	if err != nil {
		b.Fatal(err)
	}
	env := Env{
		Input:   jsonvalue.MustParse(`{"order":{"id":"o-1","items":[{"sku":"a","qty":1}]}}`),
		Context: jsonvalue.MustParse(`{"Execution":{"Name":"e"}}`),
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tmpl.Expand(env); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkExpandIntrinsic(b *testing.B) {
	tmpl, err := Compile(jsonvalue.MustParse(`{"msg.$":"States.Format('order {} has {} items', $.order.id, States.ArrayLength($.order.items))"}`))
	if err != nil {
		b.Fatal(err)
	}
	env := Env{Input: jsonvalue.MustParse(`{"order":{"id":"o-1","items":[{"sku":"a","qty":1}]}}`)}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tmpl.Expand(env); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSelect(b *testing.B) {
	s, err := CompileSelector("$.order", "InputPath")
	if err != nil {
		b.Fatal(err)
	}
	env := Env{Input: jsonvalue.MustParse(`{"order":{"id":"o-1"}}`)}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Select(env); err != nil {
			b.Fatal(err)
		}
	}
}
