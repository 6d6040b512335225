package apigw

import (
	"context"
	"log/slog"
	"net/http"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/tools"
)

// Service is what the edge needs of the connector service.
type Service interface {
	Authorize(ctx context.Context, creds ...connector.Secret) error
	GenerateID(ctx context.Context, req connector.GenerateRequest) (connector.Upload, error)
	GetLink(ctx context.Context, req connector.LinkRequest) (connector.LinkResult, error)
	Notify(ctx context.Context, n connector.Notice) (connector.Receipt, error)
	UploadPage(ctx context.Context, token string) (connector.Link, error)
}

var _ Service = (*connector.Service)(nil)

// Options configure a Handler.
type Options struct {
	// AllowedOrigins are the origins that get CORS headers; "*" allows any.
	AllowedOrigins []string
	// Logger receives one line per request; nil discards.
	Logger *slog.Logger
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
	// MCP serves POST /mcp once the request has passed the edge's checks
	// (method, size, Origin, API token); nil answers 404 there.
	MCP http.Handler
	// Tools runs the tools of POST /tools/*: the one runner that the MCP
	// endpoint and Bedrock use too. Nil builds one on the service.
	Tools *tools.Runner
}

// Handler answers API Gateway and Function URL events.
type Handler struct {
	svc    Service
	tools  *tools.Runner
	routes []route
	mcp    http.Handler
	cors   cors
	log    *slog.Logger
	now    func() time.Time
}

// New returns a Handler that serves svc.
func New(svc Service, opt Options) *Handler {
	h := &Handler{svc: svc, tools: opt.Tools, mcp: opt.MCP, cors: newCORS(opt.AllowedOrigins), log: opt.Logger, now: opt.Now}
	if h.tools == nil {
		h.tools = tools.NewRunner(svc, ErrorReply, tools.Options{})
	}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	if h.now == nil {
		h.now = time.Now
	}
	h.routes = newRoutes(h)
	return h
}

// Handle answers one event. Every request it understood is answered with a
// response and a nil error; an error means the function itself is broken.
func (h *Handler) Handle(ctx context.Context, ev Event) (Response, error) {
	start := h.now()
	r := normalise(&ev)
	line := logLine{route: r.path, method: r.method, requestID: ev.RequestContext.RequestID}
	if lc, ok := lambdacontext.FromContext(ctx); ok {
		line.requestID = lc.AwsRequestID
	}
	resp, rt := h.serve(ctx, &r, &line)
	h.cors.apply(r, rt, &resp)
	line.status = resp.StatusCode
	line.duration = h.now().Sub(start)
	line.write(ctx, h.log)
	return resp, nil
}

// serve routes the request by the route table, and returns the answer and
// the route that gave it (nil for none).
func (h *Handler) serve(ctx context.Context, r *request, line *logLine) (Response, *route) {
	rt, rest := h.find(r.path)
	if rt == nil {
		line.route = "unknown"
		return h.fail(chatErrors, errNoRoute, line), nil
	}
	if rt.logAs != "" {
		line.route = rt.logAs
	}
	if r.method == http.MethodOptions {
		return Response{StatusCode: http.StatusNoContent, Headers: map[string]string{}}, rt
	}
	if !rt.accepts(r.method) {
		resp := h.fail(rt.format, errMethod, line)
		resp.Headers["Allow"] = rt.allow
		return resp, rt
	}
	var body []byte
	if hasBody(r.method) {
		var err error
		if body, err = r.body(); err != nil {
			return h.fail(rt.format, err, line), rt
		}
		// JSON is UTF-8 (RFC 8259), and so are the forms the upload page
		// posts. MCP answers its own parse error (-32700).
		if rt.format != mcpErrors && !utf8.Valid(body) {
			return h.fail(rt.format, errNotUTF8, line), rt
		}
	}
	return rt.serve(h, ctx, r, rest, body, line), rt
}
