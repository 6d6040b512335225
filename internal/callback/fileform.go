package callback

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/textproto"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// form is the multipart/form-data body of one file post, written the
// same, byte for byte, each time: the text fields first (so that a
// streaming receiver has them before the file), then the file.
type form struct {
	p        connector.FilePost
	boundary string
}

// newForm returns the body of p with a fresh random boundary.
func newForm(p connector.FilePost) (*form, error) {
	if p.Open == nil {
		return nil, errors.New("file callback: the post has no content")
	}
	return &form{p: p, boundary: multipart.NewWriter(io.Discard).Boundary()}, nil
}

func (f *form) contentType() string { return "multipart/form-data; boundary=" + f.boundary }

// write writes the body to w and returns its length. With check, it
// returns ErrCorrupt if the content is not f.p.Size bytes with f.p.Sha256.
// It returns ErrNotFound if the stored object is gone, ErrUnavailable if
// it cannot be read, and w's error if w fails.
func (f *form) write(ctx context.Context, w io.Writer, check bool) (int64, error) {
	cw := &counter{w: w}
	mw := multipart.NewWriter(cw)
	if err := mw.SetBoundary(f.boundary); err != nil {
		return 0, err
	}
	for _, field := range [][2]string{{"chatID", f.p.ChatID}, {"packageId", f.p.PackageID},
		{"fileId", f.p.FileID}, {"sha256", f.p.Sha256}} {
		if err := mw.WriteField(field[0], field[1]); err != nil {
			return 0, err
		}
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", disposition(f.p.Name))
	typ := f.p.Type
	if typ == "" {
		typ = "application/octet-stream"
	}
	h.Set("Content-Type", typ)
	part, err := mw.CreatePart(h)
	if err != nil {
		return 0, err
	}
	rc, err := f.p.Open(ctx)
	if errors.Is(err, connector.ErrNotFound) {
		return 0, fmt.Errorf("file callback: open file %s: %w", f.p.FileID, err)
	}
	if err != nil {
		return 0, fmt.Errorf("file callback: %w: open file %s: %w", connector.ErrUnavailable, f.p.FileID, err)
	}
	defer rc.Close()
	sum := sha256.New()
	n, err := io.Copy(io.MultiWriter(part, sum), rc)
	if err != nil {
		if cw.err != nil {
			return 0, cw.err
		}
		return 0, fmt.Errorf("file callback: %w: read file %s: %w", connector.ErrUnavailable, f.p.FileID, err)
	}
	if check && (n != f.p.Size || hex.EncodeToString(sum.Sum(nil)) != f.p.Sha256) {
		return 0, fmt.Errorf("file callback: file %s: %w: %d bytes read, not the %d with the sha256 stored", f.p.FileID,
			connector.ErrCorrupt, n, f.p.Size)
	}
	if err := mw.Close(); err != nil {
		return 0, err
	}
	return cw.n, nil
}

// disposition is the file part's Content-Disposition. The filename
// parameter is written as the HTML standard has browsers write it: '"',
// CR and LF percent-encoded, the rest (UTF-8 included) as it is. A name
// that is not ASCII also gets filename* (RFC 5987, UTF-8), which parsers
// that take a plain filename as Latin-1 (busboy by default) read right.
func disposition(name string) string {
	d := `form-data; name="file"; filename="` + strings.NewReplacer(`"`, "%22", "\r", "%0D", "\n", "%0A").Replace(name) + `"`
	for i := 0; i < len(name); i++ {
		if name[i] >= utf8.RuneSelf {
			return d + "; filename*=UTF-8''" + url.PathEscape(name)
		}
	}
	return d
}

// counter counts what goes through to w, and keeps w's error.
type counter struct {
	w   io.Writer
	n   int64
	err error
}

func (c *counter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	if err != nil {
		c.err = err
	}
	return n, err
}
