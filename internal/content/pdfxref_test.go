package content

import (
	"os"
	"testing"
)

// TestReadXrefStream reads qpdf's xref stream (PNG predictor 12) and
// finds the objects it keeps in object streams, so checkXref sees real
// xref streams and not only the hostile ones.
func TestReadXrefStream(t *testing.T) {
	b, err := os.ReadFile("testdata/objstm.pdf")
	if err != nil {
		t.Fatal(err)
	}
	at := patterns().streamDict.FindIndex(b)
	if at == nil {
		t.Fatal("no xref stream in objstm.pdf")
	}
	inStream := map[int]int{}
	if err := readXrefStream(b, at[0], inStream); err != nil {
		t.Fatal(err)
	}
	if len(inStream) < 5 {
		t.Fatalf("got %d objects in object streams, want at least 5: %v", len(inStream), inStream)
	}
	for obj, strm := range inStream {
		if _, nested := inStream[strm]; nested || strm == obj || strm <= 0 {
			t.Errorf("object %d in stream %d: not a plain object stream", obj, strm)
		}
	}
	if err := checkXref(b); err != nil {
		t.Errorf("checkXref: %v", err)
	}
}
