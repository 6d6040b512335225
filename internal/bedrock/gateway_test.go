package bedrock_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/sendsafely/chatbot-connector/internal/bedrock"
	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/tools"
)

// oversized is a files service whose reads are more than any platform
// takes: text of 7,000,000 characters whatever maxChars says, or a PNG
// for the asker that takes images. It records what it was asked.
type oversized struct {
	tools.Service
	got connector.ReadRequest
}

func (o *oversized) ListFiles(context.Context, connector.FilesRequest) (connector.LinkResult, error) {
	return connector.LinkResult{}, nil
}

func (o *oversized) ReadFile(_ context.Context, req connector.ReadRequest) (connector.ReadResult, error) {
	o.got = req
	res := connector.ReadResult{Found: true, File: connector.UploadFile{File: connector.File{ID: req.FileID, Name: "f"}},
		Rendered: true, Link: "https://bucket.s3.amazonaws.com/f?X-Amz-Signature=s"}
	if req.FileID == "IMG" {
		res.Type = "image/png"
		res.Content = connector.Content{ImageType: "image/png", Width: 1568, Height: 784, SourceWidth: 2000, SourceHeight: 1000}
		if req.Images {
			res.Content.Image = []byte("\x89PNG\r\n\x1a\n-the-image-bytes-")
		}
		return res, nil
	}
	res.Type = "text/plain"
	res.Content = connector.Content{Text: strings.Repeat("a\"", 3_500_000), Offset: req.Offset, TotalChars: 7_000_000}
	return res, nil
}

// TestGatewayReadFile: read_file through the AgentCore Gateway adapter,
// as the function's entry calls it, answers within GatewayMaxBody (the
// text cut, nextOffset where it stops, the cut said) and with no image
// content: the service is asked for none, the answer describes the image
// and gives the link.
func TestGatewayReadFile(t *testing.T) {
	svc := &oversized{}
	r := tools.NewRunner(svc, func(err error) tools.Reply { return tools.Reply{Status: http.StatusInternalServerError} }, tools.Options{})
	h := bedrock.New(r, nil, nil)

	body := h.Gateway(context.Background(), tools.ReadFile, json.RawMessage(`{"uploadId":"u","email":"a@b.c","fileId":"T"}`))
	var out tools.ReadOutput
	if err := json.Unmarshal(body, &out); err != nil || !out.Readable {
		t.Fatalf("read_file of text: %.200s (%v)", body, err)
	}
	n := len([]rune(out.Text))
	if len(body) > bedrock.GatewayMaxBody || n == 0 || out.NextOffset != n || !strings.Contains(out.Note, "call again with offset") {
		t.Errorf("read_file of text: %d bytes (bound %d), %d characters, nextOffset %d, note %q; want it cut to fit, nextOffset at the cut",
			len(body), bedrock.GatewayMaxBody, n, out.NextOffset, out.Note)
	}
	if n < bedrock.MaxBody {
		t.Errorf("read_file of text: %d characters, want AgentCore's bound, not Bedrock Agents' %d bytes", n, bedrock.MaxBody)
	}

	body = h.Gateway(context.Background(), tools.ReadFile, json.RawMessage(`{"uploadId":"u","email":"a@b.c","fileId":"IMG"}`))
	out = tools.ReadOutput{}
	if err := json.Unmarshal(body, &out); err != nil || !out.Readable {
		t.Fatalf("read_file of an image: %s (%v)", body, err)
	}
	if svc.got.Images || out.Image == nil || out.Image.Sent || out.DownloadURL == "" || strings.Contains(string(body), "the-image-bytes") {
		t.Errorf("read_file of an image: asked for images %v, answer %s; want none asked, the image described and not sent, and the link",
			svc.got.Images, body)
	}
}
