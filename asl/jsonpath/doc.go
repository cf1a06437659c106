// Package jsonpath evaluates JSONPath the way AWS Step Functions does in its JSONPath
// query language: Step Functions runs Jayway JsonPath, so this package copies Jayway's
// grammar, its definite/indefinite distinction and its error texts, which AWS quotes in
// execution failures ("Invalid path '$.x' : No results for path: $['x']").
//
// Which Jayway: the AWS recordings show bracket names taken verbatim ($['a\"b'] selects
// the key a\"b) and missing nodes under an indefinite path giving [] rather than an
// error, as Jayway 2.0.0 does and later releases do not. Error messages and results
// were therefore checked against Jayway 2.0.0 (testdata/jayway-2.0.0.json). Where that
// release is plainly broken (negative indexes, the in/nin/size/contains/empty
// operators) we follow later releases instead. Path functions such as length() are
// not supported, as on AWS: "$.a.length()" names a property "length()".
//
// A definite path ($, $.a.b, $['x'], $.a[0]) names one node and Get returns that node or
// an error wrapping ErrNoResult. An indefinite path (wildcards, deep scan, slices,
// filters, unions) returns a []any of its matches, empty when nothing matches, as
// Jayway does.
//
// The evaluator is our own, over the jsonvalue model, rather than
// github.com/ohler55/ojg/jp: ojg expects map[string]any (or its Keyed interface), so
// every Get would convert the ordered *jsonvalue.Object or lose key order, and its
// behaviour for missing leaves, filters on objects and error wording differs from
// Jayway's in ways AWS users see. Paths are compiled once (Compile) and evaluated many
// times; a definite Get allocates nothing, which matters on the interpreter's hot path.
//
// Set implements ResultPath: it returns a new document and never mutates its input,
// because other states (Parallel branches, Map iterations, history) may share it.
//
// The package is pure: no I/O, clock, randomness or goroutines.
package jsonpath
