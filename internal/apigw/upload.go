package apigw

import (
	"context"
	"net/http"
	"strings"
)

// uploadPage answers GET /u/<token>, the URL of a collect_files URL
// elicitation, which the customer's browser opens: 302 to the upload page
// of the upload the sealed token names, 404 for a token that is unknown,
// altered or expired (or no token at all): a short HTML page for a
// browser, which asks for text/html, the chatbot API's JSON for the rest.
// No API token is asked for; the log line names the route /u/{token},
// never the token.
func (h *Handler) uploadPage(ctx context.Context, r *request, token string, _ []byte, line *logLine) Response {
	format := chatErrors
	if strings.Contains(r.headers["accept"], "text/html") {
		format = pageErrors
	}
	link, err := h.svc.UploadPage(ctx, token)
	if err != nil {
		return h.fail(format, err, line)
	}
	return Response{StatusCode: http.StatusFound, Headers: map[string]string{
		"Location":      string(link),
		"Cache-Control": "no-store",
		// The upload page need not learn the token.
		"Referrer-Policy": "no-referrer",
	}}
}

// publicURL returns the connector's public URL as the client reached it:
// the scheme API Gateway reports (https if none), the Host, and the stage
// path of a non-default stage.
func publicURL(r *request) string {
	proto := r.headers["x-forwarded-proto"]
	if i := strings.IndexByte(proto, ','); i >= 0 {
		proto = proto[:i]
	}
	if proto = strings.TrimSpace(proto); proto != "http" {
		proto = "https"
	}
	base := proto + "://" + r.headers["host"]
	if r.stage != "" {
		base += "/" + r.stage
	}
	return base
}
