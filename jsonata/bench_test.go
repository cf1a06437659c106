package jsonata

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"stepline/jsonvalue"
)

// orderDataset is the suite's dataset5 (Account.Order with two orders of two
// products each), or a copy of its shape when the suite is absent.
func orderDataset(tb testing.TB) any {
	tb.Helper()
	if raw, err := os.ReadFile(filepath.Join(suiteDir, "datasets", "dataset5.json")); err == nil {
		v, err := jsonvalue.Parse(raw)
		require.NoError(tb, err)
		return v
	}
	return jsonvalue.MustParse(`{"Account":{"Account Name":"Firefly","Order":[
		{"OrderID":"order103","Product":[
			{"Product Name":"Bowler Hat","ProductID":858383,"SKU":"0406654608","Description":{"Colour":"Purple","Width":300,"Height":200,"Depth":210,"Weight":0.75},"Price":34.45,"Quantity":2},
			{"Product Name":"Trilby hat","ProductID":858236,"SKU":"0406634348","Description":{"Colour":"Orange","Width":300,"Height":200,"Depth":210,"Weight":0.6},"Price":21.67,"Quantity":1}]},
		{"OrderID":"order104","Product":[
			{"Product Name":"Bowler Hat","ProductID":858383,"SKU":"040657863","Description":{"Colour":"Purple","Width":300,"Height":200,"Depth":210,"Weight":0.75},"Price":34.45,"Quantity":4},
			{"Product Name":"Cloak","ProductID":345664,"SKU":"0406654603","Description":{"Colour":"Black","Width":30,"Height":20,"Depth":210,"Weight":2},"Price":107.99,"Quantity":1}]}]}}`)
}

func BenchmarkSumProducts(b *testing.B) {
	e, err := Compile("$sum(Account.Order.Product.(Price*Quantity))")
	require.NoError(b, err)
	data := orderDataset(b)
	env := &Env{}
	b.ReportAllocs()
	for b.Loop() {
		v, ok, err := e.Eval(data, env)
		if err != nil || !ok {
			b.Fatalf("eval: %v %v %v", v, ok, err)
		}
	}
}

func TestSumProducts(t *testing.T) {
	t.Parallel()
	e, err := Compile("$sum(Account.Order.Product.(Price*Quantity))")
	require.NoError(t, err)
	v, ok, err := e.Eval(orderDataset(t), nil)
	require.NoError(t, err)
	require.True(t, ok)
	require.InDelta(t, 336.36, v, 1e-9)
}

func BenchmarkCompile(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compile(`Account.Order[OrderID = "order103"].Product{SKU: $sum(Price * Quantity)} ~> $each(function($v, $k) { $k & ": " & $formatNumber($v, "#,##0.00") })`); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkObjectConstructor(b *testing.B) {
	e, err := Compile(`{"orders": Account.Order.{"id": OrderID, "total": $sum(Product.(Price * Quantity)), "names": Product.` + "`Product Name`" + `}}`)
	require.NoError(b, err)
	data := orderDataset(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := e.Eval(data, nil); err != nil {
			b.Fatal(err)
		}
	}
}
