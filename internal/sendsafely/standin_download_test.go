package sendsafely_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"testing"
	"time"

	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/sendsafely"
	"github.com/sendsafely/chatbot-connector/internal/sendsafely/sendsafelytest"
)

// Our Download and the stand-in's download-urls and part encryption were
// written apart, each from SendSafely's clients; this holds them to each
// other: what the stand-in encrypted as the browser uploader does comes
// back byte for byte, and its fault switches reach our client as the
// errors the port names.
func TestDownloadFromStandIn(t *testing.T) {
	for _, tt := range []struct {
		name  string
		size  int
		fault func(s *sendsafelytest.Server, fileID string)
		want  error
	}{
		{name: "0 bytes", size: 0},
		{name: "1 byte", size: 1},
		{name: "first part exactly", size: 655360},
		{name: "three parts", size: 655360 + 2621440 + 1},
		{name: "part URLs fail twice", size: 655360 + 1, fault: func(s *sendsafelytest.Server, _ string) { s.FailPartGets(2) }},
		{name: "a flipped byte", size: 655360 + 1, fault: func(s *sendsafelytest.Server, id string) { s.CorruptPart(id, 2, true) }, want: connector.ErrCorrupt},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, sendsafely.WithSleep(func(ctx context.Context, _ time.Duration) error { return ctx.Err() }))
			p := f.s.CreatePackage("upload-1", "who@example.com")
			content := bytes.Repeat([]byte("chatbot-connector "), tt.size/18+1)[:tt.size]
			file, err := f.s.AddFile(p.ID, "statement.pdf", content)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.s.Finalize(p.ID); err != nil {
				t.Fatal(err)
			}
			if tt.fault != nil {
				tt.fault(f.s, file.ID)
			}
			ref := connector.FileRef{PackageID: p.ID, FileID: file.ID, PackageCode: connector.Secret(p.Code), KeyCode: connector.Secret(p.KeyCode), ServerSecret: connector.Secret(p.ServerSecret)}
			h := sha256.New()
			n, err := f.c.Download(t.Context(), f.key, ref, 1, file.Parts, h)
			if tt.want != nil {
				if !errors.Is(err, tt.want) {
					t.Fatalf("Download: got %v, want %v", err, tt.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := sha256.Sum256(content)
			if n != int64(len(content)) || !bytes.Equal(h.Sum(nil), want[:]) {
				t.Errorf("got %d bytes, sha256 %x; want %d bytes, %x", n, h.Sum(nil), len(content), want)
			}
		})
	}
}
