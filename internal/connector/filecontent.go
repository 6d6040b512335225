package connector

import (
	"context"
	"errors"
	"io"
)

// ErrUnsupported means a file's type has no rendering for agents: the
// download link is all an agent gets of it.
var ErrUnsupported = errors.New("unsupported")

// ContentRequest asks for a page of a stored file's content for an agent.
type ContentRequest struct {
	// Type is the stored media type; Size the stored bytes.
	Type string
	Size int64
	// Open reads the stored content from byte off on.
	Open func(ctx context.Context, off int64) (io.ReadCloser, error)
	// Offset is the first character of text to give (0 for the start);
	// MaxChars the most characters to give (the caller bounds it).
	Offset   int
	MaxChars int
	// Images says the asker takes image content; without it an image is
	// described (Source pixels) and not sent.
	Images bool
}

// Content is a page of a file's content as an agent reads it.
type Content struct {
	// Text is characters Offset up to NextOffset of the file's text;
	// NextOffset is 0 when Text reaches the end. TotalChars is the text's
	// length in characters when known, else -1.
	Text               string
	Offset, NextOffset int
	TotalChars         int
	// Image is the image scaled for a model (ImageType its media type,
	// Width × Height its pixels); nil for text, or when the asker takes no
	// images. SourceWidth × SourceHeight are the original's pixels.
	Image                     []byte
	ImageType                 string
	Width, Height             int
	SourceWidth, SourceHeight int
	// Note is what the agent should know besides: "this PDF has no text
	// layer".
	Note string
}

// Renderer renders stored files for agents, within bounded time and
// memory whatever the input. It returns ErrUnsupported for a type it does
// not render, ErrCorrupt (wrapped, with a reason an agent can relay) for a
// file it could not read (truncated, malformed, a decompression bomb, too
// large to read here), and ErrUnavailable if the store fails.
type Renderer interface {
	Render(ctx context.Context, req ContentRequest) (Content, error)
}
