package apigw

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/tools"
)

// notice is the webhook body when it comes as JSON.
type notice struct {
	Data       string `json:"data"`
	Digest     string `json:"digest"`
	SecureLink string `json:"secureLink"`
}

// webhook answers POST /webhook, from the Dropzone upload page.
func (h *Handler) webhook(ctx context.Context, r *request, _ string, body []byte, line *logLine) Response {
	n, err := decodeNotice(r.headers["content-type"], body)
	if err != nil {
		return h.fail(webhookErrors, err, line)
	}
	rc, err := h.svc.Notify(ctx, n)
	line.upload, line.outcome = connector.LogID(rc.UploadID), rc.Outcome
	if rc.MarkFailed {
		line.note = "published, but not recorded as published"
	}
	if err != nil {
		return h.fail(webhookErrors, err, line)
	}
	return jsonResponse(http.StatusOK, webhookReply{Result: "success"})
}

// decodeNotice reads the notification: form-encoded as the upload page
// sends it, or JSON with the same keys.
func decodeNotice(contentType string, body []byte) (connector.Notice, error) {
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	if strings.Contains(strings.ToLower(contentType), "json") || bytes.HasPrefix(trimmed, []byte("{")) {
		var n notice
		if err := tools.DecodeObject(body, &n); err != nil {
			return connector.Notice{}, err
		}
		return connector.Notice{Data: n.Data, Digest: n.Digest, SecureLink: connector.Link(n.SecureLink)}, nil
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return connector.Notice{}, connector.Errorf(connector.ErrInvalid, "The notification is neither form-encoded nor JSON.")
	}
	return connector.Notice{Data: form.Get("data"), Digest: form.Get("digest"), SecureLink: connector.Link(form.Get("secureLink"))}, nil
}
