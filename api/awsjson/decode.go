package awsjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strconv"

	"stepline"
)

// decodeInput decodes a request body into in. An empty body is an empty
// input, as the SDKs send nothing for an operation without members. Members
// the shape does not have are ignored, as AWS's JSON protocols require, so
// newer clients keep working.
//
// Go's decoder matches member names case-insensitively where AWS does not;
// a client would have to send a member under a wrong-case name to notice.
func decodeInput(body []byte, in any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		body = []byte("{}")
	}
	if err := json.Unmarshal(body, in); err != nil {
		return serializationError(err)
	}
	return nil
}

// serializationError words a decoding failure after AWS's front end, whose
// messages name the JSON token it did not expect
// ("STRING_VALUE can not be converted to an Integer").
func serializationError(err error) *stepline.Error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	msg := ""
	switch {
	case errors.As(err, &syn):
		msg = "Unable to parse request body: invalid JSON at offset " + strconv.FormatInt(syn.Offset, 10)
	case errors.As(err, &typ):
		msg = typeMismatch(typ)
	default:
		msg = "Unable to parse request body: " + err.Error()
	}
	return &stepline.Error{Code: CodeSerializationException, Message: msg}
}

func typeMismatch(e *json.UnmarshalTypeError) string {
	switch e.Value {
	case "object":
		return "Start of structure or map found where not expected."
	case "array":
		return "Start of list found where not expected."
	}
	token := "STRING_VALUE"
	switch {
	case e.Value == "bool":
		token = "BOOLEAN_VALUE"
	case len(e.Value) >= 6 && e.Value[:6] == "number":
		token = "NUMBER_VALUE"
	}
	target := "a String"
	if e.Type != nil {
		switch e.Type.Kind() {
		case reflect.Int32, reflect.Int, reflect.Int16, reflect.Int8:
			target = "an Integer"
		case reflect.Int64:
			target = "a Long"
		case reflect.Float32, reflect.Float64:
			target = "a Double"
		case reflect.Bool:
			target = "a Boolean"
		case reflect.Struct, reflect.Map:
			target = "a Structure"
		case reflect.Slice:
			target = "a List"
		}
	}
	return token + " can not be converted to " + target
}
