package dropzone

import (
	"encoding/json"
	"strings"
	"unicode/utf8"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// MaxDataLen bounds the data field; real payloads are under a kilobyte.
const MaxDataLen = 16 << 10

// Payload is the signed data of a notification as JSON, in our reading of
// the format: Decode reads it, Encode writes it. The upload id may come as
// "name": the Dropzone's form-input field carries it.
type Payload struct {
	UploadID    string `json:"uploadId,omitempty"`
	Name        string `json:"name,omitempty"`
	Email       string `json:"email,omitempty"`
	PackageID   string `json:"packageId,omitempty"`
	PackageCode string `json:"packageCode,omitempty"`
	DropzoneID  string `json:"dropzoneId,omitempty"`
	SubmittedAt string `json:"submittedAt,omitempty"`
}

// Decode decodes the signed data of a notification: base64url (padding
// optional) of a UTF-8 JSON object. Missing fields come back empty; the
// service decides which it needs. It returns connector.ErrInvalid if data
// is not in that form.
func (Codec) Decode(data string) (connector.Submission, error) {
	if len(data) > MaxDataLen {
		return connector.Submission{}, connector.Errorf(connector.ErrInvalid, "The notification's data is too long.")
	}
	raw, ok := decodeBase64(data)
	if !ok || !utf8.Valid(raw) {
		return connector.Submission{}, connector.Errorf(connector.ErrInvalid, "The notification's data is not base64url-encoded UTF-8.")
	}
	var p Payload
	if err := json.Unmarshal(raw, &p); err != nil || !isObject(raw) {
		return connector.Submission{}, connector.Errorf(connector.ErrInvalid, "The notification's data is not a JSON object of strings.")
	}
	id := p.UploadID
	if strings.TrimSpace(id) == "" {
		id = p.Name
	}
	return connector.Submission{
		UploadID:    strings.TrimSpace(id),
		Email:       connector.Email(p.Email),
		PackageID:   strings.TrimSpace(p.PackageID),
		PackageCode: connector.Secret(p.PackageCode),
		DropzoneID:  strings.TrimSpace(p.DropzoneID),
		SubmittedAt: strings.TrimSpace(p.SubmittedAt),
	}, nil
}

func isObject(raw []byte) bool {
	s := strings.TrimLeft(string(raw), " \t\r\n")
	return strings.HasPrefix(s, "{")
}
