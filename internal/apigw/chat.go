package apigw

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// The chatbot API's actions, as they appear on the wire.
const (
	actionGenerateID = "generateId"
	actionGetLink    = "getLink"
)

// chat answers POST /: authenticate, decode the action, then dispatch.
func (h *Handler) chat(ctx context.Context, r *request, body []byte, line *logLine) Response {
	if err := h.svc.Authorize(ctx, credentials(r.headers)...); err != nil {
		return h.fail(chatErrors, err, line)
	}
	var env struct {
		Action string `json:"action"`
	}
	if err := decodeObject(body, &env); err != nil {
		return h.fail(chatErrors, err, line)
	}
	switch {
	case strings.EqualFold(env.Action, actionGenerateID):
		line.action = actionGenerateID
		return h.generateID(ctx, body, line)
	case strings.EqualFold(env.Action, actionGetLink):
		line.action = actionGetLink
		return h.getLink(ctx, body, line)
	case env.Action == "":
		return h.fail(chatErrors, connector.Errorf(connector.ErrInvalid, "The field action is required: generateId or getLink."), line)
	default:
		line.action = "unknown"
		return h.fail(chatErrors, connector.Errorf(connector.ErrInvalid, "The action is unknown; use generateId or getLink."), line)
	}
}

type generateRequest struct {
	Email          string `json:"email"`
	ConversationID string `json:"conversationId"`
}

type generateResponse struct {
	Result    string         `json:"Result"`
	UploadID  string         `json:"UploadId"`
	UploadURL connector.Link `json:"UploadUrl"`
	ExpiresAt string         `json:"ExpiresAt"`
}

func (h *Handler) generateID(ctx context.Context, body []byte, line *logLine) Response {
	var req generateRequest
	if err := decodeObject(body, &req); err != nil {
		return h.fail(chatErrors, err, line)
	}
	up, err := h.svc.GenerateID(ctx, connector.GenerateRequest{Email: connector.Email(req.Email), ConversationID: req.ConversationID})
	if err != nil {
		return h.fail(chatErrors, err, line)
	}
	line.upload = connector.LogID(up.ID)
	return jsonResponse(http.StatusOK, generateResponse{
		Result: "Success", UploadID: up.ID, UploadURL: up.URL, ExpiresAt: up.ExpiresAt.UTC().Format(time.RFC3339),
	})
}

type getLinkRequest struct {
	UploadID string  `json:"uploadId"`
	Email    string  `json:"email"`
	Wait     seconds `json:"wait"`
}

type linkResponse struct {
	Result      string           `json:"Result"`
	SecureLink  connector.Link   `json:"SecureLink"`
	SecureLinks []connector.Link `json:"SecureLinks"`
	SubmittedAt string           `json:"SubmittedAt"`
}

type pendingResponse struct {
	Result  string `json:"Result"`
	Message string `json:"Message"`
}

// pendingMessage tells the chatbot what Pending means.
const pendingMessage = "Nothing has been uploaded yet; ask again once the customer has submitted the files."

func (h *Handler) getLink(ctx context.Context, body []byte, line *logLine) Response {
	var req getLinkRequest
	if err := decodeObject(body, &req); err != nil {
		return h.fail(chatErrors, err, line)
	}
	line.upload = connector.LogID(req.UploadID)
	res, err := h.svc.GetLink(ctx, connector.LinkRequest{
		UploadID: strings.TrimSpace(req.UploadID), Email: connector.Email(req.Email), Wait: waitDuration(req.Wait.v),
	})
	if err != nil {
		return h.fail(chatErrors, err, line)
	}
	if !res.Ready {
		line.outcome = "pending"
		return jsonResponse(http.StatusOK, pendingResponse{Result: "Pending", Message: pendingMessage})
	}
	line.outcome = "ready"
	return jsonResponse(http.StatusOK, linkResponse{
		Result: "Success", SecureLink: res.Links[len(res.Links)-1], SecureLinks: res.Links,
		SubmittedAt: res.SubmittedAt.UTC().Format(time.RFC3339),
	})
}

// waitDuration converts seconds to a duration; values out of range map to
// one the service refuses, without overflowing.
func waitDuration(s float64) time.Duration {
	if s < 0 || s > connector.MaxWait.Seconds() {
		return -1
	}
	return time.Duration(s * float64(time.Second))
}
