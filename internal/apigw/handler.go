package apigw

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// Service is what the edge needs of the connector service.
type Service interface {
	Authorize(ctx context.Context, creds ...connector.Secret) error
	GenerateID(ctx context.Context, req connector.GenerateRequest) (connector.Upload, error)
	GetLink(ctx context.Context, req connector.LinkRequest) (connector.LinkResult, error)
	Notify(ctx context.Context, n connector.Notice) (connector.Receipt, error)
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
}

// Handler answers API Gateway and Function URL events.
type Handler struct {
	svc  Service
	cors cors
	log  *slog.Logger
	now  func() time.Time
}

// New returns a Handler that serves svc.
func New(svc Service, opt Options) *Handler {
	h := &Handler{svc: svc, cors: newCORS(opt.AllowedOrigins), log: opt.Logger, now: opt.Now}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	if h.now == nil {
		h.now = time.Now
	}
	return h
}

// The routes of the connector.
const (
	routeChat    = "/"
	routeWebhook = "/webhook"
)

// Handle answers one event. Every request it understood is answered with a
// response and a nil error; an error means the function itself is broken.
func (h *Handler) Handle(ctx context.Context, ev Event) (Response, error) {
	start := h.now()
	r := normalise(&ev)
	line := logLine{route: r.path, method: r.method, requestID: ev.RequestContext.RequestID}
	if lc, ok := lambdacontext.FromContext(ctx); ok {
		line.requestID = lc.AwsRequestID
	}
	resp := h.serve(ctx, &r, &line)
	h.cors.apply(r, &resp)
	line.status = resp.StatusCode
	line.duration = h.now().Sub(start)
	line.write(ctx, h.log)
	return resp, nil
}

// serve routes the request.
func (h *Handler) serve(ctx context.Context, r *request, line *logLine) Response {
	var format errorFormat
	switch r.path {
	case routeChat:
		format = chatErrors
	case routeWebhook:
		format = webhookErrors
	default:
		line.route = "unknown"
		return h.fail(chatErrors, errNoRoute, line)
	}
	switch r.method {
	case http.MethodOptions:
		return Response{StatusCode: http.StatusNoContent, Headers: map[string]string{}}
	case http.MethodPost:
	default:
		return h.fail(format, errMethod, line)
	}
	body, err := r.body()
	if err != nil {
		return h.fail(format, err, line)
	}
	if r.path == routeWebhook {
		return h.webhook(ctx, r, body, line)
	}
	return h.chat(ctx, r, body, line)
}
