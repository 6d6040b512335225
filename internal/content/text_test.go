package content_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

func TestRenderText(t *testing.T) {
	for _, tt := range []struct {
		name, typ, body  string
		offset, maxChars int
		want             string
		next, total      int
	}{
		{"plain", "text/plain", "héllo wörld", 0, 100, "héllo wörld", 0, 11},
		{"csv", "text/csv; charset=utf-8", "a,b\n1,2\n", 0, 100, "a,b\n1,2\n", 0, 8},
		{"json", "application/json", `{"a":"ü"}`, 0, 100, `{"a":"ü"}`, 0, 9},
		{"yaml", "application/yaml", "k: v\n", 0, 100, "k: v\n", 0, 5},
		{"xml suffix", "application/atom+xml", "<a/>", 0, 100, "<a/>", 0, 4},
		{"invalid utf-8", "text/plain", "ok\xff\xfeend", 0, 100, "ok\uFFFD\uFFFDend", 0, 7},
		{"bom dropped", "text/plain", "\uFEFFabc", 0, 100, "abc", 0, 3},
		{"first page", "text/plain", "abcdefghij", 0, 4, "abcd", 4, -1},
		{"middle page", "text/plain", "abcdefghij", 4, 4, "efgh", 8, -1},
		{"last page exactly", "text/plain", "abcdefghij", 6, 4, "ghij", 0, 10},
		{"past the end", "text/plain", "abc", 10, 4, "", 0, 3},
		{"empty", "text/plain", "", 0, 4, "", 0, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			req := request(tt.typ, []byte(tt.body))
			req.Offset, req.MaxChars = tt.offset, tt.maxChars
			c, err := render(t, req)
			if err != nil {
				t.Fatal(err)
			}
			if c.Text != tt.want || c.NextOffset != tt.next || c.TotalChars != tt.total {
				t.Errorf("got %q next %d total %d, want %q next %d total %d", c.Text, c.NextOffset, c.TotalChars, tt.want, tt.next, tt.total)
			}
		})
	}
}

// TestRenderTextPagedToTheEnd pages a 300,000-character file (multi-byte
// characters) to its end and checks the pages join to the file.
func TestRenderTextPagedToTheEnd(t *testing.T) {
	var sb strings.Builder
	for i := 0; sb.Len() < 600000; i++ {
		fmt.Fprintf(&sb, "line %d: é€😀\n", i)
	}
	body := string([]rune(sb.String())[:300000])
	req := request("text/plain", []byte(body))
	var got strings.Builder
	pages := 0
	for {
		c, err := render(t, req)
		if err != nil {
			t.Fatal(err)
		}
		if c.Offset != req.Offset {
			t.Fatalf("page %d: offset %d, want %d", pages, c.Offset, req.Offset)
		}
		got.WriteString(c.Text)
		pages++
		if c.NextOffset == 0 {
			if c.TotalChars != 300000 {
				t.Errorf("total %d, want 300000", c.TotalChars)
			}
			break
		}
		if n := utf8.RuneCountInString(c.Text); n != 20000 {
			t.Fatalf("page %d has %d characters, want 20000", pages, n)
		}
		req.Offset = c.NextOffset
	}
	if pages != 15 || got.String() != body {
		t.Errorf("%d pages, joined equal %v; want 15 pages equal to the file", pages, got.String() == body)
	}
}

func TestRenderErrors(t *testing.T) {
	storeErr := fmt.Errorf("s3: get: %w", connector.ErrUnavailable)
	failing := func(typ string) connector.ContentRequest {
		req := request(typ, []byte("x"))
		req.Open = func(context.Context, int64) (io.ReadCloser, error) { return nil, storeErr }
		return req
	}
	for _, tt := range []struct {
		name string
		req  connector.ContentRequest
		want error
	}{
		{"zip unsupported", request("application/zip", []byte("PK")), connector.ErrUnsupported},
		{"docx unsupported", request("application/vnd.openxmlformats-officedocument.wordprocessingml.document", []byte("PK")), connector.ErrUnsupported},
		{"octet-stream unsupported", request(connector.OctetStream, []byte("x")), connector.ErrUnsupported},
		{"store error of text", failing("text/plain"), connector.ErrUnavailable},
		{"store error of pdf", failing("application/pdf"), connector.ErrUnavailable},
		{"store error of image", failing("image/png"), connector.ErrUnavailable},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := render(t, tt.req)
			if !errors.Is(err, tt.want) {
				t.Errorf("got %v, want %v", err, tt.want)
			}
		})
	}
}
