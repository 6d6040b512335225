package apigw

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"io"
	"net/http"
	"strings"
	"unicode/utf8"
)

// ServeHTTP answers a plain net/http request with the same handler the
// Lambda runs, for local runs: the request becomes an HTTP API (payload
// 2.0) event as API Gateway would build it, and the Response is written
// back. At most MaxBody+1 bytes of the body are read, so an oversized body
// still gets its 413 without being held in memory whole.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxBody+1))
	if err != nil {
		// The client went away or sent a broken body; API Gateway would
		// not have invoked the function at all.
		writeResponse(w, errorResponse(chatErrors, errUnreadable))
		return
	}
	resp, err := h.Handle(r.Context(), eventFromHTTP(r, body))
	if err != nil {
		// What API Gateway answers when the function fails: its body, not
		// one of ours.
		resp = Response{StatusCode: http.StatusInternalServerError,
			Headers: map[string]string{"Content-Type": "application/json"},
			Body:    `{"message":"Internal Server Error"}`}
	}
	writeResponse(w, resp)
}

// eventFromHTTP builds the HTTP API event of r, whose body has been read.
// Header names are lower-cased and repeated values joined with commas, as
// API Gateway does; a body that is not UTF-8 travels base64-encoded.
func eventFromHTTP(r *http.Request, body []byte) Event {
	ev := Event{Version: "2.0", RawPath: r.URL.EscapedPath(), Headers: make(map[string]string, len(r.Header)+1)}
	for k, vs := range r.Header {
		ev.Headers[strings.ToLower(k)] = strings.Join(vs, ",")
	}
	if r.Host != "" {
		ev.Headers["host"] = r.Host
	}
	// API Gateway tells the scheme the client used; a local server says
	// whether it is plain HTTP, so the URLs it builds can be opened.
	if _, ok := ev.Headers["x-forwarded-proto"]; !ok && r.TLS == nil {
		ev.Headers["x-forwarded-proto"] = "http"
	}
	if utf8.Valid(body) {
		ev.Body = string(body)
	} else {
		ev.Body, ev.IsBase64Encoded = base64.StdEncoding.EncodeToString(body), true
	}
	ev.RequestContext.RequestID = newRequestID()
	ev.RequestContext.Stage = "$default"
	ev.RequestContext.HTTP.Method = r.Method
	return ev
}

// writeResponse writes resp to w. A base64 body that does not decode is
// written as it is: the handler never produces one.
func writeResponse(w http.ResponseWriter, resp Response) {
	body := []byte(resp.Body)
	if resp.IsBase64Encoded {
		if b, err := base64.StdEncoding.DecodeString(resp.Body); err == nil {
			body = b
		}
	}
	for k, v := range resp.Headers {
		w.Header().Set(k, v)
	}
	w.WriteHeader(resp.StatusCode)
	_, _ = w.Write(body)
}

// newRequestID returns a random id for the log line, like API Gateway's.
func newRequestID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return "local-" + hex.EncodeToString(b[:])
}
