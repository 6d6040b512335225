package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/fakeclock"
)

// storedUpload makes an upload with files through the page's file
// picker, notifies, and waits until retrieval stored every file; it
// returns the upload id and the file ids by name.
func (d *dev) storedUpload(t *testing.T, files map[string][]byte) (string, map[string]string) {
	t.Helper()
	id, _ := d.generateID(t)
	pkg, code, link := d.makePackageWithFiles(t, id, files)
	if st := d.notifyAsPage(t, id, pkg, code, link); st != http.StatusOK {
		t.Fatalf("webhook: %d, want 200", st)
	}
	var got []any
	for range 300 {
		got, _ = d.getLink(t, id)["Files"].([]any)
		if allStored(got) && len(got) == len(files) {
			break
		}
		time.Sleep(100 * time.Millisecond) // polling, as a chatbot does; nothing is timed
	}
	if !allStored(got) || len(got) != len(files) {
		t.Fatalf("getLink's Files %v, want %d files stored\nlogs:\n%s", got, len(files), d.logs.String())
	}
	ids := map[string]string{}
	for _, e := range got {
		f := e.(map[string]any)
		ids[f["Name"].(string)] = f["Id"].(string)
	}
	return id, ids
}

// download GETs rawURL and returns the status, the body and the headers.
func download(t *testing.T, rawURL string) (int, []byte, http.Header) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, b, resp.Header
}

// TestReadFileDownloadLink: locally read_file's link is the dev server's
// sealed-token URL; a plain GET gives the stored bytes with their type as
// an attachment, through the chatbot action and the tool alike, until the
// link expires (410); a token altered in any way, or made by another run,
// is 404; neither answer says more.
func TestReadFileDownloadLink(t *testing.T) {
	clock := fakeclock.New(time.Now())
	d := startDevWith(t, serveOptions{backend: backendEmbedded, data: t.TempDir(), verified: true, now: clock.Now}, nil)
	note := []byte("hello, files\nsecond line\n")
	bin := bytes.Repeat([]byte{0, 1, 2, 0xff}, 5000)
	id, ids := d.storedUpload(t, map[string][]byte{"note.txt": note, "data.bin": bin})

	reads := []struct {
		name, file, url, body string
		want                  []byte
		wantType              string
	}{
		{name: "readFile action", file: "note.txt", url: d.connectorURL + "/", want: note, wantType: "text/plain",
			body: `{"action":"readFile","uploadId":"` + id + `","email":"` + testEmail + `","fileId":"` + ids["note.txt"] + `"}`},
		{name: "read_file tool", file: "data.bin", url: d.connectorURL + "/tools/read_file", want: bin, wantType: "application/octet-stream",
			body: `{"uploadId":"` + id + `","email":"` + testEmail + `","fileId":"` + ids["data.bin"] + `"}`},
	}
	links := map[string]string{}
	for _, tt := range reads {
		t.Run(tt.name, func(t *testing.T) {
			st, m, _ := post(t, tt.url, "application/json", tt.body, nil)
			u, _ := m["downloadUrl"].(string)
			if st != http.StatusOK || !strings.HasPrefix(u, d.connectorURL+filesPath) {
				t.Fatalf("read: %d %v, want a downloadUrl under %s%s", st, m, d.connectorURL, filesPath)
			}
			if strings.Contains(u, tt.file) || strings.Contains(u, id) {
				t.Errorf("downloadUrl %s shows the file name or upload id", u)
			}
			st, b, h := download(t, u)
			if st != http.StatusOK || !bytes.Equal(b, tt.want) {
				t.Fatalf("GET downloadUrl: %d, %d bytes, want 200 and the %d bytes stored", st, len(b), len(tt.want))
			}
			if got := h.Get("Content-Type"); !strings.HasPrefix(got, tt.wantType) {
				t.Errorf("Content-Type %q, want %s", got, tt.wantType)
			}
			if got, want := h.Get("Content-Disposition"), `attachment; filename=`+tt.file; got != want {
				t.Errorf("Content-Disposition %q, want %q", got, want)
			}
			if got := h.Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("X-Content-Type-Options %q, want nosniff", got)
			}
			links[tt.file] = u
		})
	}
	link := links["note.txt"]
	if link == "" {
		t.Fatal("no link to go on with")
	}
	token := strings.TrimPrefix(link, d.connectorURL+filesPath)
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil {
		t.Fatalf("token is not base64url: %v", err)
	}
	other, err := newFileLinks(d.connectorURL, clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	foreign, _ := other.presign("uploads/_unassigned/x/note.txt", connector.DownloadTTL)
	flip := func(i int) string {
		b := bytes.Clone(raw)
		b[i] ^= 1
		return d.connectorURL + filesPath + base64.RawURLEncoding.EncodeToString(b)
	}
	for _, tt := range []struct {
		name, url string
		want      int
	}{
		{"a byte of the version altered", flip(0), http.StatusNotFound},
		{"a byte of the nonce altered", flip(3), http.StatusNotFound},
		{"a byte of the sealed claims altered", flip(len(raw) / 2), http.StatusNotFound},
		{"the tag altered", flip(len(raw) - 1), http.StatusNotFound},
		{"cut short", d.connectorURL + filesPath + base64.RawURLEncoding.EncodeToString(raw[:len(raw)-4]), http.StatusNotFound},
		{"not base64", d.connectorURL + filesPath + "!!" + token, http.StatusNotFound},
		{"made by another run", foreign, http.StatusNotFound},
		{"no token", d.connectorURL + filesPath, http.StatusNotFound},
	} {
		t.Run(tt.name, func(t *testing.T) {
			st, b, _ := download(t, tt.url)
			if st != tt.want {
				t.Errorf("GET: %d, want %d", st, tt.want)
			}
			if bytes.Contains(b, note) || bytes.Contains(b, []byte("note.txt")) {
				t.Errorf("answer %q shows the file", b)
			}
		})
	}

	// Still good just before the 5 minutes are up; gone after, with no
	// detail.
	clock.Advance(connector.DownloadTTL - time.Second)
	if st, b, _ := download(t, link); st != http.StatusOK || !bytes.Equal(b, note) {
		t.Errorf("GET 1 s before expiry: %d %q, want 200 and the file", st, b)
	}
	clock.Advance(time.Second)
	st, b, _ := download(t, link)
	if st != http.StatusGone || bytes.Contains(b, note) {
		t.Errorf("GET at expiry: %d %q, want 410 and no content", st, b)
	}
	if got := strings.TrimSpace(string(b)); got != http.StatusText(http.StatusGone) {
		t.Errorf("expired answer %q, want only %q", got, http.StatusText(http.StatusGone))
	}
}
