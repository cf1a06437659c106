package validate

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"stepline/jsonvalue"
)

// Query languages a definition or state can declare.
const (
	langJSONPath = "JSONPath"
	langJSONata  = "JSONata"
)

// checker accumulates the diagnostics of one Definition call.
type checker struct {
	opts    Options
	express bool
	diags   []Diagnostic
	topLang string
	// seen maps every state name to the location of its first definition, across all
	// scopes, because AWS requires names to be unique in the whole machine.
	seen map[string]string
	// labels maps each Map Label to where it is set; labels name Map Runs and must
	// be unique.
	labels map[string]string
}

func newChecker(opts Options) *checker {
	return &checker{opts: opts, express: opts.Type == "EXPRESS", seen: map[string]string{}, labels: map[string]string{}}
}

// errorf records an ERROR diagnostic.
func (c *checker) errorf(loc, code, format string, args ...any) {
	c.diags = append(c.diags, Diagnostic{Severity: SeverityError, Code: code, Message: fmt.Sprintf(format, args...), Location: loc})
}

// warnf records a WARNING diagnostic.
func (c *checker) warnf(loc, code, format string, args ...any) {
	c.diags = append(c.diags, Diagnostic{Severity: SeverityWarning, Code: code, Message: fmt.Sprintf(format, args...), Location: loc})
}

// schema records the SCHEMA_VALIDATION_FAILED error most checks produce.
func (c *checker) schema(loc, format string, args ...any) {
	c.errorf(loc, CodeSchema, format, args...)
}

// run checks the whole definition text.
func (c *checker) run(definition string) {
	root, ok := c.parse(definition)
	if !ok {
		return
	}
	c.machine(root)
}

// Type names AWS uses in "must be a ..." messages.
const (
	typeString  = "STRING"
	typeInteger = "INTEGER"
	typeNumber  = "NUMBER"
	typeBoolean = "BOOLEAN"
	typeObject  = "OBJECT"
	typeArray   = "ARRAY"
)

// mustBe reports a field whose value has the wrong JSON type.
func (c *checker) mustBe(loc, field, typ string) {
	article := "a"
	if strings.ContainsRune("AEIOU", rune(typ[0])) {
		article = "an"
	}
	c.schema(loc, "The value for the field '%s' must be %s %s", field, article, typ)
}

// loc joins a JSON pointer and a field name.
func loc(base, field string) string {
	if base == "/" {
		return "/" + field
	}
	return base + "/" + field
}

// idx names an array element the way AWS does in locations: Retry[0].
func idx(base, field string, i int) string {
	return loc(base, field) + "[" + strconv.Itoa(i) + "]"
}

// has reports whether obj has field k.
func has(obj *jsonvalue.Object, k string) bool {
	_, ok := obj.Get(k)
	return ok
}

// str returns obj's field k when it is a string.
func str(obj *jsonvalue.Object, k string) (string, bool) {
	v, ok := obj.Get(k)
	if !ok {
		return "", false
	}
	s, ok := v.(string)
	return s, ok
}

// integer returns v as an int64 when it is a JSON number with no fraction. Numbers
// beyond int64 saturate, so range checks still reject them.
func integer(v any) (int64, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return jsonvalue.Int(v)
	}
	if i, err := strconv.ParseInt(string(n), 10, 64); err == nil {
		return i, true
	}
	f, err := strconv.ParseFloat(string(n), 64)
	if err != nil && !math.IsInf(f, 0) {
		return 0, false
	}
	if f != math.Trunc(f) {
		return 0, false
	}
	if math.Abs(f) < 1<<62 {
		return int64(f), true // 1.0, 1e3
	}
	if f > 0 {
		return math.MaxInt64, true
	}
	return math.MinInt64, true
}

// number returns v as a float64 when it is a JSON number.
func number(v any) (float64, bool) {
	if !jsonvalue.IsNumber(v) {
		return 0, false
	}
	return jsonvalue.Float(v)
}
