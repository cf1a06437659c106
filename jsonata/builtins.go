package jsonata

// builtins holds the built-in functions, read-only after init. It is built once
// because each entry carries a compiled signature.
var builtins map[string]*native

// init builds the built-in table once; each entry's signature is parsed here.
func init() {
	builtins = make(map[string]*native, 72)
	def := func(name, sig string, arity int, fn func(c call, args []any) (any, error)) {
		builtins[name] = &native{name: name, sig: mustSignature(sig), arity: arity, fn: fn}
	}
	// Aggregation and numeric functions (functions_numeric.go).
	def("sum", "<a<n>:n>", 1, fnSum)
	def("count", "<a:n>", 1, fnCount)
	def("max", "<a<n>:n>", 1, fnMax)
	def("min", "<a<n>:n>", 1, fnMin)
	def("average", "<a<n>:n>", 1, fnAverage)
	def("number", "<(nsb)-:n>", 1, fnNumber)
	def("floor", "<n-:n>", 1, fnFloor)
	def("ceil", "<n-:n>", 1, fnCeil)
	def("round", "<n-n?:n>", 2, fnRound)
	def("abs", "<n-:n>", 1, fnAbs)
	def("sqrt", "<n-:n>", 1, fnSqrt)
	def("power", "<n-n:n>", 2, fnPower)
	def("random", "<:n>", 0, fnRandom)
	def("formatNumber", "<n-so?:s>", 3, fnFormatNumber)
	def("formatBase", "<n-n?:s>", 2, fnFormatBase)
	def("formatInteger", "<n-s:s>", 2, fnFormatInteger)
	def("parseInteger", "<s-s:n>", 2, fnParseInteger)
	// String functions (functions_string.go).
	// JavaScript's Function.length stops at the first defaulted parameter.
	def("string", "<x-b?:s>", 1, fnString)
	def("substring", "<s-nn?:s>", 3, fnSubstring)
	def("substringBefore", "<s-s:s>", 2, fnSubstringBefore)
	def("substringAfter", "<s-s:s>", 2, fnSubstringAfter)
	def("lowercase", "<s-:s>", 1, fnLowercase)
	def("uppercase", "<s-:s>", 1, fnUppercase)
	def("length", "<s-:n>", 1, fnLength)
	def("trim", "<s-:s>", 1, fnTrim)
	def("pad", "<s-ns?:s>", 3, fnPad)
	def("match", "<s-f<s:o>n?:a<o>>", 3, fnMatch)
	def("contains", "<s-(sf):b>", 2, fnContains)
	def("replace", "<s-(sf)(sf)n?:s>", 4, fnReplace)
	def("split", "<s-(sf)n?:a<s>>", 3, fnSplit)
	def("join", "<a<s>s?:s>", 2, fnJoin)
	def("base64encode", "<s-:s>", 1, fnBase64Encode)
	def("base64decode", "<s-:s>", 1, fnBase64Decode)
	def("encodeUrlComponent", "<s-:s>", 1, fnEncodeURLComponent)
	def("encodeUrl", "<s-:s>", 1, fnEncodeURL)
	def("decodeUrlComponent", "<s-:s>", 1, fnDecodeURLComponent)
	def("decodeUrl", "<s-:s>", 1, fnDecodeURL)
	// Boolean and type functions.
	def("boolean", "<x-:b>", 1, fnBoolean)
	def("not", "<x-:b>", 1, fnNot)
	def("exists", "<x:b>", 1, fnExists)
	def("type", "<x:s>", 1, fnType)
	def("error", "<s?:x>", 1, fnError)
	def("assert", "<bs?:x>", 2, fnAssert)
	// Higher-order functions (functions_hof.go).
	def("map", "<af>", 2, fnMap)
	def("filter", "<af>", 2, fnFilter)
	def("single", "<af?>", 2, fnSingle)
	def("reduce", "<afj?:j>", 3, fnReduce)
	def("sift", "<o-f?:o>", 2, fnSift)
	def("each", "<o-f:a>", 2, fnEach)
	def("sort", "<af?:a>", 2, fnSort)
	// Array functions (functions_array.go).
	def("zip", "<a+>", 0, fnZip)
	def("append", "<xx:a>", 2, fnAppend)
	def("reverse", "<a:a>", 1, fnReverse)
	def("shuffle", "<a:a>", 1, fnShuffle)
	def("distinct", "<x:x>", 1, fnDistinct)
	// Object functions (functions_object.go).
	def("keys", "<x-:a<s>>", 1, fnKeys)
	def("lookup", "<x-s:x>", 2, fnLookup)
	def("spread", "<x-:a<o>>", 1, fnSpread)
	def("merge", "<a<o>:o>", 1, fnMerge)
	def("clone", "<(oa)-:o>", 1, fnClone)
	// Date and time (datetime.go).
	def("toMillis", "<s-s?:n>", 2, fnToMillis)
	def("fromMillis", "<n-s?s?:s>", 3, fnFromMillis)
}

// builtin returns the built-in function called name, or nil.
func builtin(name string) *native { return builtins[name] }
