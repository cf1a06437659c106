package jsonpath

import (
	"testing"

	"stepline/jsonvalue"
)

// The interpreter evaluates paths on every transition (1M transitions/s target), so
// these measure compiled paths on small documents.

var benchDoc = jsonvalue.MustParse(`{"order":{"id":"o-1","items":[{"sku":"a","qty":1},{"sku":"b","qty":3}],"total":12.5},"user":{"name":"Ana"}}`)

func BenchmarkGetDefinite(b *testing.B) {
	p := MustCompile("$.order.items[1].qty")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Get(benchDoc); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGetRoot(b *testing.B) {
	p := MustCompile("$")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Get(benchDoc); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGetWildcard(b *testing.B) {
	p := MustCompile("$.order.items[*].sku")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Get(benchDoc); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGetFilter(b *testing.B) {
	p := MustCompile("$.order.items[?(@.qty > 2)].sku")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Get(benchDoc); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSet(b *testing.B) {
	p := MustCompile("$.result.value")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Set(benchDoc, "x"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCompile(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compile("$.order.items[1].qty"); err != nil {
			b.Fatal(err)
		}
	}
}
