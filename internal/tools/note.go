package tools

import (
	"context"
	"log/slog"
)

// Note is what one call gives its caller's log line. It holds no email,
// link, key, token or upload id: the upload appears as connector.LogID.
type Note struct {
	// Tool is the tool called, "unknown" for a name that is none; empty
	// for the chatbot API's actions, which name themselves.
	Tool string
	// Upload is the upload's connector.LogID, once known.
	Upload string
	// Outcome is "ready" or "pending" for a read of the links.
	Outcome string
	// File and Bytes are the file read and the bytes of content served,
	// for read_file (never a name or content).
	File  string
	Bytes int
	// Err is the error the call failed with, if it did.
	Err error
}

// Attrs appends the note's non-empty fields to attrs, in the order of the
// connector's log lines (action, upload, outcome), without the error.
func (n Note) Attrs(attrs []slog.Attr) []slog.Attr {
	for _, a := range []struct{ k, v string }{{"action", n.Tool}, {"upload", n.Upload}, {"outcome", n.Outcome}} {
		if a.v != "" {
			attrs = append(attrs, slog.String(a.k, a.v))
		}
	}
	if n.File != "" {
		attrs = append(attrs, slog.String("file", n.File), slog.Int("bytes", n.Bytes))
	}
	return attrs
}

// sinkKey carries a Sink in a context.
type sinkKey struct{}

// Sink receives the notes of the tool calls made while a request is
// served, by a caller that cannot log them itself: the MCP endpoint runs
// inside an HTTP request whose one log line the HTTP edge writes.
type Sink func(Note)

// WithSink returns ctx carrying sink.
func WithSink(ctx context.Context, sink Sink) context.Context {
	return context.WithValue(ctx, sinkKey{}, sink)
}

// Deliver hands n to the Sink of ctx, and reports whether there was one.
func Deliver(ctx context.Context, n Note) bool {
	sink, ok := ctx.Value(sinkKey{}).(Sink)
	if ok {
		sink(n)
	}
	return ok
}
