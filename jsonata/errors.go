package jsonata

import (
	"errors"
	"math"
	"strconv"
	"strings"
)

// Error is a JSONata error carrying the reference implementation's code (e.g.
// "T2001") so that callers can report it the way AWS does ("T1006: Attempted to
// invoke a non-function").
type Error struct {
	Code     string
	Position int // in UTF-16 code units, as jsonata-js counts
	Token    string
	Message  string

	// info holds the template values of an error raised here; the message is
	// rendered from it once the final token is known.
	info *errInfo
}

// Error formats the error as Step Functions quotes it in a cause: "T1006: Attempted to
// invoke a non-function".
func (e *Error) Error() string { return e.Code + ": " + e.Message }

// errInfo carries the template values jsonata-js substitutes into its messages.
type errInfo struct {
	value, value2 any
	hasValue      bool
	index         int
	extra         string // {{{message}}}, {{{functionName}}}, {{type}} or {{exp}}
}

// newErr builds an error whose message is filled in from the template table.
func newErr(code string, pos int, token string) *Error {
	e := &Error{Code: code, Position: pos, Token: token, info: &errInfo{}}
	e.Message = formatMessage(code, token, errInfo{})
	return e
}

// valErr builds an error that reports the offending value.
func valErr(code string, value any) *Error {
	return withInfo(code, errInfo{value: value, hasValue: true})
}

// withInfo builds an error from a full set of template values.
func withInfo(code string, info errInfo) *Error {
	e := &Error{Code: code, info: &info}
	e.Message = formatMessage(code, "", info)
	return e
}

// override sets the position and token unconditionally, as jsonata-js does for
// errors raised within the operands of and/or.
func (e *Error) override(pos int, token string) *Error {
	e.Position, e.Token = pos, token
	return e
}

// finish renders the message with the final token and converts the position from
// a byte offset of src to UTF-16 code units. It runs once, where an error leaves
// the package.
func finish(err error, src string) error {
	var e *Error
	if !errors.As(err, &e) || e.info == nil {
		return err
	}
	e.Message = formatMessage(e.Code, e.Token, *e.info)
	if e.Position > 0 && e.Position <= len(src) {
		e.Position = utf16Len(src[:e.Position])
	}
	e.info = nil
	return e
}

// locate fills in a position and token the way jsonata-js does when an error passes
// through an operator or a function call, keeping what is already set. The message
// is refreshed because it may quote the token.
func (e *Error) locate(pos int, token string) *Error {
	if e.Position == 0 {
		e.Position = pos
	}
	if e.Token == "" && token != "" {
		e.Token = token
	}
	return e
}

// formatMessage fills a message template. Values are written as JSON, as
// jsonata-js's populateMessage does with JSON.stringify.
func formatMessage(code, token string, info errInfo) string {
	tpl := messageTemplate(code)
	if tpl == "" {
		return code
	}
	var b strings.Builder
	for {
		i := strings.Index(tpl, "{{")
		if i < 0 {
			b.WriteString(tpl)
			break
		}
		b.WriteString(tpl[:i])
		raw := strings.HasPrefix(tpl[i:], "{{{")
		j := strings.Index(tpl[i:], "}}")
		if j < 0 {
			b.WriteString(tpl[i:])
			break
		}
		name := strings.Trim(tpl[i:i+j], "{")
		tpl = tpl[i+j+2:]
		if raw {
			tpl = strings.TrimPrefix(tpl, "}")
		}
		switch name {
		case "token":
			if token == "" {
				// JSON.stringify(undefined) in jsonata-js's template filling.
				b.WriteString("undefined")
			} else if raw {
				b.WriteString(token)
			} else {
				b.WriteString(strconv.Quote(token))
			}
		case "value":
			b.WriteString(stringifyForMessage(info.value, info.hasValue))
		case "value2":
			b.WriteString(stringifyForMessage(info.value2, true))
		case "index":
			b.WriteString(strconv.Itoa(info.index))
		default:
			if raw || name == "exp" {
				b.WriteString(info.extra)
			} else {
				b.WriteString(strconv.Quote(info.extra))
			}
		}
	}
	return b.String()
}

// stringifyForMessage writes a value into an error message as JSON.stringify does.
func stringifyForMessage(v any, has bool) string {
	if !has || isUndef(v) {
		return "undefined"
	}
	if s, ok := v.(string); ok {
		return strconv.Quote(s)
	}
	if f, ok := v.(float64); ok && (math.IsInf(f, 0) || math.IsNaN(f)) {
		return "null" // JSON.stringify(Infinity)
	}
	s, err := stringify(v, false)
	if err != nil {
		return "?"
	}
	return s
}

// messageTemplate returns jsonata-js 2.0.6's message for a code.
func messageTemplate(code string) string {
	switch code {
	case "S0101":
		return "String literal must be terminated by a matching quote"
	case "S0102":
		return "Number out of range: {{token}}"
	case "S0103":
		return "Unsupported escape sequence: \\{{token}}"
	case "S0104":
		return "The escape sequence \\u must be followed by 4 hex digits"
	case "S0105":
		return "Quoted property name must be terminated with a backquote (`)"
	case "S0106":
		return "Comment has no closing tag"
	case "S0201":
		return "Syntax error: {{token}}"
	case "S0202":
		return "Expected {{value}}, got {{token}}"
	case "S0203":
		return "Expected {{value}} before end of expression"
	case "S0204":
		return "Unknown operator: {{token}}"
	case "S0205":
		return "Unexpected token: {{token}}"
	case "S0206":
		return "Unknown expression type: {{token}}"
	case "S0207":
		return "Unexpected end of expression"
	case "S0208":
		return "Parameter {{value}} of function definition must be a variable name (start with $)"
	case "S0209":
		return "A predicate cannot follow a grouping expression in a step"
	case "S0210":
		return "Each step can only have one grouping expression"
	case "S0211":
		return "The symbol {{token}} cannot be used as a unary operator"
	case "S0212":
		return "The left side of := must be a variable name (start with $)"
	case "S0213":
		return "The literal value {{value}} cannot be used as a step within a path expression"
	case "S0214":
		return "The right side of {{token}} must be a variable name (start with $)"
	case "S0215":
		return "A context variable binding must precede any predicates on a step"
	case "S0216":
		return "A context variable binding must precede the 'order-by' clause on a step"
	case "S0217":
		return "The object representing the 'parent' cannot be derived from this expression"
	case "S0301":
		return "Empty regular expressions are not allowed"
	case "S0302":
		return "No terminating / in regular expression"
	case "S0303":
		return "Regular expression is not supported: {{value}}"
	case "S0402":
		return "Choice groups containing parameterized types are not supported"
	case "S0401":
		return "Type parameters can only be applied to functions and arrays"
	case "T0410":
		return "Argument {{index}} of function {{token}} does not match function signature"
	case "T0411":
		return "Context value is not a compatible type with argument {{index}} of function {{token}}"
	case "T0412":
		return "Argument {{index}} of function {{token}} must be an array of {{type}}"
	case "D1001":
		return "Number out of range: {{value}}"
	case "D1002":
		return "Cannot negate a non-numeric value: {{value}}"
	case "T1003":
		return "Key in object structure must evaluate to a string; got: {{value}}"
	case "D1004":
		return "Regular expression matches zero length string"
	case "T1005":
		return "Attempted to invoke a non-function. Did you mean ${{{token}}}?"
	case "T1006":
		return "Attempted to invoke a non-function"
	case "T1007":
		return "Attempted to partially apply a non-function. Did you mean ${{{token}}}?"
	case "T1008":
		return "Attempted to partially apply a non-function"
	case "D1009":
		return "Multiple key definitions evaluate to same key: {{value}}"
	case "T1010":
		return "The matcher function argument passed to function {{token}} does not return the correct object structure"
	case "T2001":
		return "The left side of the {{token}} operator must evaluate to a number"
	case "T2002":
		return "The right side of the {{token}} operator must evaluate to a number"
	case "T2003":
		return "The left side of the range operator (..) must evaluate to an integer"
	case "T2004":
		return "The right side of the range operator (..) must evaluate to an integer"
	case "T2006":
		return "The right side of the function application operator ~> must be a function"
	case "T2007":
		return "Type mismatch when comparing values {{value}} and {{value2}} in order-by clause"
	case "T2008":
		return "The expressions within an order-by clause must evaluate to numeric or string values"
	case "T2009":
		return "The values {{value}} and {{value2}} either side of operator {{token}} must be of the same data type"
	case "T2010":
		return "The expressions either side of operator {{token}} must evaluate to numeric or string values"
	case "T2011":
		return "The insert/update clause of the transform expression must evaluate to an object: {{value}}"
	case "T2012":
		return "The delete clause of the transform expression must evaluate to a string or array of strings: {{value}}"
	case "T2013":
		return "The transform expression clones the input object using the $clone() function.  This has been overridden in the current scope by a non-function."
	case "D2014":
		return "The size of the sequence allocated by the range operator (..) must not exceed 1e6.  Attempted to allocate {{value}}."
	case "D3001":
		return "Attempting to invoke string function on Infinity or NaN"
	case "D3010":
		return "Second argument of replace function cannot be an empty string"
	case "D3011":
		return "Fourth argument of replace function must evaluate to a positive number"
	case "D3012":
		return "Attempted to replace a matched string with a non-string value"
	case "D3020":
		return "Third argument of split function must evaluate to a positive number"
	case "D3030":
		return "Unable to cast value to a number: {{value}}"
	case "D3040":
		return "Third argument of match function must evaluate to a positive number"
	case "D3050":
		return "The second argument of reduce function must be a function with at least two arguments"
	case "D3060":
		return "The sqrt function cannot be applied to a negative number: {{value}}"
	case "D3061":
		return "The power function has resulted in a value that cannot be represented as a JSON number: base={{value}}, exponent={{exp}}"
	case "D3070":
		return "The single argument form of the sort function can only be applied to an array of strings or an array of numbers.  Use the second argument to specify a comparison function"
	case "D3080":
		return "The picture string must only contain a maximum of two sub-pictures"
	case "D3081":
		return "The sub-picture must not contain more than one instance of the 'decimal-separator' character"
	case "D3082":
		return "The sub-picture must not contain more than one instance of the 'percent' character"
	case "D3083":
		return "The sub-picture must not contain more than one instance of the 'per-mille' character"
	case "D3084":
		return "The sub-picture must not contain both a 'percent' and a 'per-mille' character"
	case "D3085":
		return "The mantissa part of a sub-picture must contain at least one character that is either an 'optional digit character' or a member of the 'decimal digit family'"
	case "D3086":
		return "The sub-picture must not contain a passive character that is preceded by an active character and that is followed by another active character"
	case "D3087":
		return "The sub-picture must not contain a 'grouping-separator' character that appears adjacent to a 'decimal-separator' character"
	case "D3088":
		return "The sub-picture must not contain a 'grouping-separator' at the end of the integer part"
	case "D3089":
		return "The sub-picture must not contain two adjacent instances of the 'grouping-separator' character"
	case "D3090":
		return "The integer part of the sub-picture must not contain a member of the 'decimal digit family' that is followed by an instance of the 'optional digit character'"
	case "D3091":
		return "The fractional part of the sub-picture must not contain an instance of the 'optional digit character' that is followed by a member of the 'decimal digit family'"
	case "D3092":
		return "A sub-picture that contains a 'percent' or 'per-mille' character must not contain a character treated as an 'exponent-separator'"
	case "D3093":
		return "The exponent part of the sub-picture must comprise only of one or more characters that are members of the 'decimal digit family'"
	case "D3100":
		return "The radix of the formatBase function must be between 2 and 36.  It was given {{value}}"
	case "D3110":
		return "The argument of the toMillis function must be an ISO 8601 formatted timestamp. Given {{value}}"
	case "D3130":
		return "Formatting or parsing an integer as a sequence starting with {{value}} is not supported by this implementation"
	case "D3131":
		return "In a decimal digit pattern, all digits must be from the same decimal group"
	case "D3132":
		return "Unknown component specifier {{value}} in date/time picture string"
	case "D3133":
		return "The 'name' modifier can only be applied to months and days in the date/time picture string, not {{value}}"
	case "D3134":
		return "The timezone integer format specifier cannot have more than four digits"
	case "D3135":
		return "No matching closing bracket ']' in date/time picture string"
	case "D3136":
		return "The date/time picture string is missing specifiers required to parse the timestamp"
	case "D3137", "D3141":
		return "{{{message}}}"
	case "D3138":
		return "The $single() function expected exactly 1 matching result.  Instead it matched more."
	case "D3139":
		return "The $single() function expected exactly 1 matching result.  Instead it matched 0."
	case "D3140":
		return "Malformed URL passed to ${{{functionName}}}(): {{value}}"
	case "U1001":
		return "Stack overflow error: Check for non-terminating recursive function.  Consider rewriting as tail-recursive."
	case "U1002":
		return "Expression evaluation timeout: Check for infinite loop"
	}
	return ""
}
