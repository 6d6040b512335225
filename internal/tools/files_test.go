package tools_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/tools"
)

// fileSvc answers read_file with a long text full of characters JSON
// escapes, and an image, as the renderer would.
type fileSvc struct {
	tools.Service
	got connector.ReadRequest
}

func (f *fileSvc) ListFiles(context.Context, connector.FilesRequest) (connector.LinkResult, error) {
	return connector.LinkResult{}, nil
}

func (f *fileSvc) ReadFile(_ context.Context, req connector.ReadRequest) (connector.ReadResult, error) {
	f.got = req
	res := connector.ReadResult{Found: true, File: connector.UploadFile{File: connector.File{ID: req.FileID, Name: "a.txt"}},
		Type: "text/plain", Rendered: true, Link: "https://s3.example/a?X-Amz-Signature=x"}
	if req.FileID == "IMG" {
		res.Content = connector.Content{Image: []byte{1, 2, 3}, ImageType: "image/png", Width: 2, Height: 1}
		if !req.Images {
			res.Content.Image = nil
		}
		return res, nil
	}
	res.Content = connector.Content{Text: strings.Repeat("\"é\n", req.MaxChars/3), Offset: req.Offset, NextOffset: req.Offset + req.MaxChars}
	return res, nil
}

func TestReadFileSurfaces(t *testing.T) {
	tests := []struct {
		name      string
		surface   tools.Surface
		args      string
		wantImage bool
		maxQuoted int
	}{
		{"bedrock bound", tools.Surface{MaxBytes: 18_000}, `{"uploadId":"u","email":"a@b.c","fileId":"T","maxChars":100000}`, false, 18_000},
		{"mcp image", tools.Surface{Images: true}, `{"fileId":"IMG"}`, true, 0},
		{"no images", tools.Surface{}, `{"fileId":"IMG"}`, false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc := &fileSvc{}
			r := tools.NewRunner(svc, func(err error) tools.Reply { return tools.Reply{Status: 500, Message: err.Error()} }, tools.Options{})
			reply := r.CallTool(tools.WithSurface(t.Context(), tt.surface), tools.ReadFile, json.RawMessage(tt.args))
			if reply.Status != http.StatusOK {
				t.Fatalf("got %d %s", reply.Status, reply.Message)
			}
			if (reply.Image != nil) != tt.wantImage || svc.got.Images != tt.surface.Images {
				t.Errorf("got image %v (asked %v), want %v", reply.Image, svc.got.Images, tt.wantImage)
			}
			var out tools.ReadOutput
			if err := json.Unmarshal(reply.Body, &out); err != nil || !out.Readable || out.DownloadURL == "" {
				t.Fatalf("got %s, %v; want a readable output with a download link", reply.Body, err)
			}
			if tt.maxQuoted > 0 {
				q, _ := json.Marshal(string(reply.Body))
				if len(q) > tt.maxQuoted || out.NextOffset != len([]rune(out.Text)) || out.NextOffset == 0 {
					t.Errorf("quoted body %d bytes (max %d), text %d chars, nextOffset %d", len(q), tt.maxQuoted, len([]rune(out.Text)), out.NextOffset)
				}
				if reply.Note.File != "T" || reply.Note.Bytes != len(out.Text) {
					t.Errorf("note %+v, want file T and %d bytes", reply.Note, len(out.Text))
				}
			}
		})
	}
}
