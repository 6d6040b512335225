package content

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/ledongthuc/pdf"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// noTextNote is the Note of a PDF whose pages hold no text.
const noTextNote = "this PDF has no text layer (a scan or pictures only); its download link gives the file"

// renderPDF extracts the text of a PDF and pages it as text. A PDF needs
// random access, so it is read into memory up to MaxPDFBytes; its streams
// are checked against MaxInflated before the library parses it; pages are
// extracted only until the requested page of text is full.
func (r *Renderer) renderPDF(ctx context.Context, req connector.ContentRequest) (connector.Content, error) {
	if req.Size > r.lim.MaxPDFBytes {
		return connector.Content{}, r.tooLarge()
	}
	rc, err := req.Open(ctx, 0)
	if err != nil {
		return connector.Content{}, openErr(err)
	}
	b, err := io.ReadAll(io.LimitReader(ctxReader{ctx, rc}, r.lim.MaxPDFBytes+1))
	rc.Close()
	if err != nil {
		if ctx.Err() != nil {
			return connector.Content{}, corrupt("could not read this PDF: it took longer than the time allowed")
		}
		return connector.Content{}, fmt.Errorf("content: read pdf: %w", err)
	}
	if int64(len(b)) > r.lim.MaxPDFBytes {
		return connector.Content{}, r.tooLarge()
	}
	if err := checkInflated(ctx, b, r.lim.MaxInflated); err != nil {
		if ctx.Err() != nil {
			return connector.Content{}, corrupt("could not read this PDF: it took longer than the time allowed")
		}
		return connector.Content{}, err
	}
	if err := checkXref(b); err != nil {
		return connector.Content{}, err
	}
	var text string
	var all bool
	err = fence(ctx, "this PDF", func() error {
		var err error
		text, all, err = pdfText(ctx, b, req.Offset+req.MaxChars+1, r.lim.MaxInflated)
		return err
	})
	if err != nil {
		return connector.Content{}, err
	}
	c, err := pageText(strings.NewReader(text), req.Offset, req.MaxChars)
	if err != nil {
		return connector.Content{}, fmt.Errorf("content: page pdf text: %w", err)
	}
	if !all {
		c.TotalChars = -1
		if c.NextOffset == 0 && len(c.Text) > 0 {
			c.NextOffset = req.Offset + len([]rune(c.Text))
		}
	}
	if all && strings.TrimSpace(text) == "" {
		c.Note = noTextNote
	}
	return c, nil
}

func (r *Renderer) tooLarge() error {
	return corrupt("could not read this PDF: it is larger than the %s read here (its download link gives the file)", bytesText(r.lim.MaxPDFBytes))
}

// pdfText returns the text of the PDF in b, page after page, stopping once
// it holds more than want characters; all reports whether every page was
// read.
func pdfText(ctx context.Context, b []byte, want int, maxInflated int64) (text string, all bool, err error) {
	rd, err := pdf.NewReader(ctxReaderAt{ctx, bytes.NewReader(b)}, int64(len(b)))
	switch {
	case errors.Is(err, pdf.ErrInvalidPassword):
		return "", false, corrupt("could not read this PDF: it is protected by a password")
	case err != nil && strings.Contains(err.Error(), "encrypt"):
		return "", false, corrupt("could not read this PDF: it is encrypted in a way not read here (%v)", err)
	case err != nil:
		return "", false, corrupt("could not read this PDF: %v", err)
	}
	ps, err := pages(ctx, rd.Trailer().Key("Root").Key("Pages"))
	if err != nil {
		return "", false, err
	}
	if !rd.Trailer().Key("Encrypt").IsNull() {
		// checkInflated cannot see through encryption: count the decrypted
		// page contents through the library instead.
		if err := checkContents(ctx, ps, maxInflated); err != nil {
			return "", false, err
		}
	}
	var sb strings.Builder
	chars := 0
	for i, p := range ps {
		if err := ctx.Err(); err != nil {
			return "", false, err
		}
		s := layout(p.Content().Text)
		sb.WriteString(s)
		chars += len([]rune(s))
		if chars > want && i < len(ps)-1 {
			return sb.String(), false, nil
		}
	}
	return sb.String(), true, nil
}

// layout joins a page's glyphs into lines: a new line where the baseline
// moves by more than half the font size, a space where the gap from the
// previous glyph is wider than a quarter of it (measured: 0.15 splits
// kerned words of groff's output, 0.25 keeps them whole and still finds
// the spaces of justified lines).
func layout(glyphs []pdf.Text) string {
	var sb strings.Builder
	var y, end float64
	for i, t := range glyphs {
		switch {
		case i == 0:
		case math.Abs(t.Y-y) > t.FontSize*0.5:
			sb.WriteByte('\n')
		case t.X-end > t.FontSize*0.25:
			sb.WriteByte(' ')
		}
		sb.WriteString(t.S)
		y, end = t.Y, t.X+t.W
	}
	if sb.Len() > 0 {
		sb.WriteByte('\n')
	}
	return sb.String()
}
