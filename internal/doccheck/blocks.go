package doccheck

import "strings"

// Block is one fenced block of a document.
type Block struct {
	// Line is the 1-based line of the opening fence in the file.
	Line int
	// Lang is the first word of the info string ("sh", "js", ...).
	Lang string
	// Run reports whether RunMarker precedes the block.
	Run bool
	// Code is the block's content, the fence's indent removed from each
	// line.
	Code string
}

// Blocks returns the fenced blocks of d whose language is lang (every
// block for ""), in order.
func (d Doc) Blocks(lang string) []Block {
	var (
		out    []Block
		cur    *Block
		fence  string
		indent string
	)
	for i, l := range d.Lines {
		f, isFence := fenceOf(l)
		switch {
		case cur == nil && isFence:
			info := strings.Fields(strings.TrimSpace(l)[len(f):])
			b := Block{Line: d.First + i}
			if len(info) > 0 {
				b.Lang = info[0]
			}
			b.Run = i > 0 && strings.TrimSpace(d.Lines[i-1]) == RunMarker
			cur, fence = &b, f
			indent = l[:len(l)-len(strings.TrimLeft(l, " "))]
		case cur != nil && isFence && toggle(fence, f) == "" && strings.TrimSpace(l) == f:
			if lang == "" || cur.Lang == lang {
				out = append(out, *cur)
			}
			cur = nil
		case cur != nil:
			cur.Code += strings.TrimPrefix(l, indent) + "\n"
		}
	}
	return out
}

// Shell splits a sh block into the script to run and the output it shows:
// each line that starts with "# " is a line of output (without the "# "),
// every other line is the script's.
func (b Block) Shell() (script string, want []string) {
	for l := range strings.Lines(b.Code) {
		if s, ok := strings.CutPrefix(l, "# "); ok {
			want = append(want, strings.TrimSuffix(s, "\n"))
			continue
		}
		script += l
	}
	return script, want
}

// Runnable returns the sh blocks of d marked to run.
func (d Doc) Runnable() []Block {
	var out []Block
	for _, b := range d.Blocks("sh") {
		if b.Run {
			out = append(out, b)
		}
	}
	return out
}
