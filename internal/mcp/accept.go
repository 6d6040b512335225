package mcp

import (
	"mime"
	"net/http"
	"strings"

	"github.com/sendsafely/chatbot-connector/internal/tools"
)

// endpoint chooses how to answer from the request's Accept header: one
// JSON body when the client takes JSON (or says nothing), one short event
// stream when it takes only text/event-stream. The SDK wants both types
// named, so the header is completed before the SDK sees it. Everything the
// SDK would answer in plain text is answered first, or rewritten, as a
// JSON-RPC error by guard.go.
type endpoint struct {
	json     http.Handler
	sse      http.Handler
	versions []string
}

// bothTypes is the Accept header the SDK requires.
const bothTypes = "application/json, text/event-stream"

func (e *endpoint) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	jsonOK, streamOK, named := accepts(r.Header.Values("Accept"))
	h := e.json
	switch {
	case jsonOK || !named:
	case streamOK:
		h = e.sse
	default:
		writeError(w, http.StatusNotAcceptable, nil, codeInvalidRequest, "Accept must allow application/json or text/event-stream.", nil)
		return
	}
	r.Header.Set("Accept", bothTypes)
	if tools.BaseURL(r.Context()) == "" {
		r = r.WithContext(tools.WithBaseURL(r.Context(), publicURL(r)))
	}
	e.guard(w, r, h)
}

// accepts reports whether the Accept values allow JSON and an event
// stream, and whether they name any media type at all.
func accepts(values []string) (jsonOK, streamOK, named bool) {
	for _, v := range values {
		for _, part := range strings.Split(v, ",") {
			mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
			if err != nil {
				continue
			}
			named = true
			if params["q"] == "0" {
				continue
			}
			switch mt {
			case "application/json", "application/*":
				jsonOK = true
			case "text/event-stream", "text/*":
				streamOK = true
			case "*/*":
				jsonOK, streamOK = true, true
			}
		}
	}
	return jsonOK, streamOK, named
}
