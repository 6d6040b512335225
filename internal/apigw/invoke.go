package apigw

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"unicode/utf8"
)

// Invoke answers one event as the Lambda runtime delivers it, raw JSON in
// and out, which makes *Handler a lambda.Handler. Handed a func instead,
// aws-lambda-go decodes the event and encodes the response through
// reflection, and encoding the headers map alone costs a dozen allocations
// a call; Invoke decodes with json.Unmarshal and writes the response
// itself. The JSON is what encoding/json writes for a Response (without
// HTML escaping, as aws-lambda-go configures it), byte for byte.
func (h *Handler) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	var ev Event
	if err := json.Unmarshal(payload, &ev); err != nil {
		return nil, err
	}
	resp, err := h.Handle(ctx, ev)
	if err != nil {
		return nil, err
	}
	return resp.appendJSON(make([]byte, 0, 256+len(resp.Body))), nil
}

// appendJSON appends r as encoding/json encodes it: fields in declaration
// order, header names sorted.
func (r Response) appendJSON(b []byte) []byte {
	b = append(b, `{"statusCode":`...)
	b = strconv.AppendInt(b, int64(r.StatusCode), 10)
	b = append(b, `,"headers":`...)
	if r.Headers == nil {
		b = append(b, "null"...)
	} else {
		var buf [16]string
		names := buf[:0]
		for k := range r.Headers {
			names = append(names, k)
		}
		slices.Sort(names)
		b = append(b, '{')
		for i, k := range names {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, k)
			b = append(b, ':')
			b = appendString(b, r.Headers[k])
		}
		b = append(b, '}')
	}
	b = append(b, `,"body":`...)
	b = appendString(b, r.Body)
	b = append(b, `,"isBase64Encoded":`...)
	b = strconv.AppendBool(b, r.IsBase64Encoded)
	return append(b, '}')
}

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string the way encoding/json does with
// HTML escaping off: quotes, backslashes and control characters escaped,
// invalid UTF-8 as \ufffd, and U+2028 and U+2029 escaped for JavaScript.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
