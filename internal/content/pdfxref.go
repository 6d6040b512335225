package content

import (
	"bytes"
	"regexp"
	"sync"
)

// maxObjects bounds the object numbers of a PDF's cross-reference
// sections. The library sizes its table by the highest number it reads
// (about 32 bytes each), so "900000000 1" in an xref table asks it for
// 28 GB, a fatal out-of-memory no recover catches; a million objects
// (32 MB) is far more than a 16 MiB PDF holds.
const maxObjects = 1 << 20

// checkXref checks the cross-reference sections of the PDF in b before the
// library reads them, for the two inputs that crash it rather than fail:
// object numbers beyond maxObjects, and an object stream that is itself
// kept in an object stream (the library resolves that by recursing
// forever, a fatal stack overflow); and a /Prev chain of sections that
// loops, which the library follows until its deadline.
func checkXref(b []byte) error {
	if err := checkPrevChain(b); err != nil {
		return err
	}
	if err := checkXrefTables(b); err != nil {
		return err
	}
	inStream := map[int]int{} // object → its object stream, over every xref stream
	for _, m := range patterns().streamDict.FindAllIndex(b, -1) {
		if err := readXrefStream(b, m[0], inStream); err != nil {
			return err
		}
	}
	for obj, strm := range inStream {
		if _, nested := inStream[strm]; nested || strm == obj {
			return corrupt("could not read this PDF: its object streams refer to each other")
		}
	}
	return nil
}

// checkPrevChain follows the cross-reference sections from the last
// startxref through their /Prev entries and fails if they loop.
func checkPrevChain(b []byte) error {
	i := bytes.LastIndex(b, []byte("startxref"))
	if i < 0 {
		return nil // the library refuses it
	}
	off, _, ok := number(b, i+len("startxref"))
	seen := map[int]bool{}
	for ok && off > 0 && off < len(b) {
		if seen[off] || len(seen) > 10_000 {
			return corrupt("could not read this PDF: its cross-reference sections refer to each other in a loop")
		}
		seen[off] = true
		sec := b[off:]
		end := bytes.Index(sec, []byte("startxref"))
		if end < 0 {
			end = len(sec)
		}
		if s := bytes.Index(sec[:end], []byte("stream")); s >= 0 && !bytes.HasPrefix(bytes.TrimLeft(sec, " \t\r\n"), []byte("xref")) {
			end = s // an xref stream: its dictionary comes before its data
		}
		m := patterns().prev.FindSubmatch(sec[:end])
		if m == nil {
			return nil
		}
		off, ok = atoi(m[1]), true
	}
	return nil
}

var tooManyObjects = corrupt("could not read this PDF: its cross-reference table names more than %d objects", maxObjects)

// checkXrefTables checks the subsection headers of every classic xref
// table ("xref", then "first count" lines each followed by count entries).
func checkXrefTables(b []byte) error {
	for _, m := range patterns().table.FindAllSubmatchIndex(b, -1) {
		pos := m[1]
		for {
			first, p1, ok1 := number(b, pos)
			count, p2, ok2 := number(b, p1)
			if !ok1 || !ok2 {
				break
			}
			if first < 0 || count < 0 || first+count > maxObjects {
				return tooManyObjects
			}
			pos = p2 + 20*count // entries are 20 bytes each
			if pos > len(b) {
				break
			}
		}
	}
	return nil
}

// xrefPatterns are the regular expressions of the checks above, compiled
// on the first PDF read rather than at every cold start.
type xrefPatterns struct {
	table, streamDict, w, index, size, prev, columns, predictor *regexp.Regexp
}

var patterns = sync.OnceValue(func() *xrefPatterns {
	return &xrefPatterns{
		table:      regexp.MustCompile(`(?m)(?:^|[\r\n])xref[ \t]*\r?\n`),
		streamDict: regexp.MustCompile(`/Type\s*/XRef\b`),
		w:          regexp.MustCompile(`/W\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s*\]`),
		index:      regexp.MustCompile(`/Index\s*\[([\d\s]*)\]`),
		size:       regexp.MustCompile(`/Size\s+(\d+)`),
		prev:       regexp.MustCompile(`/Prev\s+(\d+)`),
		columns:    regexp.MustCompile(`/Columns\s+(\d+)`),
		predictor:  regexp.MustCompile(`/Predictor\s+(\d+)`),
	}
})

// readXrefStream reads the xref stream whose dictionary holds /Type /XRef
// at b[at:], checks its object numbers and adds its type-2 entries
// (objects kept in an object stream) to inStream.
func readXrefStream(b []byte, at int, inStream map[int]int) error {
	end := bytes.Index(b[at:], []byte("stream"))
	if end < 0 {
		return nil
	}
	dict := b[max(0, bytes.LastIndex(b[:at], []byte("obj"))) : at+end]
	w := patterns().w.FindSubmatch(dict)
	size := patterns().size.FindSubmatch(dict)
	if w == nil || size == nil {
		return nil // the library refuses it
	}
	widths := [3]int{atoi(w[1]), atoi(w[2]), atoi(w[3])}
	index := []int{0, atoi(size[1])}
	if m := patterns().index.FindSubmatch(dict); m != nil {
		index = index[:0]
		for _, f := range bytes.Fields(m[1]) {
			index = append(index, atoi(f))
		}
	}
	rows := 0
	for i := 0; i+1 < len(index); i += 2 {
		if index[i] < 0 || index[i+1] < 0 || index[i]+index[i+1] > maxObjects {
			return tooManyObjects
		}
		rows += index[i+1]
	}
	rowLen := widths[0] + widths[1] + widths[2]
	if rowLen <= 0 || rowLen > 32 {
		return nil
	}
	data := streamData(b[at+end+len("stream"):], rows*(rowLen+1))
	if m := patterns().predictor.FindSubmatch(dict); m != nil && atoi(m[1]) >= 10 {
		cols := rowLen
		if c := patterns().columns.FindSubmatch(dict); c != nil {
			cols = atoi(c[1])
		}
		data = unpredict(data, cols)
	}
	for i := 0; i+1 < len(index); i += 2 {
		for obj := index[i]; obj < index[i]+index[i+1] && len(data) >= rowLen; obj++ {
			typ := 1
			if widths[0] > 0 {
				typ = field(data[:widths[0]])
			}
			if typ == 2 {
				inStream[obj] = field(data[widths[0] : widths[0]+widths[1]])
			}
			data = data[rowLen:]
		}
	}
	return nil
}
