package apigw

import (
	"context"
	"net/http"

	"github.com/sendsafely/chatbot-connector/internal/tools"
)

// ErrorReply is err as a tool's reply: the chatbot API's error status and
// body from the one error table, and the sentence the body shows.
func ErrorReply(err error) tools.Reply {
	p, body, msg := errorBody(chatErrors, err)
	return tools.Reply{Status: p.status, Body: body, Message: msg}
}

// isTool reports whether name is one of the tools.
func (h *Handler) isTool(name string) bool { return h.tools.Has(name) }

// tool answers POST /tools/<name>: authenticate, run through the one tool
// runner, answer the output object or the chatbot API's error (written
// again here, with the headers of an HTTP error answer).
func (h *Handler) tool(ctx context.Context, r *request, name string, body []byte, line *logLine) Response {
	if err := h.svc.Authorize(ctx, credentials(r.headers)...); err != nil {
		return h.fail(chatErrors, err, line)
	}
	reply := h.tools.CallTool(ctx, name, body)
	line.take(reply.Note)
	if !reply.OK() {
		return h.fail(chatErrors, reply.Note.Err, line)
	}
	return Response{StatusCode: http.StatusOK, Headers: jsonHeaders(), Body: string(reply.Body)}
}
