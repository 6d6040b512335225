package content

import (
	"bytes"
	"compress/zlib"
	"context"
	"fmt"
	"io"
)

// checkInflated inflates every zlib (FlateDecode) stream of the PDF in b,
// counting, and fails once they inflate to more than max bytes together
// or ctx is done. The PDF library inflates streams without a bound, so
// this pass runs first: a decompression bomb stops here after max bytes,
// in constant memory, before the library holds any of it.
func checkInflated(ctx context.Context, b []byte, max int64) error {
	left := max
	kw := []byte("stream")
	for i := 0; ; {
		j := bytes.Index(b[i:], kw)
		if j < 0 {
			return nil
		}
		start := i + j + len(kw)
		i = start
		if i-len(kw) >= 3 && string(b[i-len(kw)-3:i-len(kw)]) == "end" {
			continue
		}
		if start < len(b) && b[start] == '\r' {
			start++
		}
		if start >= len(b) || b[start] != '\n' {
			continue
		}
		zr, err := zlib.NewReader(bytes.NewReader(b[start+1:]))
		if err != nil {
			continue // not a zlib stream (an image, or encrypted)
		}
		n, _ := io.Copy(io.Discard, io.LimitReader(ctxReader{ctx, zr}, left+1))
		if err := ctx.Err(); err != nil {
			return err
		}
		if left -= n; left < 0 {
			return corrupt("could not read this PDF: its compressed streams inflate to more than %s", bytesText(max))
		}
	}
}

// bytesText writes n bytes for a person: "16 MiB", "4 KiB", "512 bytes".
func bytesText(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
