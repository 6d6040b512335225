package content

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// renderText gives characters req.Offset up to req.Offset+req.MaxChars of
// a text file, streamed: it reads from the start (character offsets do
// not map to bytes), skips to Offset and stops one character after the
// page, so memory is bounded by the page whatever the file's size.
func (r *Renderer) renderText(ctx context.Context, req connector.ContentRequest) (connector.Content, error) {
	rc, err := req.Open(ctx, 0)
	if err != nil {
		return connector.Content{}, openErr(err)
	}
	defer rc.Close()
	c, err := pageText(ctxReader{ctx, rc}, req.Offset, req.MaxChars)
	if err != nil {
		if ctx.Err() != nil {
			return connector.Content{}, corrupt("could not read this file: it took longer than the time allowed")
		}
		return connector.Content{}, fmt.Errorf("content: read text: %w", err)
	}
	return c, nil
}

// pageText reads UTF-8 text from rd (each invalid byte a U+FFFD; a leading
// byte order mark dropped) and returns characters offset up to
// offset+max. TotalChars is known (else -1) only when the page reaches
// the end; NextOffset is 0 there.
func pageText(rd io.Reader, offset, max int) (connector.Content, error) {
	br := bufio.NewReaderSize(rd, 32<<10)
	c := connector.Content{Offset: offset, TotalChars: -1}
	n := 0 // characters read
	if ch, _, err := br.ReadRune(); err == nil && ch != '\uFEFF' {
		_ = br.UnreadRune()
	}
	var sb strings.Builder
	for {
		ch, _, err := br.ReadRune() // an invalid byte reads as U+FFFD
		if errors.Is(err, io.EOF) {
			c.Text = sb.String()
			c.TotalChars = n
			if offset > n {
				c.Offset = n
			}
			return c, nil
		}
		if err != nil {
			return connector.Content{}, err
		}
		if n >= offset+max {
			// One character past the page: there is more.
			c.Text = sb.String()
			c.NextOffset = offset + max
			return c, nil
		}
		if n >= offset {
			sb.WriteRune(ch)
		}
		n++
	}
}
