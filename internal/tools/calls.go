package tools

import (
	"context"
	"strings"
	"time"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// The two operations, as the chatbot API's actions (generateId, getLink)
// and the agent tools (generate_upload_link, get_secure_link) share them:
// the same request fields, decoding rules and log notes; only the shape of
// the answer differs, and each caller writes its own.

// Service is what the operations need of the connector service.
type Service interface {
	GenerateID(ctx context.Context, req connector.GenerateRequest) (connector.Upload, error)
	GetLink(ctx context.Context, req connector.LinkRequest) (connector.LinkResult, error)
}

var _ Service = (*connector.Service)(nil)

// generateRequest is the input of generateId and generate_upload_link.
type generateRequest struct {
	Email          string `json:"email"`
	ConversationID string `json:"conversationId"`
}

// getLinkRequest is the input of getLink and get_secure_link.
type getLinkRequest struct {
	UploadID string  `json:"uploadId"`
	Email    string  `json:"email"`
	Wait     seconds `json:"wait"`
}

// Generate decodes body and creates the upload. The note names the upload
// once it exists.
func Generate(ctx context.Context, svc Service, body []byte) (connector.Upload, Note, error) {
	var req generateRequest
	if err := DecodeObject(body, &req); err != nil {
		return connector.Upload{}, Note{}, err
	}
	up, err := svc.GenerateID(ctx, connector.GenerateRequest{Email: connector.Email(req.Email), ConversationID: req.ConversationID})
	if err != nil {
		return connector.Upload{}, Note{}, err
	}
	return up, Note{Upload: connector.LogID(up.ID)}, nil
}

// ReadLinks decodes body and reads the upload's links, waiting as asked.
// The note names the upload as soon as the body is read, and the outcome
// once there is one.
func ReadLinks(ctx context.Context, svc Service, body []byte) (connector.LinkResult, Note, error) {
	var req getLinkRequest
	if err := DecodeObject(body, &req); err != nil {
		return connector.LinkResult{}, Note{}, err
	}
	n := Note{Upload: connector.LogID(req.UploadID)}
	res, err := svc.GetLink(ctx, connector.LinkRequest{
		UploadID: strings.TrimSpace(req.UploadID), Email: connector.Email(req.Email), Wait: waitDuration(req.Wait.v),
	})
	if err != nil {
		return connector.LinkResult{}, n, err
	}
	switch {
	case res.Ready:
		n.Outcome = "ready"
	case res.Rejected:
		n.Outcome = "rejected"
	default:
		n.Outcome = "pending"
	}
	return res, n, nil
}

// waitDuration converts seconds to a duration; values out of range (NaN
// too, whatever the architecture) map to one the service refuses, without
// overflowing.
func waitDuration(s float64) time.Duration {
	if !(s >= 0 && s <= connector.MaxWait.Seconds()) {
		return -1
	}
	return time.Duration(s * float64(time.Second))
}
