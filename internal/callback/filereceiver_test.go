package callback_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/sendsafely/chatbot-connector/internal/callback"
	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/nodetest"
)

// nodeFilePost is what filereceiver.mjs prints for a post.
type nodeFilePost struct {
	Listening string
	Library   bool
	Raw       bool
	ID        string
	Length    int
	Fields    map[string]string
	File      *struct {
		Field, Name, Type, Sha256 string
		Size                      int
	}
	Error string
}

// TestFileReceiverInNode posts files with FileClient to a receiver in
// Node.js that reads them with busboy and checks the signature, both
// nobody here wrote: every post's fields and content arrive byte for byte
// (0 bytes, 1 byte, 30 MB), the signature over the raw body verifies as
// the Standard Webhooks specification defines it, the reference library
// agrees for text bodies (it decodes a body as UTF-8 first, so it cannot
// verify a binary file: the test records that), and a post signed with
// another secret is refused.
func TestFileReceiverInNode(t *testing.T) {
	node := nodetest.Need(t, verifierDir, "callback-verifier", "standardwebhooks", "busboy")
	secret, err := callback.NewSecret()
	if err != nil {
		t.Fatal(err)
	}
	read := startNodeReceiver(t, node, "filereceiver.mjs", secret)
	next := func() nodeFilePost {
		t.Helper()
		var l nodeFilePost
		read(&l)
		return l
	}
	url := next().Listening
	// Real time: the receiver checks the timestamp against its own clock.
	c, err := callback.NewFile(url, callback.Options{AllowLoopbackHTTP: true})
	if err != nil {
		t.Fatal(err)
	}
	text30 := bytes.Repeat([]byte("a line of a customer's log, ünïcode €\n"), 30_000_000/40)
	binary30 := make([]byte, 30_000_000)
	for i := range binary30 {
		binary30[i] = byte(i*7 + i>>11)
	}
	for _, tc := range []struct {
		name, file string
		content    []byte
		text       bool // valid UTF-8: the reference library can verify it
	}{
		{"0 bytes", "empty.txt", nil, true},
		{"1 byte", "one.txt", []byte("x"), true},
		{"1 binary byte", "one.bin", []byte{0xff}, false},
		{"30 MB of text", "log.txt", text30, true},
		{"30 MB binary", "scan.pdf", binary30, false},
		{"a name that is not ASCII", "relevé \"mai\" 2026.pdf", []byte("%PDF-1.7\n"), true},
		{"an ASCII name with quotes", "say \"hi\".txt", []byte("hi"), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := filePost(tc.file, tc.content)
			p.Type = "application/octet-stream"
			got, err := c.SendFile(t.Context(), p, secret)
			l := next()
			if err != nil {
				t.Fatalf("SendFile: %v (the receiver printed %+v)", err, l)
			}
			if want := (connector.FileCallback{UID: "U-F1", URL: "https://files.example/U-F1"}); got != want {
				t.Errorf("answer %+v, want %+v", got, want)
			}
			if !l.Raw {
				t.Errorf("the signature over the raw body does not verify")
			}
			if l.Library != tc.text {
				t.Errorf("the reference library verified: %v, want %v (it verifies valid UTF-8 bodies only)", l.Library, tc.text)
			}
			s := sha256.Sum256(tc.content)
			if l.File == nil || l.File.Field != "file" || l.File.Name != wantName(tc.file) ||
				l.File.Type != "application/octet-stream" || l.File.Size != len(tc.content) || l.File.Sha256 != hex.EncodeToString(s[:]) {
				t.Errorf("file as busboy read it: %+v (error %q), want %d bytes with sha256 %x", l.File, l.Error, len(tc.content), s)
			}
			want := map[string]string{"chatID": "conv-1", "packageId": "PKG-1", "fileId": "F1", "sha256": hex.EncodeToString(s[:])}
			if len(l.Fields) != len(want) {
				t.Errorf("fields %v, want %v", l.Fields, want)
			}
			for k, v := range want {
				if l.Fields[k] != v {
					t.Errorf("field %s = %q, want %q", k, l.Fields[k], v)
				}
			}
		})
	}
	other, err := callback.NewSecret()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.SendFile(t.Context(), filePost("a.txt", []byte("hello")), other); err == nil {
		t.Error("signed with another secret: the receiver took it")
	}
	if l := next(); l.Raw || l.Library {
		t.Errorf("signed with another secret: verified (raw %v, library %v)", l.Raw, l.Library)
	}
}

// wantName is the name busboy reads: a name that is not ASCII whole (from
// filename*), an ASCII one with its quotes as browsers write them, %22.
func wantName(name string) string {
	for _, r := range name {
		if r >= 0x80 {
			return name
		}
	}
	return strings.ReplaceAll(name, `"`, "%22")
}
