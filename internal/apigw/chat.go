package apigw

import (
	"context"
	"net/http"
	"strings"

	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/tools"
)

// The chatbot API's actions, as they appear on the wire.
const (
	actionGenerateID = "generateId"
	actionGetLink    = "getLink"
)

// chat answers POST /: authenticate, decode the action, then dispatch.
func (h *Handler) chat(ctx context.Context, r *request, _ string, body []byte, line *logLine) Response {
	if err := h.svc.Authorize(ctx, credentials(r.headers)...); err != nil {
		return h.fail(chatErrors, err, line)
	}
	var env struct {
		Action string `json:"action"`
	}
	if err := tools.DecodeObject(body, &env); err != nil {
		return h.fail(chatErrors, err, line)
	}
	for _, a := range chatActions {
		if strings.EqualFold(env.Action, a.name) {
			line.action = a.name
			return a.run(h, ctx, body, line)
		}
	}
	if env.Action == "" {
		return h.fail(chatErrors, connector.Errorf(connector.ErrInvalid, "The field action is required: %s.", actionList()), line)
	}
	line.action = "unknown"
	return h.fail(chatErrors, connector.Errorf(connector.ErrInvalid, "The action is unknown; use %s.", actionList()), line)
}

// chatActions are the chatbot API's actions, matched without case.
var chatActions = []struct {
	name string
	run  func(h *Handler, ctx context.Context, body []byte, line *logLine) Response
}{
	{actionGenerateID, (*Handler).generateID},
	{actionGetLink, (*Handler).getLink},
	{actionListFiles, (*Handler).listFiles},
	{actionReadFile, (*Handler).readFile},
}

// actionList names the actions for an error message: "a, b, c or d"
// (built when asked, not at start).
func actionList() string {
	names := make([]string, len(chatActions))
	for i, a := range chatActions {
		names[i] = a.name
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

type generateResponse struct {
	Result    string         `json:"Result"`
	UploadID  string         `json:"UploadId"`
	UploadURL connector.Link `json:"UploadUrl"`
	ExpiresAt string         `json:"ExpiresAt"`
}

func (h *Handler) generateID(ctx context.Context, body []byte, line *logLine) Response {
	up, note, err := tools.Generate(ctx, h.svc, body)
	line.take(note)
	if err != nil {
		return h.fail(chatErrors, err, line)
	}
	return jsonResponse(http.StatusOK, generateResponse{
		Result: "Success", UploadID: up.ID, UploadURL: up.URL, ExpiresAt: connector.FormatTime(up.ExpiresAt),
	})
}

type linkResponse struct {
	Result      string           `json:"Result"`
	SecureLink  connector.Link   `json:"SecureLink"`
	SecureLinks []connector.Link `json:"SecureLinks"`
	SubmittedAt string           `json:"SubmittedAt"`
	chatManifest
}

type pendingResponse struct {
	Result  string `json:"Result"`
	Message string `json:"Message"`
}

// pendingMessage tells the chatbot what Pending means.
const pendingMessage = "Nothing has been uploaded yet; ask again once the customer has submitted the files."

func (h *Handler) getLink(ctx context.Context, body []byte, line *logLine) Response {
	res, note, err := tools.ReadLinks(ctx, h.svc, body)
	line.take(note)
	if err != nil {
		return h.fail(chatErrors, err, line)
	}
	if res.Rejected {
		return jsonResponse(http.StatusOK, rejectedResponse{Result: "Rejected", Message: res.Message, Files: chatFiles(res)})
	}
	if !res.Ready {
		return jsonResponse(http.StatusOK, pendingResponse{Result: "Pending", Message: pendingMessage})
	}
	return jsonResponse(http.StatusOK, linkResponse{
		Result: "Success", SecureLink: res.Links[len(res.Links)-1], SecureLinks: res.Links,
		SubmittedAt: connector.FormatTime(res.SubmittedAt), chatManifest: manifestOf(res),
	})
}
