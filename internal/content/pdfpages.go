package content

import (
	"context"
	"io"

	"github.com/ledongthuc/pdf"
)

// Bounds of a PDF's page tree: deeper or larger trees are broken (a
// cycle of Kids) or hostile. The library's own Reader.Page walks a cycle
// forever, so the tree is walked here.
const (
	maxTreeDepth = 64
	maxTreeNodes = 100_000
)

// pages returns the pages of the tree under node, in order, or an
// ErrCorrupt if the tree is deeper or larger than the bounds above.
func pages(ctx context.Context, root pdf.Value) ([]pdf.Page, error) {
	var out []pdf.Page
	nodes := 0
	var walk func(v pdf.Value, depth int) error
	walk = func(v pdf.Value, depth int) error {
		if nodes++; nodes > maxTreeNodes || depth > maxTreeDepth {
			return corrupt("could not read this PDF: its page tree is broken (a cycle, or too deep)")
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		switch v.Key("Type").Name() {
		case "Page":
			out = append(out, pdf.Page{V: v})
		case "Pages":
			kids := v.Key("Kids")
			for i := 0; i < kids.Len(); i++ {
				if err := walk(kids.Index(i), depth+1); err != nil {
					return err
				}
			}
		}
		return nil
	}
	if err := walk(root, 0); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, corrupt("could not read this PDF: it has no pages")
	}
	return out, nil
}

// checkContents reads the page contents of ps through the library
// (decrypted and inflated), counting, and fails once they take more than
// max bytes together.
func checkContents(ctx context.Context, ps []pdf.Page, max int64) error {
	left := max
	for _, p := range ps {
		strm := p.V.Key("Contents")
		parts := []pdf.Value{strm}
		if strm.Kind() == pdf.Array {
			parts = parts[:0]
			for i := 0; i < strm.Len(); i++ {
				parts = append(parts, strm.Index(i))
			}
		}
		for _, part := range parts {
			if part.Kind() != pdf.Stream {
				continue
			}
			rc := part.Reader()
			n, _ := io.Copy(io.Discard, io.LimitReader(ctxReader{ctx, rc}, left+1))
			rc.Close()
			if err := ctx.Err(); err != nil {
				return err
			}
			if left -= n; left < 0 {
				return corrupt("could not read this PDF: its page contents inflate to more than %s", bytesText(max))
			}
		}
	}
	return nil
}
