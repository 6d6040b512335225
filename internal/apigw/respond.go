package apigw

import (
	"html"
	"net/http"
)

// errorFormat is the shape of an error body: the chatbot API's or the
// webhook's, which Dropzone clients read.
type errorFormat int

const (
	chatErrors errorFormat = iota
	webhookErrors
	mcpErrors
	// pageErrors is a short HTML page, for a person's browser.
	pageErrors
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

// rpcError is the body of an error on POST /mcp: a JSON-RPC error that
// answers no request in particular, which MCP clients show as it is.
type rpcError struct {
	JSONRPC string       `json:"jsonrpc"`
	ID      any          `json:"id"`
	Error   rpcErrorBody `json:"error"`
}

type rpcErrorBody struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

// rpcServerError is the JSON-RPC code of every error the edge answers on
// POST /mcp: one of the codes JSON-RPC leaves to the server.
const rpcServerError = -32000

// fail answers err in the given format and notes it for the log line.
func (h *Handler) fail(format errorFormat, err error, line *logLine) Response {
	line.err = err
	return errorResponse(format, err)
}

// errorResponse is the one writer of error answers: the status, headers
// and body of err in format, from the error table (classify). Every error
// body of every surface comes from here, the tool runner's included
// (ErrorReply).
func errorResponse(format errorFormat, err error) Response {
	p, body, _ := errorBody(format, err)
	resp := Response{StatusCode: p.status, Headers: jsonHeaders(), Body: string(body)}
	if format == pageErrors {
		resp.Headers = pageHeaders()
	}
	switch p.status {
	case http.StatusServiceUnavailable:
		resp.Headers["Retry-After"] = retryAfter
	case http.StatusUnauthorized:
		if format != webhookErrors && format != pageErrors {
			resp.Headers["WWW-Authenticate"] = `Bearer realm="chatbot-connector"`
		}
	}
	return resp
}

// errorBody returns the table's answer for err, its body in format and the
// sentence the body shows.
func errorBody(format errorFormat, err error) (problem, []byte, string) {
	p, msg := classify(err)
	var v any
	switch format {
	case webhookErrors:
		v = webhookReply{Result: "error", Error: msg}
	case mcpErrors:
		v = rpcError{JSONRPC: "2.0", Error: rpcErrorBody{Code: rpcServerError, Message: msg}}
	case pageErrors:
		return p, errorPage(msg), msg
	default:
		v = chatError{Result: "Error", Error: p.code, Message: msg}
	}
	// The bodies are flat structs of strings and numbers: they always encode.
	b, _ := marshal(v)
	return p, b, msg
}

// jsonResponse encodes v before anything else is decided, so an encoding
// failure is still a clean 500. Links keep their "&" as is: chat platforms
// show values raw, and \u0026 helps no one.
func jsonResponse(status int, v any) Response {
	b, err := marshal(v)
	if err != nil {
		return errorResponse(chatErrors, err)
	}
	return Response{StatusCode: status, Headers: jsonHeaders(), Body: string(b)}
}

// jsonHeaders returns the headers of every JSON answer.
func jsonHeaders() map[string]string {
	return map[string]string{
		"Content-Type":           "application/json; charset=utf-8",
		"Cache-Control":          "no-store",
		"X-Content-Type-Options": "nosniff",
	}
}

// errorPage is the short HTML page of an error for a person: the sentence
// the JSON body would show, and nothing else.
func errorPage(msg string) []byte {
	return []byte(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Upload link</title></head>
<body><p>` + html.EscapeString(msg) + `</p></body></html>
`)
}

// pageHeaders returns the headers of an HTML error page: nothing it could
// load, nothing kept.
func pageHeaders() map[string]string {
	return map[string]string{
		"Content-Type":            "text/html; charset=utf-8",
		"Cache-Control":           "no-store",
		"X-Content-Type-Options":  "nosniff",
		"Content-Security-Policy": "default-src 'none'",
		"Referrer-Policy":         "no-referrer",
	}
}
