package apigw

import (
	"context"
	"encoding/json"

	"github.com/sendsafely/chatbot-connector/internal/tools"
)

// serveMCP answers POST /mcp once method and size have passed: it refuses a
// browser origin that is not allowed (the MCP transport's defence against
// DNS rebinding) and a missing or wrong API token, then hands the request
// to the MCP endpoint.
func (h *Handler) serveMCP(ctx context.Context, r *request, _ string, body []byte, line *logLine) Response {
	if origin := r.headers["origin"]; origin != "" && !h.cors.allowed(origin) {
		return h.fail(mcpErrors, errOrigin, line)
	}
	if err := h.svc.Authorize(ctx, credentials(r.headers)...); err != nil {
		return h.fail(mcpErrors, err, line)
	}
	line.action = rpcMethod(body)
	ctx = tools.WithBaseURL(ctx, publicURL(r))
	// The MCP endpoint hands the notes of the tools it calls to this
	// request's log line, which the edge writes.
	return serveHTTP(tools.WithSink(ctx, line.take), h.mcp, r, body)
}

// mcpMethods are the JSON-RPC methods a log line names; any other is
// "other", so a client cannot write what it likes into the log.
var mcpMethods = map[string]bool{
	"initialize": true, "notifications/initialized": true, "ping": true, "server/discover": true,
	"tools/list": true, "tools/call": true, "notifications/cancelled": true, "subscriptions/listen": true,
}

// rpcMethod returns the method of a JSON-RPC message for the log line:
// "batch" for an array, "" if the body is no JSON-RPC message.
func rpcMethod(body []byte) string {
	var msg struct {
		Method *string `json:"method"`
	}
	if err := json.Unmarshal(body, &msg); err != nil {
		var batch []json.RawMessage
		if json.Unmarshal(body, &batch) == nil {
			return "batch"
		}
		return ""
	}
	switch {
	case msg.Method == nil:
		return ""
	case mcpMethods[*msg.Method]:
		return *msg.Method
	default:
		return "other"
	}
}
