package apigw

import (
	"context"
	"log/slog"
	"time"

	"github.com/sendsafely/chatbot-connector/internal/tools"
)

// logLine is the one line logged per request. It holds no email, link,
// key, token or upload id: the upload appears as connector.LogID.
type logLine struct {
	requestID string
	route     string
	method    string
	action    string
	upload    string
	outcome   string
	status    int
	duration  time.Duration
	err       error
	note      string
	file      string
	bytes     int
}

func (l *logLine) write(ctx context.Context, log *slog.Logger) {
	attrs := make([]slog.Attr, 0, 10)
	attrs = append(attrs,
		slog.String("requestId", l.requestID),
		slog.String("route", l.route),
		slog.String("method", l.method),
		slog.Int("status", l.status),
		slog.Float64("durationMs", float64(l.duration.Microseconds())/1000),
	)
	for _, a := range []struct{ k, v string }{{"action", l.action}, {"upload", l.upload}, {"outcome", l.outcome}, {"note", l.note}} {
		if a.v != "" {
			attrs = append(attrs, slog.String(a.k, a.v))
		}
	}
	if l.file != "" {
		attrs = append(attrs, slog.String("file", l.file), slog.Int("bytes", l.bytes))
	}
	level := slog.LevelInfo
	if l.err != nil {
		attrs = append(attrs, slog.String("error", l.err.Error()))
		if l.status >= 500 {
			level = slog.LevelError
		}
	}
	log.LogAttrs(ctx, level, "request", attrs...)
}

// take notes what a call gave on the line: the tool, the upload, the
// outcome and the error, each when there is one.
func (l *logLine) take(n tools.Note) {
	if n.Tool != "" {
		l.action = n.Tool
	}
	if n.Upload != "" {
		l.upload = n.Upload
	}
	if n.Outcome != "" {
		l.outcome = n.Outcome
	}
	if n.File != "" {
		l.file, l.bytes = n.File, n.Bytes
	}
	if n.Err != nil {
		l.err = n.Err
	}
}
