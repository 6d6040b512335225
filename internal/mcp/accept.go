package mcp

import (
	"mime"
	"net/http"
	"strings"
)

// endpoint chooses how to answer from the request's Accept header: one
// JSON body when the client takes JSON (or says nothing), one short event
// stream when it takes only text/event-stream. The SDK wants both types
// named, so the header is completed before the SDK sees it.
type endpoint struct {
	json http.Handler
	sse  http.Handler
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
		http.Error(w, "Accept must allow application/json or text/event-stream", http.StatusNotAcceptable)
		return
	}
	r.Header.Set("Accept", bothTypes)
	h.ServeHTTP(w, r)
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
