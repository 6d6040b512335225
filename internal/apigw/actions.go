package apigw

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

// generate decodes body and creates the upload, noting it on line.
func generate(ctx context.Context, svc Service, body []byte, line *logLine) (connector.Upload, error) {
	var req generateRequest
	if err := decodeObject(body, &req); err != nil {
		return connector.Upload{}, err
	}
	up, err := svc.GenerateID(ctx, connector.GenerateRequest{Email: connector.Email(req.Email), ConversationID: req.ConversationID})
	if err != nil {
		return connector.Upload{}, err
	}
	line.upload = connector.LogID(up.ID)
	return up, nil
}

// readLinks decodes body and reads the upload's links, waiting as asked,
// noting the upload and the outcome on line.
func readLinks(ctx context.Context, svc Service, body []byte, line *logLine) (connector.LinkResult, error) {
	var req getLinkRequest
	if err := decodeObject(body, &req); err != nil {
		return connector.LinkResult{}, err
	}
	line.upload = connector.LogID(req.UploadID)
	res, err := svc.GetLink(ctx, connector.LinkRequest{
		UploadID: strings.TrimSpace(req.UploadID), Email: connector.Email(req.Email), Wait: waitDuration(req.Wait.v),
	})
	if err != nil {
		return connector.LinkResult{}, err
	}
	if res.Ready {
		line.outcome = "ready"
	} else {
		line.outcome = "pending"
	}
	return res, nil
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
