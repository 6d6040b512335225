package content

import (
	"context"
	"fmt"
	"io"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// corrupt returns an ErrCorrupt whose message is the formatted reason, a
// sentence an agent can relay ("could not read this PDF: …").
func corrupt(format string, args ...any) error {
	return connector.Errorf(connector.ErrCorrupt, format, args...)
}

// fence runs parse, turning a panic into an ErrCorrupt for what (“this
// PDF”) and an expired deadline into one saying it took too long. Parsers
// that take no context see ctx through the readers they are given
// (ctxReader, ctxReaderAt), which fail once ctx is done.
func fence(ctx context.Context, what string, parse func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = corrupt("could not read %s: it is malformed (%v)", what, p)
		}
		if err != nil && ctx.Err() != nil {
			err = corrupt("could not read %s: it took longer than the time allowed", what)
		}
	}()
	return parse()
}

// ctxReader fails reads once ctx is done.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// ctxReaderAt fails reads once ctx is done.
type ctxReaderAt struct {
	ctx context.Context
	r   io.ReaderAt
}

func (c ctxReaderAt) ReadAt(p []byte, off int64) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.ReadAt(p, off)
}

// openErr classifies an error of req.Open: the store's own errors pass
// through, others are wrapped with context.
func openErr(err error) error {
	return fmt.Errorf("content: open: %w", err)
}
