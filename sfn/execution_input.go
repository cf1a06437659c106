package sfn

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"stepline"
	"stepline/jsonvalue"
)

// PayloadMax is the size limit of execution input and output and of task results:
// 256 KiB of UTF-8 (AWS "Quotas related to payload size").
const PayloadMax = 262144

// parseExecutionInput checks StartExecution's input and returns its value. A missing
// input means "{}" (API_StartExecution: "If you don't include any JSON input data, you
// still must include the two braces"; the SDKs send none and AWS records "{}").
// Messages copy AWS's, which come from Jackson.
func parseExecutionInput(input *string) (string, any, error) {
	if input == nil {
		return "{}", jsonvalue.NewObject(0), nil
	}
	raw := *input
	if len(raw) > PayloadMax {
		return "", nil, stepline.Errorf("InvalidExecutionInput",
			"Invalid State Machine Execution Input: 'Input exceeds the maximum size of %d bytes.'", PayloadMax)
	}
	if strings.Trim(raw, " \t\n\r") == "" { // JSON's whitespace only
		return "", nil, stepline.Errorf("InvalidExecutionInput", "Invalid State Machine Execution Input: 'Invalid execution input.'")
	}
	v, err := jsonvalue.ParseString(raw)
	if err != nil {
		return "", nil, stepline.Errorf("InvalidExecutionInput", "Invalid State Machine Execution Input: '%s'", jacksonMessage(raw, err))
	}
	return raw, v, nil
}

// jacksonMessage phrases a JSON syntax error the way Jackson (which AWS's parser is)
// words it, for the common mistakes: a bare word ("Unrecognized token 'not': was
// expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')"),
// a stray character and a truncated text.
func jacksonMessage(text string, err error) string {
	var se *jsonvalue.SyntaxError
	if !errors.As(err, &se) {
		return err.Error()
	}
	off := se.Offset
	if off >= len(text) {
		return "Unexpected end-of-input"
	}
	// A literal that failed part-way (nul, tru) is reported from where it began.
	start := off
	for start > 0 && isTokenChar(rune(text[start-1])) {
		start--
	}
	r, _ := utf8.DecodeRuneInString(text[start:])
	if isTokenChar(r) {
		end := start
		for end < len(text) {
			r, n := utf8.DecodeRuneInString(text[end:])
			if !isTokenChar(r) {
				break
			}
			end += n
		}
		return fmt.Sprintf("Unrecognized token '%s': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')", text[start:end])
	}
	r, _ = utf8.DecodeRuneInString(text[off:])
	return fmt.Sprintf("Unexpected character ('%c' (code %d)): expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')", r, r)
}

// isTokenChar is what Jackson gathers into an unrecognized token: a Java identifier part.
func isTokenChar(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '$'
}
