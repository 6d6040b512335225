package connector

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const mib = 1 << 20

func TestSplitRanges(t *testing.T) {
	const n = 400
	r := func(first, last, base, count int, size int64) fileRange {
		return fileRange{First: first, Last: last, PartBase: base, PartCount: count, PartSize: size}
	}
	for _, tt := range []struct {
		name  string
		parts int
		size  int64
		per   int
		want  []fileRange
	}{
		{"0-byte file, no parts", 0, 0, n, []fileRange{r(1, 0, 1, 10000, 8*mib)}},
		{"0-byte file, one part", 1, 0, n, []fileRange{r(1, 1, 1, 10000, 8*mib)}},
		{"1 part", 1, 100, n, []fileRange{r(1, 1, 1, 10000, 8*mib)}},
		{"exactly FILES_RANGE_PARTS", n, n * 10 * mib, n, []fileRange{r(1, n, 1, 10000, 8*mib)}},
		{"one more, of big parts: two ranges", n + 1, (n + 1) * 10 * mib, n,
			[]fileRange{r(1, n, 1, 5000, 8*mib), r(n+1, n+1, 5001, 5000, 8*mib)}},
		{"one more, of small parts: the short tail joins", n + 1, (n + 1) * 2 * mib, n,
			[]fileRange{r(1, n+1, 1, 10000, 8*mib)}},
		{"small parts: a range holds 8 MiB at least", 20, 20 * mib, 1,
			[]fileRange{r(1, 8, 1, 5000, 8*mib), r(9, 20, 5001, 5000, 8*mib)}},
		// SendSafely's Python client declares parts as the browser splits
		// (a first part of 655,360 bytes) but sends 2,621,440 each: a file of
		// whole segments ends with an empty part, counted.
		{"Python's 2,621,440 bytes: 2 parts, the second empty", 2, 2621440, n, []fileRange{r(1, 2, 1, 10000, 8*mib)}},
		{"Python's 5,242,880 bytes: 3 parts, the third empty", 3, 5242880, 1, []fileRange{r(1, 3, 1, 10000, 8*mib)}},
		{"Python's 100 MiB: 41 parts, the empty last joins the range before it", 41, 100 * mib, 4, []fileRange{
			r(1, 4, 1, 1000, 8*mib), r(5, 8, 1001, 1000, 8*mib), r(9, 12, 2001, 1000, 8*mib), r(13, 16, 3001, 1000, 8*mib),
			r(17, 20, 4001, 1000, 8*mib), r(21, 24, 5001, 1000, 8*mib), r(25, 28, 6001, 1000, 8*mib), r(29, 32, 7001, 1000, 8*mib),
			r(33, 36, 8001, 1000, 8*mib), r(37, 41, 9001, 1000, 8*mib)}},
		{"big parts and an empty last: a range of its own", 3, 24 * mib, 1, []fileRange{
			r(1, 1, 1, 3333, 8*mib), r(2, 2, 3334, 3333, 8*mib), r(3, 3, 6667, 3333, 8*mib)}},
		{"huge ranges: parts grow to fit the block", 4, 4 * 40000 * mib, 1, []fileRange{
			r(1, 1, 1, 2500, 32*mib), r(2, 2, 2501, 2500, 32*mib), r(3, 3, 5001, 2500, 32*mib), r(4, 4, 7501, 2500, 32*mib)}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := splitRanges(tt.parts, tt.size, tt.per)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("splitRanges(%d, %d, %d) (-want +got):\n%s", tt.parts, tt.size, tt.per, diff)
			}
		})
	}
}

func TestPathSafe(t *testing.T) {
	long := strings.Repeat("a", 1000)
	for _, tt := range []struct{ in, want string }{
		{"statement.pdf", "statement.pdf"},
		{"my file (1).pdf", "my file %281%29.pdf"},
		{"../../etc/passwd", "..%2F..%2Fetc%2Fpasswd"},
		{`..\win.ini`, "..%5Cwin.ini"},
		{"a\x00b.txt", "a%00b.txt"},
		{".", "%2E"},
		{"..", "%2E%2E"},
		{"", "_"},
		{"résumé.pdf", "r%C3%A9sum%C3%A9.pdf"},
		{"100%.txt", "100%25.txt"},
		{long + ".pdf", strings.Repeat("a", 196) + ".pdf"},
		{long, strings.Repeat("a", 200)},
		// A cut never splits a percent sequence.
		{strings.Repeat("é", 100) + ".txt", strings.Repeat("%C3%A9", 32) + "%C3" + ".txt"},
	} {
		got := pathSafe(tt.in, MaxKeySegment)
		if got != tt.want {
			t.Errorf("pathSafe(%.40q) = %q, want %q", tt.in, got, tt.want)
		}
		if len(got) > MaxKeySegment {
			t.Errorf("pathSafe(%.40q) is %d bytes, want at most %d", tt.in, len(got), MaxKeySegment)
		}
	}
}

func TestUniqueNames(t *testing.T) {
	long := strings.Repeat("b", 1000) + ".pdf"
	files := func(names ...string) []File {
		var out []File
		for _, n := range names {
			out = append(out, File{Name: n})
		}
		return out
	}
	for _, tt := range []struct {
		name string
		in   []File
		want []string
	}{
		{"distinct", files("a.pdf", "b.pdf"), []string{"a.pdf", "b.pdf"}},
		{"repeats", files("a.pdf", "a.pdf", "a.pdf"), []string{"a.pdf", "a (2).pdf", "a (3).pdf"}},
		{"case", files("A.pdf", "a.PDF"), []string{"A.pdf", "a (2).PDF"}},
		{"no extension", files("README", "README"), []string{"README", "README (2)"}},
		{"dot file", files(".env", ".env"), []string{".env", ".env (2)"}},
		{"a repeat that is taken", files("a.pdf", "a (2).pdf", "a.pdf"), []string{"a.pdf", "a %282%29.pdf", "a (2).pdf"}},
		{"long repeats stay within the limit", files(long, long),
			[]string{strings.Repeat("b", 196) + ".pdf", strings.Repeat("b", 192) + " (2).pdf"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, uniqueNames(tt.in)); diff != "" {
				t.Errorf("uniqueNames (-want +got):\n%s", diff)
			}
		})
	}
}

func TestObjectKeys(t *testing.T) {
	for _, tt := range []struct{ conv, pkg, want string }{
		{"", "PKG-1", "uploads/_unassigned/PKG-1/a.pdf"},
		{"chat-42", "PKG-1", "uploads/chat-42/PKG-1/a.pdf"},
		{"arn:aws:connect:us-east-1:1:instance/i/contact/c", "PKG-1", "uploads/arn%3Aaws%3Aconnect%3Aus-east-1%3A1%3Ainstance%2Fi%2Fcontact%2Fc/PKG-1/a.pdf"},
		{"..", "../x", "uploads/%2E%2E/..%2Fx/a.pdf"},
	} {
		if got := objectKey("uploads/", folderOf(tt.conv), tt.pkg, "a.pdf"); got != tt.want {
			t.Errorf("key of %q, %q = %q, want %q", tt.conv, tt.pkg, got, tt.want)
		}
	}
	if got := StagingPrefix("uploads/"); got != "uploads.staging/" {
		t.Errorf("StagingPrefix = %q, want uploads.staging/", got)
	}
}

func TestSniff(t *testing.T) {
	for _, tt := range []struct {
		name, file, nameType, head string
		wantType                   string
		wantOK                     bool
	}{
		{"pdf", "a.pdf", "application/pdf", "%PDF-1.7\n", "application/pdf", true},
		{"pdf of unknown type by name", "a.pdf", "application/octet-stream", "%PDF-1.4", "application/pdf", true},
		{"windows executable named pdf", "a.pdf", "application/pdf", "MZ\x90\x00\x03", "application/octet-stream", false},
		{"elf named jpg", "a.jpg", "image/jpeg", "\x7fELF\x02\x01", "application/octet-stream", false},
		{"mach-o named txt", "a.txt", "text/plain", "\xcf\xfa\xed\xfe\x07", "application/octet-stream", false},
		{"mach-o universal named docx", "a.docx", "application/zip", "\xca\xfe\xba\xbe\x00\x00\x00\x02", "application/octet-stream", false},
		{"executable named exe", "setup.exe", "application/x-msdownload", "MZ\x90\x00", "application/octet-stream", true},
		{"executable without extension", "run", "", "\x7fELF", "application/octet-stream", true},
		{"text named pdf", "a.pdf", "application/pdf", "hello world", "text/plain; charset=utf-8", false},
		{"png named jpg", "a.jpg", "image/jpeg", "\x89PNG\r\n\x1a\n", "image/png", true},
		{"pdf named png", "a.png", "image/png", "%PDF-1.7", "application/pdf", false},
		{"zip named docx", "a.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "PK\x03\x04",
			"application/vnd.openxmlformats-officedocument.wordprocessingml.document", true},
		{"pdf named xlsx", "a.xlsx", "application/vnd.ms-excel", "%PDF-1.7", "application/pdf", false},
		{"csv", "a.csv", "text/csv", "a,b\n1,2\n", "text/csv", true},
		{"html named txt stays text", "a.txt", "text/plain", "<html><script>", "text/plain", true},
		{"binary named csv", "a.csv", "text/csv", "\x00\x01\x02\x03", "application/octet-stream", false},
		{"unknown name, known content", "a.dat", "application/octet-stream", "GIF89a", "image/gif", true},
		{"unknown name, text content", "a.dat", "application/octet-stream", "<html>", "application/octet-stream", true},
		{"empty file", "a.pdf", "application/pdf", "", "application/pdf", true},
		{"java class is no executable", "A.class", "application/java-vm", "\xca\xfe\xba\xbe\x00\x00\x00\x34", "application/java-vm", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			typ, ok := sniff(tt.file, tt.nameType, []byte(tt.head))
			if typ != tt.wantType || ok != tt.wantOK {
				t.Errorf("sniff(%q, %q) = %q, %v; want %q, %v", tt.file, tt.head, typ, ok, tt.wantType, tt.wantOK)
			}
		})
	}
}

// parts records the parts written, as an ObjectStore does.
type parts struct {
	ObjectStore
	sizes []int64
	nums  []int
}

func (p *parts) WritePart(_ context.Context, _, _ string, n int, r io.Reader, size int64) (ObjectPart, error) {
	b, _ := io.ReadAll(r)
	if int64(len(b)) != size {
		panic("size")
	}
	p.sizes, p.nums = append(p.sizes, size), append(p.nums, n)
	return ObjectPart{Number: n, Size: size}, nil
}

func TestPartWriter(t *testing.T) {
	for _, tt := range []struct {
		name      string
		total     int
		chunk     int
		wantSizes []int64
	}{
		{"empty: one empty part", 0, 1, []int64{0}},
		{"short", 1000, 7, []int64{1000}},
		{"one part and a short tail: one part", 12 * mib, mib, []int64{12 * mib}},
		{"a tail of 5 MiB stays apart", 13 * mib, 3 * mib, []int64{8 * mib, 5 * mib}},
		{"three parts", 8*mib + 8*mib + 6*mib, 1 << 16, []int64{8 * mib, 8 * mib, 6 * mib}},
		{"a short tail joins the part before it", 8*mib + 8*mib + mib, 5 * mib, []int64{8 * mib, 9 * mib}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			st := &parts{}
			w := newPartWriter(t.Context(), st, "k", "w", fileRange{PartBase: 101, PartCount: 100, PartSize: 8 * mib})
			data := bytes.Repeat([]byte{'z'}, tt.total)
			for off := 0; off < len(data); off += tt.chunk {
				if _, err := w.Write(data[off:min(off+tt.chunk, len(data))]); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.wantSizes, st.sizes); diff != "" {
				t.Errorf("part sizes (-want +got):\n%s", diff)
			}
			if st.nums[0] != 101 || w.written != int64(tt.total) || len(w.head) != min(tt.total, sniffLen) {
				t.Errorf("got first part %d, %d bytes written, head %d; want 101, %d, %d", st.nums[0], w.written, len(w.head), tt.total, min(tt.total, sniffLen))
			}
		})
	}
	t.Run("a range that outgrows its block fails", func(t *testing.T) {
		w := newPartWriter(t.Context(), &parts{}, "k", "w", fileRange{PartBase: 1, PartCount: 1, PartSize: 8 * mib})
		_, err := w.Write(make([]byte, 14*mib))
		if err == nil {
			err = w.Close()
		}
		if err != errRangeTooLong {
			t.Errorf("got %v, want errRangeTooLong", err)
		}
	})
}

// openOnly is an ObjectStore of one object that can only be opened; it
// counts the bytes it gives.
type openOnly struct {
	ObjectStore
	data []byte
	read int64
}

func (o *openOnly) Open(_ context.Context, _ string, off int64) (io.ReadCloser, ObjectInfo, error) {
	o.read += int64(len(o.data)) - off
	return io.NopCloser(bytes.NewReader(o.data[off:])), ObjectInfo{Size: int64(len(o.data))}, nil
}

// hash goes on from the first range's state and reads the rest; a state
// it cannot restore (or none, as a record written before there was one)
// means reading the whole object, never a wrong sum.
func TestHashGoesOnFromTheFirstRange(t *testing.T) {
	data := bytes.Repeat([]byte("0123456789abcdef"), 4096)
	const firstBytes = 40000
	w := newPartWriter(t.Context(), nil, "", "", fileRange{PartSize: MinObjectPart, PartCount: 1})
	w.sum.Write(data[:firstBytes])
	state := w.hashState()
	if state == nil {
		t.Fatal("the part writer gives no hash state")
	}
	want := fmt.Sprintf("%x", sha256.Sum256(data))
	for _, tt := range []struct {
		name     string
		state    []byte
		wantRead int64
	}{
		{"the first range's state", state, int64(len(data) - firstBytes)},
		{"no state", nil, int64(len(data))},
		{"a state that does not restore", []byte("sha\x03 but short"), int64(len(data))},
	} {
		t.Run(tt.name, func(t *testing.T) {
			objs := &openOnly{data: data}
			r := &Retriever{objs: objs}
			got, err := r.hash(t.Context(), "key", rangeDone{Bytes: firstBytes, HashState: tt.state})
			if err != nil || got != want || objs.read != tt.wantRead {
				t.Errorf("got %s, %v after reading %d bytes; want %s after %d", got, err, objs.read, want, tt.wantRead)
			}
		})
	}
}
