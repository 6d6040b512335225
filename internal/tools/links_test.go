package tools_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/tools"
)

// readyService has one upload, Ready with two links, on every path.
type readyService struct{ fakeService }

var readyLinks = connector.LinkResult{Ready: true, Links: []connector.Link{"https://h/receive/?a#keyCode=1", "https://h/receive/?b#keyCode=2"},
	SubmittedAt: time.Date(2026, 11, 21, 8, 0, 0, 0, time.UTC)}

func (readyService) GetLink(context.Context, connector.LinkRequest) (connector.LinkResult, error) {
	return readyLinks, nil
}

func (readyService) StartCollect(context.Context, connector.CollectRequest) (connector.Collection, error) {
	return connector.Collection{}, nil
}

func (readyService) ResumeCollect(context.Context, string, connector.CollectRequest, time.Duration) (connector.Collected, error) {
	return connector.Collected{UploadID: "u-1", Links: readyLinks}, nil
}

// TestOmitLinks: with TOOLS_INCLUDE_LINK=false every tool output that
// would carry the secure link (get_secure_link on every surface, and
// collect_files) carries the status and the time only.
func TestOmitLinks(t *testing.T) {
	const (
		with    = `{"status":"Ready","secureLink":"https://h/receive/?b#keyCode=2","secureLinks":["https://h/receive/?a#keyCode=1","https://h/receive/?b#keyCode=2"],"submittedAt":"2026-11-21T08:00:00Z"}`
		without = `{"status":"Ready","submittedAt":"2026-11-21T08:00:00Z"}`
	)
	for _, tt := range []struct {
		name string
		opt  tools.Options
		want string
	}{
		{"links included (the default)", tools.Options{}, with},
		{"links left out", tools.Options{OmitLinks: true}, without},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := tools.NewRunner(&readyService{}, fail, tt.opt)
			if got := r.CallTool(context.Background(), tools.GetSecureLink, []byte(`{"uploadId":"u-1","email":"a@b.example"}`)); string(got.Body) != tt.want {
				t.Errorf("get_secure_link: got %s, want %s", got.Body, tt.want)
			}
			step := r.Collect(context.Background(), []byte(`{}`), "state", "https://c", 0)
			if string(step.Reply.Body) != tt.want {
				t.Errorf("collect_files: got %s, want %s", step.Reply.Body, tt.want)
			}
		})
	}
}

// filesService's upload is Ready with a manifest whose state depends on
// whether retrieval is on.
type filesService struct {
	fakeService
	stored string // the accepted files' retrieval state; "" when off
}

func (*filesService) StartCollect(context.Context, connector.CollectRequest) (connector.Collection, error) {
	return connector.Collection{}, nil
}

func (s *filesService) ResumeCollect(context.Context, string, connector.CollectRequest, time.Duration) (connector.Collected, error) {
	res := readyLinks
	res.Files = []connector.UploadFile{
		{File: connector.File{ID: "f1", Name: "statement.pdf", Status: connector.FileAccepted, Stored: s.stored}},
		{File: connector.File{ID: "f2", Name: "setup.exe", Status: connector.FileRejected}},
	}
	return connector.Collected{UploadID: "u-1", Links: res}, nil
}

// TestCollectNamesTheFileTools: with retrieval on, a collect_files result
// tells the agent that list_files and read_file read the accepted files,
// with the request state as their access; with it off it says nothing.
func TestCollectNamesTheFileTools(t *testing.T) {
	for _, tt := range []struct {
		name, stored, want string
	}{
		{"retrieval on", connector.StoredPending, `The files (statement.pdf) are retrieved into the customer's storage. Call list_files with requestState "st-9" to see when each is stored and scanned, and read_file with the same requestState and a file's id to read its content.`},
		{"retrieval off", "", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			step := tools.NewRunner(&filesService{stored: tt.stored}, fail, tools.Options{}).Collect(context.Background(), []byte(`{}`), "st-9", "https://c", 0)
			var out tools.LinkOutput
			if err := json.Unmarshal(step.Reply.Body, &out); err != nil {
				t.Fatalf("collect_files: %s: %v", step.Reply.Body, err)
			}
			if out.Next != tt.want || out.Status != tools.StatusReady {
				t.Errorf("collect_files next = %q, want %q", out.Next, tt.want)
			}
		})
	}
}
