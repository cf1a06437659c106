package jsonata

import (
	"testing"
	"time"

	"stepline/jsonvalue"
)

var fuzzSeeds = []string{
	"$sum(Account.Order.Product.(Price*Quantity))",
	"Account.Order[0].Product[Price > 30].`Product Name`",
	"$map([1..5], function($v, $i) { $v * $i })",
	"(  $f := function($n) { $n <= 1 ? 1 : $n * $f($n - 1) }; $f(5) )",
	"Account.Order@$o.Product#$i.{'o': $o.OrderID, 'i': $i}",
	"$.Account.Order.Product.%.OrderID",
	"$replace('hello world', /o(.)/, '[$1]')",
	"$formatNumber(1234.5678, '#,##0.00')",
	"$fromMillis(1510067557121, '[Y0001]-[M01]-[D01] [H01]:[m01]:[s01] [z]', '-0500')",
	"$toMillis('2017-11-07T15:12:37.121Z')",
	"| Account.Order | {'x': 1}, ['OrderID'] |",
	"Account.Order^(>OrderID).Product{`Product Name`: $sum(Price)}",
	"{'a': [1,2,3][$ > 1], 'b': \"s\" & 2}",
	"$sort([3,1,2], function($a, $b) { $a > $b })",
	"$string({'a': 1/3})",
	"**.Price",
	"/* comment */ $lookup($, 'Account') ~> $keys()",
	"$substring('hello', -3, 2) in ['ll', 'lo']",
	"$single([1,2,3], function($v) { $v = 2 })",
	"$formatInteger(1999, 'W')",
}

func FuzzCompile(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, expr string) {
		e, err := Compile(expr)
		if err == nil && e == nil {
			t.Fatal("nil expression without an error")
		}
	})
}

func FuzzEval(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s, `{"Account":{"Order":[{"OrderID":"o1","Product":[{"Product Name":"Hat","Price":34.45,"Quantity":2}]},{"OrderID":"o2","Product":[{"Price":21.67,"Quantity":1}]}]}}`)
	}
	f.Add("$[0]", `[1,[2,3],{"a":null}]`)
	f.Fuzz(func(t *testing.T, expr, data string) {
		e, err := Compile(expr)
		if err != nil {
			return
		}
		input, err := jsonvalue.ParseString(data)
		if err != nil {
			return
		}
		env := &Env{Now: time.Unix(1700000000, 0), MaxDepth: 200, MaxSteps: 20000}
		v, ok, err := e.Eval(input, env)
		if err != nil || !ok {
			return
		}
		// A result must be a value of the model: marshalling it must not fail.
		_ = jsonvalue.Marshal(v)
		if needsExternalize(v) {
			t.Fatalf("result holds evaluator values: %#v", v)
		}
	})
}
