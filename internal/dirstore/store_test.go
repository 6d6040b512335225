package dirstore_test

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/connector/objectstoretest"
	"github.com/sendsafely/chatbot-connector/internal/dirstore"
)

// serve returns a Store on a new directory whose Presign answers with URLs
// of a small server that serves the named object, as the dev server's
// sealed-token URLs will.
func serve(t *testing.T) (*dirstore.Store, string) {
	t.Helper()
	var st *dirstore.Store
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rc, _, err := st.Open(r.Context(), r.URL.Query().Get("key"), 0)
		if err != nil {
			http.Error(w, "no such object", http.StatusNotFound)
			return
		}
		defer rc.Close()
		_, _ = io.Copy(w, rc)
	}))
	t.Cleanup(srv.Close)
	dir := filepath.Join(t.TempDir(), "files")
	st, err := dirstore.New(dir, dirstore.WithPresigner(func(key string, _ time.Duration) (string, error) {
		return srv.URL + "/?key=" + url.QueryEscape(key), nil
	}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st, dir
}

// TestContract holds the Store to the contract every object store runs.
func TestContract(t *testing.T) {
	st, dir := serve(t)
	objectstoretest.Contract(t, st, nil)

	// What the contract left behind: no write in progress, and nothing
	// anyone but the owner may read.
	if names, err := os.ReadDir(filepath.Join(dir, ".writes")); err != nil || len(names) != 0 {
		t.Errorf(".writes after the contract: got %d entries (%v), want none", len(names), err)
	}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		want := fs.FileMode(0o600)
		if d.IsDir() {
			want = 0o700
		}
		if got := fi.Mode().Perm(); got != want {
			t.Errorf("%s: got mode %v, want %v", strings.TrimPrefix(p, dir), got, want)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestSidecar checks where the metadata lives: a JSON file beside the
// object, which a key cannot name.
func TestSidecar(t *testing.T) {
	st, dir := serve(t)
	ctx := t.Context()
	put(t, st, "p/.staging/a.pdf", "pdf")
	meta := connector.ObjectMeta{ContentType: "application/pdf", Metadata: map[string]string{"file-id": "f-1"}}
	if err := st.Promote(ctx, "p/.staging/a.pdf", "p/a.pdf", meta); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "p", "a.pdf#meta.json"))
	if want := `{"contentType":"application/pdf","metadata":{"file-id":"f-1"}}`; err != nil || string(b) != want {
		t.Errorf("sidecar: got %s (%v), want %s", b, err, want)
	}
	if got := st.Location("p/a.pdf"); got != filepath.Join(dir, "p", "a.pdf") {
		t.Errorf("Location: got %q, want the file's path", got)
	}
	if err := st.Delete(ctx, "p/a.pdf"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "p", "a.pdf#meta.json")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("sidecar after Delete: got %v, want none", err)
	}
}

// TestEscapes checks that no key reaches outside the directory or into
// the store's own files, even through a symbolic link planted inside.
func TestEscapes(t *testing.T) {
	st, dir := serve(t)
	ctx := t.Context()
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "secret"), []byte("secret"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		key  string
		want error
	}{
		{"", connector.ErrInvalid},
		{"/etc/passwd", connector.ErrInvalid},
		{"../outside", connector.ErrInvalid},
		{"a/../../outside", connector.ErrInvalid},
		{"a/./b", connector.ErrInvalid},
		{"a//b", connector.ErrInvalid},
		{"a/", connector.ErrInvalid},
		{"a\x00b", connector.ErrInvalid},
		{`a\..\..\b`, connector.ErrInvalid},
		{"\xff\xfe", connector.ErrInvalid},
		{".writes/x", connector.ErrInvalid},
		{"a/b#meta.json", connector.ErrInvalid},
		{strings.Repeat("a", 1025), connector.ErrInvalid},
		{"link/secret", connector.ErrUnavailable},
	} {
		_, err := st.Stat(ctx, tt.key)
		if !errors.Is(err, tt.want) {
			t.Errorf("Stat %q: got %v, want %v", tt.key, err, tt.want)
		}
		if _, err := st.Begin(ctx, tt.key); !errors.Is(err, connector.ErrInvalid) && tt.want == connector.ErrInvalid {
			t.Errorf("Begin %q: got %v, want ErrInvalid", tt.key, err)
		}
		_, _, err = st.Open(ctx, tt.key, 0)
		if !errors.Is(err, tt.want) {
			t.Errorf("Open %q: got %v, want %v", tt.key, err, tt.want)
		}
		if err := st.Delete(ctx, tt.key); err == nil && tt.want == connector.ErrInvalid {
			t.Errorf("Delete %q: got nil, want ErrInvalid", tt.key)
		}
	}
	// A staging object promoted through the link stays inside.
	put(t, st, "s/file", "x")
	if err := st.Promote(ctx, "s/file", "link/secret", connector.ObjectMeta{}); err == nil {
		t.Error("Promote through a link out of the directory: got nil, want an error")
	}
	if b, _ := os.ReadFile(filepath.Join(outside, "secret")); string(b) != "secret" {
		t.Errorf("file outside the directory: got %q, want it untouched", b)
	}
	// A write id is a name too.
	for _, id := range []string{"../../x", "..", strings.Repeat("A", 32)} {
		if err := st.Finish(ctx, "k", id, []connector.ObjectPart{{Number: 1, ETag: strings.Repeat("0", 32)}}); !errors.Is(err, connector.ErrNotFound) {
			t.Errorf("Finish of write %q: got %v, want ErrNotFound", id, err)
		}
	}
}

// TestErrorTextsNameNoFile checks that an error of the file system does
// not carry the path, which holds a file name.
func TestErrorTextsNameNoFile(t *testing.T) {
	st, dir := serve(t)
	const key = "p/private-name.pdf"
	// A directory (not empty) where the object goes: the rename fails.
	if err := os.MkdirAll(filepath.Join(dir, "p", "private-name.pdf", "x"), 0o700); err != nil {
		t.Fatal(err)
	}
	id, err := st.Begin(t.Context(), key)
	if err != nil {
		t.Fatal(err)
	}
	p, err := st.WritePart(t.Context(), key, id, 1, strings.NewReader("x"), 1)
	if err != nil {
		t.Fatal(err)
	}
	err = st.Finish(t.Context(), key, id, []connector.ObjectPart{p})
	if !errors.Is(err, connector.ErrUnavailable) || strings.Contains(err.Error(), "private-name") {
		t.Errorf("Finish onto a directory: got %v, want ErrUnavailable naming no file", err)
	}
}

// TestPresignWithoutServer: a directory cannot serve itself.
func TestPresignWithoutServer(t *testing.T) {
	st, err := dirstore.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Presign(t.Context(), "a", time.Minute); !errors.Is(err, connector.ErrUnavailable) {
		t.Errorf("Presign: got %v, want ErrUnavailable", err)
	}
}

// TestShortPart: r holding fewer or more bytes than said is refused, and
// the part is absent.
func TestShortPart(t *testing.T) {
	st, _ := serve(t)
	id, err := st.Begin(t.Context(), "k")
	if err != nil {
		t.Fatal(err)
	}
	for _, body := range []string{"abc", "abcdefgh"} {
		if _, err := st.WritePart(t.Context(), "k", id, 1, strings.NewReader(body), 5); !errors.Is(err, connector.ErrInvalid) {
			t.Errorf("WritePart of %d bytes said to be 5: got %v, want ErrInvalid", len(body), err)
		}
	}
}

func put(t *testing.T, st *dirstore.Store, key, body string) {
	t.Helper()
	id, err := st.Begin(t.Context(), key)
	if err != nil {
		t.Fatal(err)
	}
	p, err := st.WritePart(t.Context(), key, id, 1, bytes.NewReader([]byte(body)), int64(len(body)))
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Finish(t.Context(), key, id, []connector.ObjectPart{p}); err != nil {
		t.Fatal(err)
	}
}
