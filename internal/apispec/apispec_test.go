package apispec_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sendsafely/chatbot-connector/internal/apispec"
)

// source returns docs/openapi.yaml as committed.
func source(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", filepath.FromSlash(apispec.Path)))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// forms are the document's forms the tests check: as written, and each
// one derived from it.
var forms = []struct {
	name    string
	derive  func([]byte) ([]byte, error)
	version string // the openapi field of the result
	schema  string // openapi-spec-validator's --schema
}{
	{"as written", func(b []byte) ([]byte, error) { return b, nil }, "3.1.0", "3.1"},
	{"3.0.3", apispec.As30, "3.0.3", "3.0"},
}

// TestLoad holds every form to kin-openapi's rules for its version,
// examples included. For the 3.0.3 form those rules reject the 3.1-only
// forms (type arrays, numeric exclusive bounds, 3.1 keywords), so this is
// what keeps the source within the part the two versions share.
func TestLoad(t *testing.T) {
	src := source(t)
	for _, f := range forms {
		t.Run(f.name, func(t *testing.T) {
			b, err := f.derive(src)
			if err != nil {
				t.Fatal(err)
			}
			doc, err := apispec.Load(context.Background(), b)
			if err != nil {
				t.Fatal(err)
			}
			if doc.OpenAPI != f.version {
				t.Errorf("openapi: got %q, want %q", doc.OpenAPI, f.version)
			}
		})
	}
}

func TestAs30(t *testing.T) {
	for _, tt := range []struct {
		name, in, want, err string
	}{
		{"3.1.0", "# c\nopenapi: 3.1.0\ninfo: {}\n", "# c\nopenapi: 3.0.3\ninfo: {}\n", ""},
		{"quoted 3.1.1", "openapi: '3.1.1'\n", "openapi: 3.0.3\n", ""},
		{"already 3.0", "openapi: 3.0.3\n", "", "found 0"},
		{"no version", "info: {}\n", "", "found 0"},
		{"nested, not the document's", "info:\n  openapi: 3.1.0\n", "", "found 0"},
		{"twice", "openapi: 3.1.0\nopenapi: 3.1.0\n", "", "found 2"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := apispec.As30([]byte(tt.in))
			switch {
			case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
				t.Fatalf("error: got %v, want one containing %q", err, tt.err)
			case tt.err == "" && err != nil:
				t.Fatal(err)
			case string(got) != tt.want:
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
