package bedrock

import (
	"context"
	"encoding/json"
	"log/slog"

	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/sendsafely/chatbot-connector/internal/tools"
)

// call runs one tool through the Caller and logs the line of the
// invocation, as the HTTP edge logs a request: route "invoke", method
// "INVOKE", the Lambda request id, the status and what the call noted.
func (h *Handler) call(ctx context.Context, name string, args json.RawMessage) tools.Reply {
	start := h.now()
	reply := h.c.CallTool(ctx, name, args)
	var requestID string
	if lc, ok := lambdacontext.FromContext(ctx); ok {
		requestID = lc.AwsRequestID
	}
	attrs := make([]slog.Attr, 0, 9)
	attrs = append(attrs,
		slog.String("requestId", requestID),
		slog.String("route", "invoke"),
		slog.String("method", "INVOKE"),
		slog.Int("status", reply.Status),
		slog.Float64("durationMs", float64(h.now().Sub(start).Microseconds())/1000),
	)
	attrs = reply.Note.Attrs(attrs)
	level := slog.LevelInfo
	if err := reply.Note.Err; err != nil {
		attrs = append(attrs, slog.String("error", err.Error()))
		if reply.Status >= 500 {
			level = slog.LevelError
		}
	}
	h.log.LogAttrs(ctx, level, "request", attrs...)
	return reply
}
