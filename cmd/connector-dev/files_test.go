package main

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// makePackageWithFiles posts files (name → content) to the page's package
// endpoint as the page's file picker does, as multipart/form-data.
func (d *dev) makePackageWithFiles(t *testing.T, uploadID string, files map[string][]byte) (packageID, packageCode, link string) {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	_ = w.WriteField("name", uploadID)
	_ = w.WriteField("email", testEmail)
	for name, content := range files {
		fw, err := w.CreateFormFile("files", name)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(content)
	}
	w.Close()
	st, m, _ := post(t, d.pageURL+packagePath, w.FormDataContentType(), body.String(), nil)
	if st != http.StatusOK || m["success"] != "true" {
		t.Fatalf("make package: %d %v", st, m)
	}
	return m["packageId"].(string), m["packageCode"].(string), m["secureLink"].(string)
}

// TestMakeRunRetrieves: in the configuration make run starts (verified
// mode, the embedded backend), an upload made through the page's file
// picker is retrieved from the SendSafely stand-in (its real encrypted
// parts), decrypted and written under the data folder's files directory
// at <conversation>/<packageId>/<name>, and getLink shows each file
// stored with its location and sha256, and readFile reads a text file
// back.
func TestMakeRunRetrieves(t *testing.T) {
	data := t.TempDir()
	d := startDevVerified(t, data, nil)
	big := make([]byte, 3_000_000) // more than one 2.5 MiB part
	rand.Read(big)
	files := map[string][]byte{"note.txt": []byte("hello, files\n"), "scan.bin": big, "empty.txt": {}}
	id, _ := d.generateID(t)
	pkg, code, link := d.makePackageWithFiles(t, id, files)
	if st := d.notifyAsPage(t, id, pkg, code, link); st != http.StatusOK {
		t.Fatalf("webhook: %d, want 200", st)
	}
	var got []any
	for range 300 {
		m := d.getLink(t, id)
		got, _ = m["Files"].([]any)
		if allStored(got) && len(got) == len(files) {
			break
		}
		time.Sleep(100 * time.Millisecond) // polling, as a chatbot does; nothing is timed
	}
	if !allStored(got) || len(got) != len(files) {
		t.Fatalf("getLink's Files %v, want %d files stored\nlogs:\n%s", got, len(files), d.logs.String())
	}
	for _, e := range got {
		f := e.(map[string]any)
		name := f["Name"].(string)
		want := sha256.Sum256(files[name])
		path := filepath.Join(data, filesDirName, "uploads", "_unassigned", pkg, name)
		b, err := os.ReadFile(path)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if sum := sha256.Sum256(b); sum != want {
			t.Errorf("%s on disk: sha256 %x, want %x", name, sum, want)
		}
		if f["Sha256"] != hex.EncodeToString(want[:]) {
			t.Errorf("%s: Sha256 %v, want %x", name, f["Sha256"], want)
		}
		if f["Location"] != path {
			t.Errorf("%s: Location %v, want %s", name, f["Location"], path)
		}
		if name != "note.txt" {
			continue
		}
		// The chatbot action readFile reads it back from the directory.
		st, m := d.chat(t, `{"action":"readFile","uploadId":"`+id+`","email":"`+testEmail+`","fileId":"`+f["Id"].(string)+`"}`)
		if st != http.StatusOK || m["readable"] != true || m["text"] != "hello, files\n" {
			t.Errorf("readFile of %s: %d %v, want its text", name, st, m)
		}
	}
}

// allStored reports whether every entry of a manifest is stored.
func allStored(files []any) bool {
	for _, e := range files {
		if f, _ := e.(map[string]any); f["Stored"] != "stored" {
			return false
		}
	}
	return len(files) > 0
}
