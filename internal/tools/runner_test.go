package tools_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/tools"
)

// fakeService answers from fixed values and notes the requests it got.
type fakeService struct {
	gen  connector.GenerateRequest
	link connector.LinkRequest
	err  error
}

func (f *fakeService) GenerateID(_ context.Context, req connector.GenerateRequest) (connector.Upload, error) {
	f.gen = req
	return connector.Upload{ID: "u-1", URL: "https://h/u?a=1&b=2", ExpiresAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}, f.err
}

func (f *fakeService) GetLink(_ context.Context, req connector.LinkRequest) (connector.LinkResult, error) {
	f.link = req
	return connector.LinkResult{}, f.err
}

// fail stands for the edge's error writer: the status of the error kind
// and a fixed body.
func fail(err error) tools.Reply {
	status := http.StatusInternalServerError
	switch {
	case errors.Is(err, tools.ErrUnknownTool):
		status = http.StatusNotFound
	case errors.Is(err, connector.ErrInvalid):
		status = http.StatusBadRequest
	}
	return tools.Reply{Status: status, Body: []byte(`{"error":true}`), Message: "m"}
}

// TestRunner: the runner answers each tool from the table, with the note
// its caller logs, and never logs itself.
func TestRunner(t *testing.T) {
	for _, tt := range []struct {
		name, tool, args string
		svcErr           error
		wantStatus       int
		wantBody         string
		wantNote         tools.Note
	}{
		{"generate", tools.GenerateUploadLink, `{"email":"a@b.example"}`, nil, 200,
			`{"uploadId":"u-1","uploadUrl":"https://h/u?a=1&b=2","expiresAt":"2026-01-02T03:04:05Z"}`,
			tools.Note{Tool: tools.GenerateUploadLink, Upload: connector.LogID("u-1")}},
		{"empty args", tools.GenerateUploadLink, ``, nil, 200,
			`{"uploadId":"u-1","uploadUrl":"https://h/u?a=1&b=2","expiresAt":"2026-01-02T03:04:05Z"}`,
			tools.Note{Tool: tools.GenerateUploadLink, Upload: connector.LogID("u-1")}},
		{"pending", tools.GetSecureLink, `{"uploadId":"u-1","email":"a@b.example"}`, nil, 200, `{"status":"Pending"}`,
			tools.Note{Tool: tools.GetSecureLink, Upload: connector.LogID("u-1"), Outcome: "pending"}},
		{"unknown tool", "delete_everything", `{}`, nil, 404, `{"error":true}`, tools.Note{Tool: "unknown", Err: tools.ErrUnknownTool}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := tools.NewRunner(&fakeService{err: tt.svcErr}, fail, tools.Options{})
			reply := r.CallTool(context.Background(), tt.tool, []byte(tt.args))
			if reply.Status != tt.wantStatus || string(reply.Body) != tt.wantBody {
				t.Errorf("got %d %s, want %d %s", reply.Status, reply.Body, tt.wantStatus, tt.wantBody)
			}
			if diff := cmp.Diff(tt.wantNote, reply.Note, cmp.Comparer(func(a, b error) bool { return errors.Is(a, b) })); diff != "" {
				t.Errorf("note (-want +got):\n%s", diff)
			}
		})
	}
}

// TestRunnerFailure: a failed call is the error writer's reply, with the
// error and what was known on the note.
func TestRunnerFailure(t *testing.T) {
	r := tools.NewRunner(&fakeService{err: connector.ErrUnavailable}, fail, tools.Options{})
	reply := r.CallTool(context.Background(), tools.GetSecureLink, []byte(`{"uploadId":"u-1","email":"a@b.example"}`))
	if reply.Status != 500 || !errors.Is(reply.Note.Err, connector.ErrUnavailable) || reply.Note.Upload != connector.LogID("u-1") {
		t.Errorf("got %+v", reply)
	}
	if reply := r.CallTool(context.Background(), tools.GetSecureLink, []byte(`[]`)); reply.Status != 400 || !errors.Is(reply.Note.Err, connector.ErrInvalid) {
		t.Errorf("an array: got %+v, want 400 and ErrInvalid", reply)
	}
}

// TestUnknownToolMessage names every tool of the table.
func TestUnknownToolMessage(t *testing.T) {
	want := "There is no tool by that name; the tools are generate_upload_link, get_secure_link, list_files and read_file."
	if tools.UnknownToolMessage != want {
		t.Errorf("got %q, want %q", tools.UnknownToolMessage, want)
	}
}
