// Package apigw turns API Gateway and Lambda Function URL events into calls
// of the connector service and its answers back into responses: routing,
// the JSON contract, CORS, authentication and the table of error statuses.
package apigw

import (
	"encoding/base64"
	"net/http"
	"strings"
)

// MaxBody is the largest request body accepted, after base64 decoding.
const MaxBody = 64 << 10

// Event is an HTTP request as API Gateway delivers it to Lambda. One type
// covers the three shapes the connector accepts: HTTP API (payload 2.0),
// REST API (payload 1.0) and Lambda Function URLs (2.0 as well).
type Event struct {
	Version           string              `json:"version"`    // "2.0", or "1.0"/"" for REST
	RawPath           string              `json:"rawPath"`    // 2.0
	HTTPMethod        string              `json:"httpMethod"` // 1.0
	Path              string              `json:"path"`       // 1.0, without the stage
	Headers           map[string]string   `json:"headers"`
	MultiValueHeaders map[string][]string `json:"multiValueHeaders"` // 1.0
	Body              string              `json:"body"`
	IsBase64Encoded   bool                `json:"isBase64Encoded"`
	RequestContext    struct {
		RequestID string `json:"requestId"`
		Stage     string `json:"stage"`
		HTTP      struct {
			Method string `json:"method"`
		} `json:"http"` // 2.0
	} `json:"requestContext"`
}

// Response is the answer in the shape all three event sources accept.
type Response struct {
	StatusCode      int               `json:"statusCode"`
	Headers         map[string]string `json:"headers"`
	Body            string            `json:"body"`
	IsBase64Encoded bool              `json:"isBase64Encoded"`
}

// request is an Event normalised: upper-case method, a path without stage
// prefix or trailing slash, lower-case header names.
type request struct {
	method  string
	path    string
	headers map[string]string
	rawBody string
	base64  bool
	// stage is the API Gateway stage the public URL's path starts with,
	// "" for none ($default, Function URLs).
	stage string
}

func normalise(ev *Event) request {
	r := request{rawBody: ev.Body, base64: ev.IsBase64Encoded, headers: make(map[string]string, len(ev.Headers))}
	for k, vs := range ev.MultiValueHeaders {
		r.headers[strings.ToLower(k)] = strings.Join(vs, ",")
	}
	for k, v := range ev.Headers {
		r.headers[strings.ToLower(k)] = v
	}
	if ev.RequestContext.HTTP.Method != "" {
		r.method, r.path = ev.RequestContext.HTTP.Method, ev.RawPath
		// An HTTP API stage other than $default prefixes the raw path.
		if st := ev.RequestContext.Stage; st != "" && st != "$default" {
			if p, ok := strings.CutPrefix(r.path, "/"+st); ok && (p == "" || p[0] == '/') {
				r.path, r.stage = p, st
			}
		}
	} else {
		r.method, r.path, r.stage = ev.HTTPMethod, ev.Path, ev.RequestContext.Stage
	}
	r.method = strings.ToUpper(r.method)
	if r.method == "" {
		r.method = http.MethodGet
	}
	r.path = strings.TrimRight(r.path, "/")
	if r.path == "" {
		r.path = "/"
	}
	return r
}

// body returns the decoded body, or errTooLarge, or an error if the
// base64 does not decode.
func (r *request) body() ([]byte, error) {
	if !r.base64 {
		if len(r.rawBody) > MaxBody {
			return nil, errTooLarge
		}
		return []byte(r.rawBody), nil
	}
	if base64.StdEncoding.DecodedLen(len(r.rawBody)) > MaxBody+3 {
		return nil, errTooLarge
	}
	b, err := base64.StdEncoding.DecodeString(r.rawBody)
	if err != nil {
		return nil, errBadBase64
	}
	if len(b) > MaxBody {
		return nil, errTooLarge
	}
	return b, nil
}
