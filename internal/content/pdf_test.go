package content_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/content"
)

// TestRenderPDF reads fixtures of three producers (testdata/README) and
// checks that their known words come out as words.
func TestRenderPDF(t *testing.T) {
	for _, tt := range []struct {
		file  string
		words []string
	}{
		{"groff.pdf", []string{"Quarterly", "Statement", "Okonkwo", "1,234.56", "fourteenth", "ZX-4471-QP", "9,876.54", "2.75", "percent"}},
		{"chromium.pdf", []string{"Invoice", "2026-0917", "Bartholomew", "Fennimore", "Genève", "Consulting", "1,480.00", "312.40", "1,792.40", "thirty"}},
		{"restricted.pdf", []string{"Delivery", "Ingrid", "Vasquez-Lindqvist", "TRK-99310-B", "Thursday"}},
		{"objstm.pdf", []string{"Invoice", "2026-0917", "Bartholomew", "Genève", "1,792.40", "thirty"}},
		{"gs.pdf", []string{"Delivery", "Ingrid", "Vasquez-Lindqvist", "4.2", "kilograms", "TRK-99310-B", "Oakridge", "warehouse", "Thursday"}},
	} {
		t.Run(tt.file, func(t *testing.T) {
			c, err := render(t, request("application/pdf", fixture(t, tt.file)))
			if err != nil {
				t.Fatal(err)
			}
			words := map[string]bool{}
			for _, w := range strings.Fields(c.Text) {
				words[strings.Trim(w, ".,:;")] = true
			}
			for _, w := range tt.words {
				if !words[w] {
					t.Errorf("word %q not in %q", w, c.Text)
				}
			}
			if c.NextOffset != 0 || c.TotalChars <= 0 || c.Note != "" {
				t.Errorf("next %d total %d note %q, want 0, > 0, none", c.NextOffset, c.TotalChars, c.Note)
			}
		})
	}
}

// TestRenderPDFIncrementalUpdate reads gs.pdf with an update appended (a
// second xref section whose /Prev is the first), as editors save: the
// /Prev check follows a chain that does not loop.
func TestRenderPDFIncrementalUpdate(t *testing.T) {
	b := fixture(t, "gs.pdf")
	off := len(b)
	b = append(b, fmt.Sprintf("xref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size 10 /Root 1 0 R /Prev 2094 >>\nstartxref\n%d\n%%%%EOF\n", off)...)
	c, err := render(t, request("application/pdf", b))
	if err != nil || !strings.Contains(c.Text, "TRK-99310-B") {
		t.Errorf("got %q, %v; want the text of gs.pdf", c.Text, err)
	}
}

func TestRenderPDFWithoutText(t *testing.T) {
	c, err := render(t, request("application/pdf", fixture(t, "scanned.pdf")))
	if err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(c.Text) != "" || !strings.Contains(c.Note, "this PDF has no text layer") {
		t.Errorf("got text %q note %q, want no text and the no-text note", c.Text, c.Note)
	}
}

// TestRenderPDFPaged pages the 20-page PDF to its end.
func TestRenderPDFPaged(t *testing.T) {
	req := request("application/pdf", fixture(t, "twenty.pdf"))
	req.MaxChars = 5000
	var got strings.Builder
	for pages := 0; ; pages++ {
		if pages > 100 {
			t.Fatal("no end after 100 pages")
		}
		c, err := render(t, req)
		if err != nil {
			t.Fatal(err)
		}
		got.WriteString(c.Text)
		if c.NextOffset == 0 {
			if c.TotalChars != len([]rune(got.String())) {
				t.Errorf("total %d, want the %d characters read", c.TotalChars, len([]rune(got.String())))
			}
			break
		}
		if c.TotalChars != -1 && c.TotalChars <= c.NextOffset {
			t.Errorf("total %d with next %d", c.TotalChars, c.NextOffset)
		}
		req.Offset = c.NextOffset
	}
	for _, w := range []string{"Twenty Page Report", "Section 1\n", "Section 20\n"} {
		if !strings.Contains(got.String(), w) {
			t.Errorf("%q not in the text", w)
		}
	}
}

func TestRenderPDFBounds(t *testing.T) {
	groff := fixture(t, "groff.pdf")
	claimed := request("application/pdf", groff)
	claimed.Size = 1 << 30 // the store says 1 GiB: not read at all
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	for _, tt := range []struct {
		name   string
		ctx    context.Context
		lim    content.Limits
		req    connector.ContentRequest
		reason string
	}{
		{"larger than the cap", context.Background(), content.Limits{MaxPDFBytes: 4096}, request("application/pdf", groff), "larger than the 4 KiB read here"},
		{"size claimed over the cap", context.Background(), content.Limits{}, claimed, "larger than the 16 MiB read here"},
		{"protected by a password", context.Background(), content.Limits{}, request("application/pdf", fixture(t, "locked.pdf")), "it is protected by a password"},
		{"aes-256", context.Background(), content.Limits{}, request("application/pdf", fixture(t, "restricted256.pdf")), "encrypted in a way not read here"},
		{"encrypted contents over the inflate bound", context.Background(), content.Limits{MaxInflated: 100}, request("application/pdf", fixture(t, "restricted.pdf")), "page contents inflate to more than 100 bytes"},
		{"deadline passed", cancelled, content.Limits{}, request("application/pdf", groff), "took longer than the time allowed"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := content.New(tt.lim).Render(tt.ctx, tt.req)
			if !errors.Is(err, connector.ErrCorrupt) || !strings.Contains(connector.Message(err), tt.reason) {
				t.Errorf("got %v, want ErrCorrupt saying %q", err, tt.reason)
			}
		})
	}
}
