package main

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/sendsafely/chatbot-connector/internal/callback"
	"github.com/sendsafely/chatbot-connector/internal/doccheck"
	"github.com/sendsafely/chatbot-connector/internal/nodetest"
)

// fileReceiverDoc is the page whose "## A receiver" section holds the
// Node.js file callback receiver.
const fileReceiverDoc = "../../docs/files-callback.md"

// docFileReceiver returns the js block of docs/files-callback.md's
// "## A receiver" that names file-receiver.mjs, as written.
func docFileReceiver(t *testing.T) string {
	t.Helper()
	doc, err := doccheck.Read(fileReceiverDoc)
	if err != nil {
		t.Fatal(err)
	}
	section, ok := doc.Section("## A receiver")
	if !ok {
		t.Fatalf("%s has no A receiver section", fileReceiverDoc)
	}
	for _, b := range section.Blocks("js") {
		if strings.Contains(b.Code, "file-receiver.mjs") {
			return b.Code
		}
	}
	t.Fatalf("the A receiver section of %s has no js block naming file-receiver.mjs", fileReceiverDoc)
	return ""
}

// TestDocFileReceiver runs docs/files-callback.md's receiver, as written
// (busboy, node:crypto), against make run's configuration with
// FILE_CALLBACK_URL pointing at it: a text file and a binary one uploaded
// through the page's picker reach it signed and whole, its answer shows
// as each file's Callback in getLink, and it prints no file name.
func TestDocFileReceiver(t *testing.T) {
	node := nodetest.Need(t, verifierDir, "callback-verifier", "busboy")
	modules, _ := filepath.Abs(filepath.Join(verifierDir, "node_modules"))
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "file-receiver.mjs"), []byte(docFileReceiver(t)), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(modules, filepath.Join(dir, "node_modules")); err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	secret, err := callback.NewSecret()
	if err != nil {
		t.Fatal(err)
	}
	out := &syncBuffer{}
	cmd := exec.Command(node, "file-receiver.mjs")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CALLBACK_SECRET="+string(secret), "PORT="+strconv.Itoa(port))
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	waitFor(t, "the receiver to listen", func() bool {
		c, err := net.Dial("tcp", "127.0.0.1:"+strconv.Itoa(port))
		if err == nil {
			c.Close()
		}
		return err == nil
	}, out)

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
