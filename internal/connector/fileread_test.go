package connector_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/wiring/connectortest"
)

// textRenderer renders text/* and application/octet-stream as text, paged
// by characters, and image/png as a fake image; other types are
// unsupported. It records the last request.
type textRenderer struct{ last connector.ContentRequest }

func (r *textRenderer) Render(ctx context.Context, req connector.ContentRequest) (connector.Content, error) {
	r.last = req
	if req.Type == "application/pdf" {
		return connector.Content{}, fmt.Errorf("pdf off here: %w", connector.ErrUnsupported)
	}
	rc, err := req.Open(ctx, 0)
	if err != nil {
		return connector.Content{}, err
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		return connector.Content{}, err
	}
	if strings.HasPrefix(req.Type, "image/") {
		c := connector.Content{Width: 2, Height: 1, SourceWidth: 2, SourceHeight: 1, ImageType: "image/png"}
		if req.Images {
			c.Image = b
		}
		return c, nil
	}
	rs := []rune(string(b))
	end := min(len(rs), req.Offset+req.MaxChars)
	c := connector.Content{Text: string(rs[min(req.Offset, end):end]), Offset: req.Offset, TotalChars: len(rs)}
	if end < len(rs) {
		c.NextOffset = end
	}
	return c, nil
}

// readEnv is a stored package of three files, read through a service
// with the object store and a test renderer.
func readEnv(t *testing.T) (*filesEnv, *connector.Service, *textRenderer) {
	t.Helper()
	e := newFilesEnv(t, []fileSpec{
		{"F1", "notes.txt", [][]byte{[]byte("hello, world")}},
		{"F2", "photo.png", [][]byte{blob(pngHead, 300, 'b')}},
		{"F3", "statement.pdf", [][]byte{blob(pdfHead, 300, 'a')}},
	})
	e.drain(t, 1)
	r := &textRenderer{}
	deps := e.Deps(connectortest.SequentialIDs())
	deps.SendSafely, deps.Objects, deps.Renderer = e.pkgs, e.objs, r
	svc, err := connector.New(connectortest.Settings(), deps)
	if err != nil {
		t.Fatal(err)
	}
	return e, svc, r
}

func TestReadFile(t *testing.T) {
	e, svc, r := readEnv(t)
	ctx := t.Context()
	who := connector.FilesRequest{UploadID: e.uploadID, Email: connectortest.FixtureEmail}
	tests := []struct {
		name     string
		req      connector.ReadRequest
		err      error
		refused  string
		text     string
		next     int
		image    bool
		unrender string
	}{
		{name: "text", req: connector.ReadRequest{FilesRequest: who, FileID: "F1"}, text: "hello, world"},
		{name: "paged", req: connector.ReadRequest{FilesRequest: who, FileID: "F1", Offset: 2, MaxChars: 3}, text: "llo", next: 5},
		{name: "image", req: connector.ReadRequest{FilesRequest: who, FileID: "F2", Images: true}, image: true},
		{name: "image described", req: connector.ReadRequest{FilesRequest: who, FileID: "F2"}},
		{name: "unsupported", req: connector.ReadRequest{FilesRequest: who, FileID: "F3"},
			unrender: "this type of file is not shown as text or image; use the download link"},
		{name: "unknown file", req: connector.ReadRequest{FilesRequest: who, FileID: "F9"},
			refused: "no file with that id in this upload; list_files names them"},
		{name: "wrong email", req: connector.ReadRequest{FilesRequest: connector.FilesRequest{UploadID: e.uploadID,
			Email: "other@example.com"}, FileID: "F1"}, err: connector.ErrNotFound},
		{name: "unknown upload", req: connector.ReadRequest{FilesRequest: connector.FilesRequest{
			UploadID: "00000000-0000-4000-8000-000000000999", Email: connectortest.FixtureEmail}, FileID: "F1"}, err: connector.ErrNotFound},
		{name: "no file id", req: connector.ReadRequest{FilesRequest: who}, err: connector.ErrInvalid},
		{name: "maxChars over the limit", req: connector.ReadRequest{FilesRequest: who, FileID: "F1", MaxChars: 100_001}, err: connector.ErrInvalid},
		{name: "negative offset", req: connector.ReadRequest{FilesRequest: who, FileID: "F1", Offset: -1}, err: connector.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := svc.ReadFile(ctx, tt.req)
			if !errors.Is(err, tt.err) || (tt.err == nil) != (err == nil) {
				t.Fatalf("ReadFile: got error %v, want %v", err, tt.err)
			}
			if err != nil {
				return
			}
			if got.Refused != tt.refused || got.Unrendered != tt.unrender {
				t.Errorf("got refused %q, unrendered %q; want %q, %q", got.Refused, got.Unrendered, tt.refused, tt.unrender)
			}
			if tt.refused != "" {
				if got.Link != "" {
					t.Errorf("a refused read gave a link")
				}
				return
			}
			if got.Content.Text != tt.text || got.Content.NextOffset != tt.next || (got.Content.Image != nil) != tt.image {
				t.Errorf("got text %q next %d image %d bytes; want %q, %d, image %v", got.Content.Text,
					got.Content.NextOffset, len(got.Content.Image), tt.text, tt.next, tt.image)
			}
			if !strings.HasPrefix(string(got.Link), "mem://uploads/") || !got.LinkExpires.Equal(e.Clock.Now().Add(connector.DownloadTTL)) {
				t.Errorf("got link %q until %v, want a mem:// link for 5 minutes", got.Link, got.LinkExpires)
			}
			if tt.req.MaxChars == 0 && r.last.MaxChars != connector.DefaultReadChars {
				t.Errorf("renderer asked for %d characters, want the default %d", r.last.MaxChars, connector.DefaultReadChars)
			}
		})
	}
}

func TestReadFileRefusesFilesNotReady(t *testing.T) {
	e, svc, _ := readEnv(t)
	ctx := t.Context()
	stored := e.files(t)
	tests := []struct {
		name string
		set  func(f *connector.File)
		want string
	}{
		{"not stored yet", func(f *connector.File) { f.Stored, f.Location = connector.StoredPending, "" }, "not stored yet"},
		{"rejected", func(f *connector.File) { f.Status, f.Reason = connector.FileRejected, connector.ReasonContent }, "rejected"},
		{"threat", func(f *connector.File) { f.Scan = connector.ScanThreat }, "threat found"},
		{"scan pending", func(f *connector.File) { f.Scan = connector.ScanPending }, "malware scan pending"},
		{"clean", func(f *connector.File) { f.Scan = connector.ScanClean }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := append([]connector.File(nil), stored...)
			tt.set(&files[0])
			if err := connector.SetFiles(ctx, svc, e.uploadID, filesPackage, files); err != nil {
				t.Fatal(err)
			}
			got, err := svc.ReadFile(ctx, connector.ReadRequest{FilesRequest: connector.FilesRequest{UploadID: e.uploadID,
				Email: connectortest.FixtureEmail}, FileID: "F1"})
			if err != nil {
				t.Fatal(err)
			}
			if got.Refused != tt.want || (tt.want == "") != (got.Content.Text == "hello, world") {
				t.Errorf("got refused %q text %q, want refused %q", got.Refused, got.Content.Text, tt.want)
			}
			list, err := svc.ListFiles(ctx, connector.FilesRequest{UploadID: e.uploadID, Email: connectortest.FixtureEmail})
			if err != nil {
				t.Fatal(err)
			}
			if ok, why := list.Files[0].Ready(); ok != (tt.want == "") || why != tt.want {
				t.Errorf("list_files: file ready %v %q, want %q", ok, why, tt.want)
			}
		})
	}
}

func TestListFilesAccess(t *testing.T) {
	e, svc, _ := readEnv(t)
	_, err := svc.ListFiles(t.Context(), connector.FilesRequest{UploadID: e.uploadID, Email: "Other@Example.com"})
	if !errors.Is(err, connector.ErrNotFound) {
		t.Fatalf("wrong email: got %v, want NotFound", err)
	}
	got, err := svc.ListFiles(t.Context(), connector.FilesRequest{UploadID: e.uploadID, Email: " " + connectortest.FixtureEmail + " "})
	if err != nil || !got.Ready || len(got.Files) != 3 || got.Files[0].Stored != connector.StoredDone {
		t.Fatalf("got %+v, %v; want Ready with three stored files", got, err)
	}
}
