// Package mcp is the connector's Model Context Protocol endpoint: the two
// agent tools over Streamable HTTP, stateless, built on the official Go SDK.
//
// The endpoint is an http.Handler for POST /mcp. It holds no session and
// never keeps a stream open: API Gateway buffers answers and cuts them at
// 30 s, so every request is answered as one JSON body (or, for a client
// that accepts only text/event-stream, one short event stream), and
// whatever would wait for later events is refused.
package mcp

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"time"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/sendsafely/chatbot-connector/internal/tools"
)

// Caller runs the agent tools: tools.Runner is the one.
type Caller interface {
	// CallTool runs the tool called name with the JSON object args and
	// answers as POST /tools/<name> would, with what to log of the call.
	CallTool(ctx context.Context, name string, args json.RawMessage) tools.Reply
	// Collect runs one round of collect_files (see tools.Runner.Collect).
	Collect(ctx context.Context, args json.RawMessage, state, base string, wait time.Duration) tools.CollectStep
}

// OldestProtocol is the oldest MCP protocol version the endpoint speaks;
// it speaks every newer one the SDK supports.
const OldestProtocol = "2025-03-26"

// ProtocolVersions returns the protocol versions the endpoint negotiates,
// newest first.
func ProtocolVersions() []string {
	return slices.DeleteFunc(sdk.SupportedProtocolVersions(), func(v string) bool { return v < OldestProtocol })
}

// implementation names the server to clients.
var implementation = &sdk.Implementation{Name: "sendsafely-chatbot-connector", Title: "SendSafely chatbot connector", Version: "1.0.0"}

const instructions = "Use generate_upload_link to get a link the customer can upload files through, " +
	"then get_secure_link with the uploadId and email once the customer is done. " +
	"The secure link is for a human agent only."

// NewServer returns the MCP server with the two tools, each of which runs
// through c.
func NewServer(c Caller, log *slog.Logger) (*sdk.Server, error) {
	srv := sdk.NewServer(implementation, &sdk.ServerOptions{
		Instructions: instructions,
		Logger:       log,
		// The tool list never changes, and there is nothing to log to a
		// client: no listChanged, no logging capability.
		Capabilities:              &sdk.ServerCapabilities{Tools: &sdk.ToolCapabilities{}},
		SupportedProtocolVersions: ProtocolVersions(),
	})
	for _, t := range tools.All() {
		def, err := definition(t)
		if err != nil {
			return nil, err
		}
		if t.Name == tools.CollectFiles {
			srv.AddTool(def, collectHandler(c))
			continue
		}
		srv.AddTool(def, handler(c, t.Name))
	}
	srv.AddReceivingMiddleware(refuseStreams, offerCollect)
	return srv, nil
}

// definition returns the MCP tool definition of t.
func definition(t tools.Tool) (*sdk.Tool, error) {
	in, err := t.Input.JSONSchema()
	if err != nil {
		return nil, fmt.Errorf("mcp: %s input schema: %w", t.Name, err)
	}
	out, err := t.Output.JSONSchema()
	if err != nil {
		return nil, fmt.Errorf("mcp: %s output schema: %w", t.Name, err)
	}
	// Neither tool reaches beyond the connector's own store, and neither
	// removes anything (generate_upload_link only adds an upload).
	no := false
	ann := &sdk.ToolAnnotations{Title: t.Title, ReadOnlyHint: t.ReadOnly, IdempotentHint: t.Idempotent,
		DestructiveHint: &no, OpenWorldHint: &no}
	return &sdk.Tool{Name: t.Name, Title: t.Title, Description: t.Description,
		InputSchema: json.RawMessage(in), OutputSchema: json.RawMessage(out), Annotations: ann}, nil
}

// handler runs one tool call through c. A failure of the tool, a
// dependency's aside, is a result with isError and the sentence the chatbot API would
// give, so the model can read it and act; Pending is a normal result. The
// call's note goes to the request's log line, through the context's
// tools.Sink: the endpoint itself logs nothing.
func handler(c Caller, name string) sdk.ToolHandler {
	return func(ctx context.Context, req *sdk.CallToolRequest) (*sdk.CallToolResult, error) {
		if name == tools.ReadFile {
			ctx = tools.WithSurface(ctx, tools.Surface{Images: true})
		}
		reply := c.CallTool(ctx, name, req.Params.Arguments)
		tools.Deliver(ctx, reply.Note)
		if reply.Status == http.StatusServiceUnavailable {
			// Not the tool's failure but the connector's: a JSON-RPC error
			// with the chatbot API's Unavailable sentence, and Retry-After
			// on the HTTP answer, so a client retries instead of the model.
			markRetry(ctx)
			return nil, &jsonrpc.Error{Code: codeServer, Message: reply.Message}
		}
		if !reply.OK() {
			return &sdk.CallToolResult{IsError: true, Content: []sdk.Content{&sdk.TextContent{Text: reply.Message}}}, nil
		}
		return &sdk.CallToolResult{StructuredContent: reply.Body, Content: content(reply)}, nil
	}
}

// streamMethods are the requests that hold a stream open for events to
// come; a stateless endpoint behind a buffering gateway cannot serve them.
// subscriptions/listen is not among them: the server offers no
// notification (its tool list never changes), so the SDK acknowledges the
// stream with every requested type left out and ends it at once.
var streamMethods = map[string]bool{"resources/subscribe": true}

// refuseStreams answers the requests of streamMethods with an error at
// once, instead of a stream that API Gateway would cut after 30 s.
func refuseStreams(next sdk.MethodHandler) sdk.MethodHandler {
	return func(ctx context.Context, method string, req sdk.Request) (sdk.Result, error) {
		if streamMethods[method] {
			return nil, &jsonrpc.Error{Code: jsonrpc.CodeInvalidRequest,
				Message: fmt.Sprintf("%s is not available: this server is stateless and keeps no stream open", method)}
		}
		return next(ctx, method, req)
	}
}

// New returns the endpoint for POST /mcp, serving srv statelessly.
func New(srv *sdk.Server, log *slog.Logger) http.Handler {
	get := func(*http.Request) *sdk.Server { return srv }
	return &endpoint{
		versions: ProtocolVersions(),
		json:     sdk.NewStreamableHTTPHandler(get, &sdk.StreamableHTTPOptions{Stateless: true, JSONResponse: true, Logger: log}),
		sse:      sdk.NewStreamableHTTPHandler(get, &sdk.StreamableHTTPOptions{Stateless: true, Logger: log}),
	}
}
