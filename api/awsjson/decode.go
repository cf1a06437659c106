package awsjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"

	"stepline"
)

// decodeInput decodes a request body into in. Members the shape does not
// have are ignored, as AWS's JSON protocols require, so newer clients keep
// working. An empty body is a SerializationException, as on AWS: the SDKs
// send "{}" for an operation without input members.
//
// Go's decoder matches member names case-insensitively where AWS does not;
// a client would have to send a member under a wrong-case name to notice.
func decodeInput(body []byte, in any) error {
	// The body must be a JSON object; null, scalars and arrays are as
	// unreadable to AWS as broken JSON.
	if trimmed := bytes.TrimLeft(body, " \t\r\n"); len(trimmed) == 0 || trimmed[0] != '{' {
		return &stepline.Error{Code: CodeSerializationException}
	}
	var err error
	if u, ok := in.(json.Unmarshaler); ok {
		// The generated decoders check the JSON themselves; going through
		// json.Unmarshal would scan the body twice.
		err = u.UnmarshalJSON(body)
	} else {
		err = json.Unmarshal(body, in)
	}
	if err != nil {
		return serializationError(err)
	}
	return nil
}

// serializationError words a decoding failure as AWS's front end does. A
// body that is not JSON gets no message at all; a member of the wrong JSON
// type gets the message of the Java deserializer behind AWS's JSON services
// ("class java.lang.String can not be converted to an Integer", with its
// "an" before every type name). The wording was recorded against AWS by
// kinesalite (github.com/mhart/kinesalite, validations/index.js).
func serializationError(err error) *stepline.Error {
	var typ *json.UnmarshalTypeError
	msg := ""
	if errors.As(err, &typ) {
		msg = typeMismatch(typ)
	}
	return &stepline.Error{Code: CodeSerializationException, Message: msg}
}

func typeMismatch(e *json.UnmarshalTypeError) string {
	kind := reflect.Invalid
	if e.Type != nil {
		kind = e.Type.Kind()
	}
	switch e.Value {
	case "object":
		return "Start of structure or map found where not expected."
	case "array":
		return "Start of list found where not expected"
	}
	// A scalar where a collection or structure was expected.
	switch {
	case kind == reflect.Slice && e.Type.Elem().Kind() == reflect.Uint8:
		return javaClass(e.Value) + " can not be converted to a Blob"
	case kind == reflect.Slice:
		return "Expected list or null"
	case kind == reflect.Map:
		return "Expected map or null"
	case kind == reflect.Struct:
		return "Expected null"
	}
	target := "String"
	switch kind {
	case reflect.Int32, reflect.Int, reflect.Int16, reflect.Int8:
		target = "Integer"
	case reflect.Int64:
		target = "Long"
	case reflect.Float32, reflect.Float64:
		target = "Double"
	case reflect.Bool:
		target = "Boolean"
	}
	return javaClass(e.Value) + " can not be converted to an " + target
}

// javaClass names the Java class AWS's deserializer read a JSON scalar as.
func javaClass(jsonKind string) string {
	switch {
	case jsonKind == "bool":
		return "class java.lang.Boolean"
	case strings.HasPrefix(jsonKind, "number"):
		return "class java.math.BigDecimal"
	}
	return "class java.lang.String"
}
