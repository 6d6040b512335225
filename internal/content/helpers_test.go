package content_test

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/content"
)

// request returns a ContentRequest reading b, as a store would.
func request(typ string, b []byte) connector.ContentRequest {
	return connector.ContentRequest{
		Type: typ,
		Size: int64(len(b)),
		Open: func(_ context.Context, off int64) (io.ReadCloser, error) {
			return io.NopCloser(bytes.NewReader(b[off:])), nil
		},
		MaxChars: 20000,
	}
}

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func render(t testing.TB, req connector.ContentRequest) (connector.Content, error) {
	t.Helper()
	return content.New(content.Limits{}).Render(context.Background(), req)
}
