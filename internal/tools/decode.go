package tools

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"strings"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// DecodeObject decodes a JSON object body into v. Field names match
// case-insensitively (encoding/json's rule); unknown fields are ignored.
// Errors are ErrInvalid with a sentence that names the field at fault.
func DecodeObject(body []byte, v any) error {
	if !bytes.HasPrefix(bytes.TrimLeft(body, " \t\r\n"), []byte("{")) {
		return connector.Errorf(connector.ErrInvalid, "The request body is not a JSON object.")
	}
	err := json.Unmarshal(body, v)
	var te *json.UnmarshalTypeError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &te) && te.Field != "":
		return connector.Errorf(connector.ErrInvalid, "The field %s must be a %s.", fieldName(te.Field), jsonType(te.Type.Kind().String()))
	default:
		var fe *fieldError
		if errors.As(err, &fe) {
			return connector.Errorf(connector.ErrInvalid, "The field %s %s.", fe.field, fe.msg)
		}
		return connector.Errorf(connector.ErrInvalid, "The request body is not valid JSON.")
	}
}

// fieldName returns the last element of a dotted JSON field path.
func fieldName(path string) string {
	if i := strings.LastIndexByte(path, '.'); i >= 0 {
		return path[i+1:]
	}
	return path
}

func jsonType(kind string) string {
	switch kind {
	case "string":
		return "string"
	case "bool":
		return "boolean"
	case "float64", "int", "int64":
		return "number"
	default:
		return "value of another type"
	}
}

// fieldError is a field whose value has the right JSON type but no meaning.
type fieldError struct{ field, msg string }

func (e *fieldError) Error() string { return e.field + " " + e.msg }

// seconds is a number of seconds sent as a JSON number or, as some chat
// platforms only send strings, a string holding one.
type seconds struct{ v float64 }

// UnmarshalJSON accepts 5, 2.5 or "5".
func (s *seconds) UnmarshalJSON(b []byte) error {
	str := string(b)
	if str == "null" {
		return nil
	}
	if uq, err := strconv.Unquote(str); err == nil {
		str = strings.TrimSpace(uq)
	}
	f, err := strconv.ParseFloat(str, 64)
	if err != nil {
		return &fieldError{"wait", "must be a number of seconds"}
	}
	s.v = f
	return nil
}
