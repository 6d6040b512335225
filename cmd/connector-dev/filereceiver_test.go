package main

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sendsafely/chatbot-connector/internal/callback"
	"github.com/sendsafely/chatbot-connector/internal/nodetest"
)

// fileReceiverDoc is the page whose "## A receiver" section holds the
// Node.js file callback receiver.
const fileReceiverDoc = "../../docs/files-callback.md"

// docFileReceiver returns the js block of docs/files-callback.md's
// "## A receiver" that names file-receiver.mjs, as written.
func docFileReceiver(t *testing.T) string {
	t.Helper()
	return docScript(t, fileReceiverDoc, "## A receiver", "file-receiver.mjs")
}

// TestDocFileReceiver runs docs/files-callback.md's receiver, as written
// (busboy, node:crypto), against make run's configuration with
// FILE_CALLBACK_URL pointing at it: a text file and a binary one uploaded
// through the page's picker reach it signed and whole, its answer shows
// as each file's Callback in getLink, and it prints no file name.
func TestDocFileReceiver(t *testing.T) {
	node := nodetest.Need(t, verifierDir, "callback-verifier", "busboy")
	secret, err := callback.NewSecret()
	if err != nil {
		t.Fatal(err)
	}
	port, out := startDocReceiver(t, node, "file-receiver.mjs", docFileReceiver(t), secret)

	data := t.TempDir()
	if err := os.WriteFile(filepath.Join(data, callbackSecretFile), []byte(string(secret)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	d := startDevVerified(t, data, map[string]string{"FILE_CALLBACK_URL": fmt.Sprintf("http://127.0.0.1:%d/files", port)})
	scan := make([]byte, 3_000_000)
	rand.Read(scan)
	files := map[string][]byte{"confidential-note.txt": []byte("hello, files\n"), "confidential-scan.bin": scan}
	id, _ := d.generateID(t)
	pkg, code, link := d.makePackageWithFiles(t, id, files)
	if st := d.notifyAsPage(t, id, pkg, code, link); st != http.StatusOK {
		t.Fatalf("webhook: %d, want 200", st)
	}
	waitFor(t, "the receiver to take both files", func() bool { return strings.Count(out.String(), `file {`) == 2 }, out)
	d.backend.events.wait()

	m := d.getLink(t, id)
	got, _ := m["Files"].([]any)
	if len(got) != 2 {
		t.Fatalf("getLink's Files %v, want 2", got)
	}
	for _, e := range got {
		f := e.(map[string]any)
		cb, _ := f["Callback"].(map[string]any)
		uid, _ := cb["Uid"].(string)
		if uid == "" || cb["Url"] != "https://files.example.com/"+uid {
			t.Errorf("%s: Callback %v, want the receiver's uid and url", f["Name"], cb)
		}
		size := len(files[f["Name"].(string)])
		if !strings.Contains(out.String(), fmt.Sprintf(`"fileId":"%s","size":%d`, f["Id"], size)) {
			t.Errorf("%s: the receiver did not print it with its %d bytes:\n%s", f["Name"], size, out.String())
		}
		s := sha256.Sum256(files[f["Name"].(string)])
		if f["Sha256"] != hex.EncodeToString(s[:]) {
			t.Errorf("%s: Sha256 %v", f["Name"], f["Sha256"])
		}
	}
	if strings.Contains(out.String(), "confidential") {
		t.Errorf("the receiver printed a file name:\n%s", out.String())
	}
	if !strings.Contains(d.logs.String(), `"filesSent":2`) {
		t.Errorf("the connector's log has no file callback of 2 files sent:\n%s", d.logs.String())
	}
}
