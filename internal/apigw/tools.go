package apigw

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"time"

	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/sendsafely/chatbot-connector/internal/tools"
)

// Tools runs the agent tools on the service, with the chatbot API's
// decoding rules and error table. It checks no API token: Handler checks it
// on POST /tools/* and POST /mcp, and Bedrock Agents and AgentCore Gateway
// invoke the function through IAM, never through API Gateway.
type Tools struct {
	svc Service
	log *slog.Logger
	now func() time.Time
}

// NewTools returns the tool runner of svc; it uses opt's Logger and Now.
func NewTools(svc Service, opt Options) *Tools {
	t := &Tools{svc: svc, log: opt.Logger, now: opt.Now}
	if t.log == nil {
		t.log = slog.New(slog.DiscardHandler)
	}
	if t.now == nil {
		t.now = time.Now
	}
	return t
}

// CallTool runs the tool called name with the JSON object args and answers
// as POST /tools/<name> would. Inside a request that Handler is serving
// (the MCP endpoint's), the call is noted on that request's log line;
// otherwise it writes a line of its own, with route "invoke".
func (t *Tools) CallTool(ctx context.Context, name string, args json.RawMessage) tools.Reply {
	line, inside := ctx.Value(lineKey{}).(*logLine)
	start := t.now()
	if !inside {
		line = &logLine{route: "invoke", method: "INVOKE"}
		if lc, ok := lambdacontext.FromContext(ctx); ok {
			line.requestID = lc.AwsRequestID
		}
	}
	if isToolName(name) {
		line.action = name
	} else {
		line.action = "unknown"
	}
	out, err := t.run(ctx, name, args, line)
	var reply tools.Reply
	if err != nil {
		line.err = err
		reply = ErrorReply(err)
	} else if reply.Body, err = tools.Marshal(out); err != nil {
		line.err = err
		reply = ErrorReply(err)
	} else {
		reply.Status = http.StatusOK
	}
	if !inside {
		line.status = reply.Status
		line.duration = t.now().Sub(start)
		line.write(ctx, t.log)
	}
	return reply
}

// ErrorReply is err as a tool's reply: the chatbot API's error status and
// body from the one error table, and the sentence the body shows.
func ErrorReply(err error) tools.Reply {
	p, body, msg := errorBody(chatErrors, err)
	return tools.Reply{Status: p.status, Body: body, Message: msg}
}

// isTool reports whether name is one of the tools.
func (h *Handler) isTool(name string) bool { return isToolName(name) }

// isToolName reports whether name is one of the tools.
func isToolName(name string) bool {
	_, ok := tools.Lookup(name)
	return ok
}

// run decodes args and runs the tool. An empty or null args is an empty
// object, since a tool whose fields are all optional may be called with
// none. Errors are of the kinds in the error table.
func (t *Tools) run(ctx context.Context, name string, args []byte, line *logLine) (any, error) {
	if a := bytes.TrimSpace(args); len(a) == 0 || bytes.Equal(a, []byte("null")) {
		args = []byte("{}")
	}
	switch name {
	case tools.GenerateUploadLink:
		up, err := generate(ctx, t.svc, args, line)
		if err != nil {
			return nil, err
		}
		return tools.UploadLink{UploadID: up.ID, UploadURL: string(up.URL), ExpiresAt: up.ExpiresAt.UTC().Format(time.RFC3339)}, nil
	case tools.GetSecureLink:
		res, err := readLinks(ctx, t.svc, args, line)
		if err != nil {
			return nil, err
		}
		if !res.Ready {
			return tools.LinkOutput{Status: tools.StatusPending}, nil
		}
		links := make([]string, len(res.Links))
		for i, l := range res.Links {
			links[i] = string(l)
		}
		return tools.LinkOutput{Status: tools.StatusReady, SecureLink: links[len(links)-1], SecureLinks: links,
			SubmittedAt: res.SubmittedAt.UTC().Format(time.RFC3339)}, nil
	default:
		return nil, errUnknownTool
	}
}

// tool answers POST /tools/<name>: authenticate, run, answer the output
// object or the chatbot API's error.
func (h *Handler) tool(ctx context.Context, r *request, name string, body []byte, line *logLine) Response {
	if err := h.svc.Authorize(ctx, credentials(r.headers)...); err != nil {
		return h.fail(chatErrors, err, line)
	}
	line.action = name
	out, err := h.tools.run(ctx, name, body, line)
	if err != nil {
		return h.fail(chatErrors, err, line)
	}
	return jsonResponse(http.StatusOK, out)
}
