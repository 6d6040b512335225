// Package content renders stored files for AI agents: text paged by
// characters, the text of PDFs, and images scaled for a model. It is the
// connector.Renderer; every parser runs within bounded time and memory
// whatever the input, and a file it cannot read is an ErrCorrupt whose
// message an agent can relay.
package content

import (
	"context"
	"mime"
	"strings"
	"time"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// Limits bound the work of one Render. A zero field takes its default.
type Limits struct {
	// Timeout bounds one Render (default 10 s).
	Timeout time.Duration
	// MaxPDFBytes is the largest PDF read (into memory, since a PDF needs
	// random access): default 16 MiB.
	MaxPDFBytes int64
	// MaxInflated bounds the bytes all of a PDF's compressed streams may
	// inflate to, together (default 64 MiB): more is a decompression bomb.
	MaxInflated int64
	// MaxPixels is the largest image decoded (default 40,000,000), and
	// MaxDecodedBytes the most memory its decoded pixels may take, judged
	// from its header's colour model before decoding (default 48 MiB,
	// which fits a 128 MB function: a 16 MP JPEG, a 12 MP RGBA PNG).
	MaxPixels       int64
	MaxDecodedBytes int64
	// MaxImageBytes is the most an encoded image given to an agent takes
	// (default 3.75 MB); LongSide the most pixels on its long side
	// (default 1568).
	MaxImageBytes int
	LongSide      int
}

// Defaults of Limits.
const (
	DefaultTimeout       = 10 * time.Second
	DefaultMaxPDFBytes   = 16 << 20
	DefaultMaxInflated   = 64 << 20
	DefaultMaxPixels     = 40_000_000
	DefaultMaxDecoded    = 48 << 20
	DefaultMaxImageBytes = 3_750_000
	DefaultLongSide      = 1568
)

// Renderer is the connector.Renderer of this package.
type Renderer struct {
	lim Limits
}

var _ connector.Renderer = (*Renderer)(nil)

// New returns a Renderer bounded by lim (zero fields take the defaults).
func New(lim Limits) *Renderer {
	orDefault(&lim.Timeout, DefaultTimeout)
	orDefault(&lim.MaxPDFBytes, DefaultMaxPDFBytes)
	orDefault(&lim.MaxInflated, DefaultMaxInflated)
	orDefault(&lim.MaxPixels, DefaultMaxPixels)
	orDefault(&lim.MaxDecodedBytes, DefaultMaxDecoded)
	orDefault(&lim.MaxImageBytes, DefaultMaxImageBytes)
	orDefault(&lim.LongSide, DefaultLongSide)
	return &Renderer{lim: lim}
}

// orDefault sets *v to d unless it is positive.
func orDefault[T int | int64 | time.Duration](v *T, d T) {
	if *v <= 0 {
		*v = d
	}
}

// Render returns a page of the file's content as an agent reads it. It
// returns connector.ErrUnsupported for a type it does not render,
// connector.ErrCorrupt (wrapped, with a reason) for a file it could not
// read, and the store's error from req.Open as it is.
func (r *Renderer) Render(ctx context.Context, req connector.ContentRequest) (connector.Content, error) {
	ctx, cancel := context.WithTimeout(ctx, r.lim.Timeout)
	defer cancel()
	if req.Offset < 0 {
		req.Offset = 0
	}
	if req.MaxChars <= 0 {
		req.MaxChars = connector.DefaultReadChars
	}
	switch kind(req.Type) {
	case kindText:
		return r.renderText(ctx, req)
	case kindPDF:
		return r.renderPDF(ctx, req)
	case kindImage:
		return r.renderImage(ctx, req)
	}
	return connector.Content{}, connector.ErrUnsupported
}

type fileKind int

const (
	kindOther fileKind = iota
	kindText
	kindPDF
	kindImage
)

// textTypes are the media types outside text/* read as text.
var textTypes = map[string]bool{
	"application/json": true, "application/xml": true, "application/yaml": true,
	"application/x-yaml": true, "application/csv": true, "application/x-ndjson": true,
	"application/toml": true, "application/sql": true, "application/javascript": true,
	"application/x-sh": true, "application/markdown": true,
}

// kind classifies a media type (parameters and case ignored).
func kind(mediaType string) fileKind {
	t, _, err := mime.ParseMediaType(mediaType)
	if err != nil {
		t = strings.ToLower(strings.TrimSpace(mediaType))
	}
	switch {
	case t == "application/pdf":
		return kindPDF
	case t == "image/png", t == "image/jpeg", t == "image/gif":
		return kindImage
	case strings.HasPrefix(t, "text/"), textTypes[t],
		strings.HasSuffix(t, "+json"), strings.HasSuffix(t, "+xml"):
		return kindText
	}
	return kindOther
}
