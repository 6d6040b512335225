package apigw

import (
	"bytes"
	"encoding/json"
	"net/http"
)

// errorFormat is the shape of an error body: the chatbot API's or the
// webhook's, which Dropzone clients read.
type errorFormat int

const (
	chatErrors errorFormat = iota
	webhookErrors
)

// chatError is the chatbot API's error body.
type chatError struct {
	Result  string `json:"Result"`
	Error   string `json:"Error"`
	Message string `json:"Message"`
}

// webhookReply is the webhook's body, success or error.
type webhookReply struct {
	Result string `json:"result"`
	Error  string `json:"error,omitempty"`
}

// fail answers err in the given format and notes it for the log line.
func (h *Handler) fail(format errorFormat, err error, line *logLine) Response {
	p, msg := classify(err)
	line.err = err
	var resp Response
	if format == webhookErrors {
		resp = jsonResponse(p.status, webhookReply{Result: "error", Error: msg})
	} else {
		resp = jsonResponse(p.status, chatError{Result: "Error", Error: p.code, Message: msg})
	}
	switch p.status {
	case http.StatusServiceUnavailable:
		resp.Headers["Retry-After"] = retryAfter
	case http.StatusMethodNotAllowed:
		resp.Headers["Allow"] = "OPTIONS, POST"
	case http.StatusUnauthorized:
		if format == chatErrors {
			resp.Headers["WWW-Authenticate"] = `Bearer realm="chatbot-connector"`
		}
	}
	return resp
}

// jsonResponse encodes v before anything else is decided, so an encoding
// failure is still a clean 500. Links keep their "&" as is: chat platforms
// show values raw, and \u0026 helps no one.
func jsonResponse(status int, v any) Response {
	b, err := encodeJSON(v)
	if err != nil {
		status = http.StatusInternalServerError
		b, _ = encodeJSON(chatError{Result: "Error", Error: internalProblem.code, Message: internalProblem.msg})
	}
	return Response{
		StatusCode: status,
		Headers: map[string]string{
			"Content-Type":           "application/json; charset=utf-8",
			"Cache-Control":          "no-store",
			"X-Content-Type-Options": "nosniff",
		},
		Body: string(b),
	}
}

func encodeJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}
