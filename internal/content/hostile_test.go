package content_test

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// buildPDF returns a PDF of the given objects (numbered from 1) with a
// correct cross-reference table, so that only their content is hostile.
func buildPDF(objs ...string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

// hugeXrefPDF is a PDF whose xref table has a subsection "900000000 1".
func hugeXrefPDF() []byte {
	b := buildPDF("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [] /Count 0 >>")
	t := bytes.Index(b, []byte("trailer"))
	return append(b[:t:t], append([]byte("900000000 1\n0000000010 00000 n \n"), b[t:]...)...)
}

// selfObjStmPDF is a PDF whose xref stream keeps object 2 (the page tree)
// in object stream 2, itself.
func selfObjStmPDF() []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.5\n")
	off1 := b.Len()
	b.WriteString("1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n")
	off3 := b.Len()
	var raw bytes.Buffer
	for _, e := range [][2]uint32{{0, 0}, {1, uint32(off1)}, {2, 2}, {1, uint32(off3)}} {
		raw.WriteByte(byte(e[0]))
		binary.Write(&raw, binary.BigEndian, e[1])
		raw.Write([]byte{0, 0})
	}
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write(raw.Bytes())
	zw.Close()
	fmt.Fprintf(&b, "3 0 obj\n<< /Type /XRef /Size 4 /W [1 4 2] /Root 1 0 R /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n", z.Len(), z.Bytes(), off3)
	return b.Bytes()
}

// prevLoopPDF is a PDF whose xref table's trailer names itself as /Prev.
func prevLoopPDF() []byte {
	b := buildPDF("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [] /Count 0 >>")
	x := bytes.Index(b, []byte("xref\n"))
	return bytes.Replace(b, []byte("/Root 1 0 R >>"), []byte(fmt.Sprintf("/Root 1 0 R /Prev %d >>", x)), 1)
}

// bomb is a zlib stream of n zero bytes (about n/1000 bytes compressed).
func bomb(n int64) []byte {
	var b bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&b, zlib.BestCompression)
	zero := make([]byte, 1<<20)
	for ; n > 0; n -= int64(len(zero)) {
		zw.Write(zero)
	}
	zw.Close()
	return b.Bytes()
}

// pngHeader is a PNG signature and IHDR claiming w × h pixels, no data.
func pngHeader(w, h uint32) []byte {
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 6 // 8-bit RGBA
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	binary.Write(&b, binary.BigEndian, uint32(len(ihdr)))
	chunk := append([]byte("IHDR"), ihdr...)
	b.Write(chunk)
	binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(chunk))
	return b.Bytes()
}

// TestRenderHostile feeds inputs made to break a parser: each must answer
// ErrCorrupt with a reason, without a panic, within bounded memory.
func TestRenderHostile(t *testing.T) {
	const gib = 1 << 30
	z := bomb(gib)
	pdfBomb := buildPDF(
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>",
		fmt.Sprintf("<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream", len(z), z),
	)
	chromium := fixture(t, "chromium.pdf")
	random := make([]byte, 64<<10)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range random {
		random[i] = byte(rng.UintN(256))
	}
	for _, tt := range []struct {
		name, typ string
		body      []byte
		reason    string
	}{
		{"truncated pdf", "application/pdf", chromium[:len(chromium)/2], "could not read this PDF"},
		{"pages that are their own kid", "application/pdf", buildPDF(
			"<< /Type /Catalog /Pages 2 0 R >>",
			"<< /Type /Pages /Kids [2 0 R] /Count 5 >>",
		), "could not read this PDF"},
		{"a cycle of references", "application/pdf", buildPDF(
			"<< /Type /Catalog /Pages 2 0 R >>",
			"3 0 R",
			"2 0 R",
		), "could not read this PDF"},
		{"xref naming object 900,000,000 (the library would allocate 28 GB)", "application/pdf", hugeXrefPDF(), "more than 1048576 objects"},
		{"an object stream kept in itself (the library would recurse forever)", "application/pdf", selfObjStmPDF(), "object streams refer to each other"},
		{"xref sections whose /Prev loops", "application/pdf", prevLoopPDF(), "refer to each other in a loop"},
		{"objects nested a million deep", "application/pdf", buildPDF(
			"<< /Type /Catalog /Pages 2 0 R >>",
			"<< /Type /Pages /Kids [3 0 R] /Count 1 /X "+strings.Repeat("[", 1_000_000)+" >>",
		), "could not read this PDF"},
		{"a stream inflating to a gibibyte", "application/pdf", pdfBomb, "inflate to more than"},
		{"random bytes as pdf", "application/pdf", random, "could not read this PDF"},
		{"png claiming 100,000 × 100,000", "image/png", pngHeader(100000, 100000), "100000 × 100000 pixels"},
		{"random bytes as png", "image/png", random, "could not read this image"},
		{"random bytes as jpeg", "image/jpeg", random, "could not read this image"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			req := request(tt.typ, tt.body)
			req.Images = true
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			_, err := render(t, req)
			runtime.ReadMemStats(&after)
			if !errors.Is(err, connector.ErrCorrupt) || !strings.Contains(connector.Message(err), tt.reason) {
				t.Errorf("got %v, want ErrCorrupt saying %q", err, tt.reason)
			}
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 256<<20 {
				t.Errorf("allocated %d MiB, want under 256 MiB", alloc>>20)
			}
		})
	}
}
