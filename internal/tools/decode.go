package tools

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
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
// platforms only send strings, a string of plain decimal digits.
type seconds struct{ v float64 }

// UnmarshalJSON accepts a JSON number (5, 2.5, 1e1) or a string of decimal
// digits with an optional fraction ("5", "2.5"), and nothing else: not
// "1_0", "0x8", " 5", "NaN", "Inf", nor a number too large for a float64.
func (s *seconds) UnmarshalJSON(b []byte) error {
	str := string(b)
	if str == "null" {
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &str); err != nil || !plainDecimal(str) {
			return &fieldError{"wait", "must be a number of seconds"}
		}
	}
	f, err := strconv.ParseFloat(str, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return &fieldError{"wait", "must be a number of seconds"}
	}
	s.v = f
	return nil
}

// plainDecimal reports whether str is decimal digits, optionally followed
// by a point and more digits.
func plainDecimal(str string) bool {
	whole, frac, hasPoint := strings.Cut(str, ".")
	return allDigits(whole) && (!hasPoint || allDigits(frac))
}

// allDigits reports whether str is one or more ASCII digits.
func allDigits(str string) bool {
	if str == "" {
		return false
	}
	for i := 0; i < len(str); i++ {
		if str[i] < '0' || str[i] > '9' {
			return false
		}
	}
	return true
}
