// Package objectstoretest holds a connector.ObjectStore implementation to
// the contract documented on the interface, with one table of cases every
// store runs.
package objectstoretest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// MinPart is the smallest size of a part that is not the last: S3's.
const MinPart = 5 << 20

// Contract runs the contract's cases on s, each under keys of its own:
// multipart writes (parts out of order, gaps in their numbers, a part
// written twice, writers in parallel, an empty object, an empty last
// part), the writes S3 refuses, Finish and Abort of unknown writes,
// Promote and its idempotence, Stat, Open at an offset, Delete, Presign
// read with a plain GET, and keys with spaces, percent signs, non-ASCII
// letters and parentheses.
//
// gaps names the cases an emulator is known to fail where the real
// service does not, each with why; Contract skips them, saying why. The
// adapter's own tests must then cover what was skipped another way.
func Contract(t *testing.T, s connector.ObjectStore, gaps Gaps) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			if why, ok := gaps[tt.name]; ok {
				t.Skip(why)
			}
			tt.run(t, s)
		})
	}
}

// Gaps maps the name of a case to why a store is not held to it.
type Gaps map[string]string

// Names of the cases an emulator may miss.
const (
	// UnknownWrites: WritePart and Finish of an unknown or aborted
	// write answer ErrNotFound.
	UnknownWrites = "write and finish of unknown writes"
)

var cases = []struct {
	name string
	run  func(t *testing.T, s connector.ObjectStore)
}{
	{"parts out of order with gaps", partsOutOfOrder},
	{"part written twice", partWrittenTwice},
	{"parts written in parallel", partsInParallel},
	{"empty object", emptyObject},
	{"empty last part", emptyLastPart},
	{"short part before the last", shortPart},
	{"finish without parts", noParts},
	{"abort of unknown writes", abortUnknown},
	{UnknownWrites, unknownWrites},
	{"finish twice", finishTwice},
	{"promote", promote},
	{"promote replaces final", promoteReplaces},
	{"promote of nothing", promoteNothing},
	{"open at an offset", openAtOffset},
	{"missing object", missingObject},
	{"delete", deleteObject},
	{"keys of every kind", keysOfEveryKind},
}

// content returns n bytes that differ from those of another seed.
func content(seed byte, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = seed + byte(i%251)
	}
	return b
}

// stream hides every method of r but Read, as the domain's decrypted
// stream does: a store must not need to seek.
type stream struct{ io.Reader }

// writePart writes part n of id from b and fails t on an error.
func writePart(t *testing.T, s connector.ObjectStore, key, id string, n int, b []byte) connector.ObjectPart {
	t.Helper()
	p, err := s.WritePart(t.Context(), key, id, n, stream{bytes.NewReader(b)}, int64(len(b)))
	if err != nil {
		t.Fatalf("WritePart %d: %v", n, err)
	}
	if p.Number != n || p.Size != int64(len(b)) || p.ETag == "" {
		t.Fatalf("WritePart %d: got %+v, want number %d, size %d and an ETag", n, p, n, len(b))
	}
	return p
}

// begin starts a write of key and fails t on an error.
func begin(t *testing.T, s connector.ObjectStore, key string) string {
	t.Helper()
	id, err := s.Begin(t.Context(), key)
	if err != nil {
		t.Fatalf("Begin %q: %v", key, err)
	}
	return id
}

// put writes key whole from parts numbered 1, 2, ….
func put(t *testing.T, s connector.ObjectStore, key string, parts ...[]byte) {
	t.Helper()
	id := begin(t, s, key)
	var done []connector.ObjectPart
	for i, b := range parts {
		done = append(done, writePart(t, s, key, id, i+1, b))
	}
	if err := s.Finish(t.Context(), key, id, done); err != nil {
		t.Fatalf("Finish %q: %v", key, err)
	}
}

// read returns the content of key from off on, and its description.
func read(t *testing.T, s connector.ObjectStore, key string, off int64) ([]byte, connector.ObjectInfo) {
	t.Helper()
	rc, info, err := s.Open(t.Context(), key, off)
	if err != nil {
		t.Fatalf("Open %q at %d: %v", key, off, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatalf("Open %q at %d: read: %v", key, off, err)
	}
	return b, info
}

// wantContent fails t unless key holds want.
func wantContent(t *testing.T, s connector.ObjectStore, key string, want []byte) {
	t.Helper()
	got, info := read(t, s, key, 0)
	if !bytes.Equal(got, want) {
		t.Errorf("content of %q: got %d bytes, want %d (%s)", key, len(got), len(want), firstDiff(got, want))
	}
	if info.Size != int64(len(want)) {
		t.Errorf("Open %q: got size %d, want %d", key, info.Size, len(want))
	}
	st, err := s.Stat(t.Context(), key)
	if err != nil {
		t.Fatalf("Stat %q: %v", key, err)
	}
	if st.Size != int64(len(want)) || st.Key != key {
		t.Errorf("Stat %q: got key %q size %d, want size %d", key, st.Key, st.Size, len(want))
	}
}

func firstDiff(a, b []byte) string {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return fmt.Sprintf("first difference at byte %d", i)
		}
	}
	return "one is a prefix of the other"
}

// wantErr fails t unless err is want (nil: no error).
func wantErr(t *testing.T, what string, err, want error) {
	t.Helper()
	if want == nil && err != nil || want != nil && !errors.Is(err, want) {
		t.Errorf("%s: got %v, want %v", what, err, want)
	}
}

// get reads key through a URL from Presign with a plain GET.
func get(t *testing.T, s connector.ObjectStore, key string) []byte {
	t.Helper()
	u, err := s.Presign(t.Context(), key, 5*time.Minute)
	if err != nil {
		t.Fatalf("Presign: %v", err)
	}
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, u, nil)
	if err != nil {
		t.Fatalf("Presign: a URL net/http cannot request: %v", err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET of the presigned URL: %v", err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || err != nil {
		t.Fatalf("GET of the presigned URL: got %s (%v), want 200 OK", resp.Status, err)
	}
	return b
}
