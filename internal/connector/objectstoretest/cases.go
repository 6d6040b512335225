package objectstoretest

import (
	"bytes"
	"errors"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

func partsOutOfOrder(t *testing.T, s connector.ObjectStore) {
	const key = "order/file.bin"
	one, three, five := content(1, MinPart), content(3, MinPart+7), content(5, 1000)
	id := begin(t, s, key)
	p5 := writePart(t, s, key, id, 5, five)
	p1 := writePart(t, s, key, id, 1, one)
	p3 := writePart(t, s, key, id, 3, three)
	if err := s.Finish(t.Context(), key, id, []connector.ObjectPart{p1, p3, p5}); err != nil {
		t.Fatalf("Finish: %v", err)
	}
	wantContent(t, s, key, bytes.Join([][]byte{one, three, five}, nil))
}

func partWrittenTwice(t *testing.T, s connector.ObjectStore) {
	const key = "twice/file.txt"
	id := begin(t, s, key)
	first := writePart(t, s, key, id, 1, []byte("first version"))
	second := writePart(t, s, key, id, 1, []byte("second"))
	if first.ETag == second.ETag {
		t.Fatalf("the ETags of different contents are both %q", first.ETag)
	}
	err := s.Finish(t.Context(), key, id, []connector.ObjectPart{first})
	wantErr(t, "Finish with the replaced part", err, connector.ErrInvalid)
	if err := s.Finish(t.Context(), key, id, []connector.ObjectPart{second}); err != nil {
		t.Fatalf("Finish: %v", err)
	}
	wantContent(t, s, key, []byte("second"))
}

func partsInParallel(t *testing.T, s connector.ObjectStore) {
	const key = "parallel/file.bin"
	one, two := content(11, MinPart), content(12, 4096)
	id := begin(t, s, key)
	parts := make([]connector.ObjectPart, 2)
	errs := make([]error, 2)
	var wg sync.WaitGroup
	for i, b := range [][]byte{one, two} {
		wg.Go(func() {
			parts[i], errs[i] = s.WritePart(t.Context(), key, id, i+1, stream{bytes.NewReader(b)}, int64(len(b)))
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatalf("WritePart: %v", err)
	}
	if err := s.Finish(t.Context(), key, id, parts); err != nil {
		t.Fatalf("Finish: %v", err)
	}
	wantContent(t, s, key, append(one, two...))
}

func emptyObject(t *testing.T, s connector.ObjectStore) {
	const staging, final = "empty/.staging/file", "empty/file"
	put(t, s, staging, nil)
	wantContent(t, s, staging, nil)
	if err := s.Promote(t.Context(), staging, final, connector.ObjectMeta{ContentType: "text/plain"}); err != nil {
		t.Fatalf("Promote: %v", err)
	}
	wantContent(t, s, final, nil)
}

// emptyLastPart: a file whose last SendSafely part is empty, in a range of
// its own, ends its write with an empty part.
func emptyLastPart(t *testing.T, s connector.ObjectStore) {
	const key = "emptylast/file"
	one := content(1, MinPart)
	id := begin(t, s, key)
	parts := []connector.ObjectPart{writePart(t, s, key, id, 1, one), writePart(t, s, key, id, 2, nil)}
	if err := s.Finish(t.Context(), key, id, parts); err != nil {
		t.Fatalf("Finish: %v", err)
	}
	wantContent(t, s, key, one)
}

func shortPart(t *testing.T, s connector.ObjectStore) {
	const key = "short/file"
	id := begin(t, s, key)
	parts := []connector.ObjectPart{writePart(t, s, key, id, 1, content(1, 1024)), writePart(t, s, key, id, 2, content(2, 1024))}
	wantErr(t, "Finish", s.Finish(t.Context(), key, id, parts), connector.ErrInvalid)
	wantErr(t, "Abort", s.Abort(t.Context(), key, id), nil)
	_, err := s.Stat(t.Context(), key)
	wantErr(t, "Stat", err, connector.ErrNotFound)
}

func noParts(t *testing.T, s connector.ObjectStore) {
	const key = "none/file"
	id := begin(t, s, key)
	wantErr(t, "Finish", s.Finish(t.Context(), key, id, nil), connector.ErrInvalid)
	wantErr(t, "Abort", s.Abort(t.Context(), key, id), nil)
}

func abortUnknown(t *testing.T, s connector.ObjectStore) {
	const key = "abort/file"
	ctx := t.Context()
	id := begin(t, s, key)
	writePart(t, s, key, id, 1, []byte("x"))
	wantErr(t, "Abort", s.Abort(ctx, key, id), nil)
	wantErr(t, "Abort again", s.Abort(ctx, key, id), nil)
	wantErr(t, "Abort of an unknown write", s.Abort(ctx, key, "no-such-write"), nil)
	_, err := s.Stat(ctx, key)
	wantErr(t, "Stat", err, connector.ErrNotFound)
}

func unknownWrites(t *testing.T, s connector.ObjectStore) {
	const key = "unknown/file"
	ctx := t.Context()
	id := begin(t, s, key)
	p := writePart(t, s, key, id, 1, []byte("x"))
	wantErr(t, "Abort", s.Abort(ctx, key, id), nil)
	wantErr(t, "Finish of an aborted write", s.Finish(ctx, key, id, []connector.ObjectPart{p}), connector.ErrNotFound)
	wantErr(t, "Finish of an unknown write", s.Finish(ctx, key, "no-such-write", []connector.ObjectPart{p}), connector.ErrNotFound)
	_, err := s.WritePart(ctx, key, id, 1, stream{bytes.NewReader([]byte("y"))}, 1)
	wantErr(t, "WritePart of an aborted write", err, connector.ErrNotFound)
	_, err = s.Stat(ctx, key)
	wantErr(t, "Stat", err, connector.ErrNotFound)
}

// finishTwice: a write finished before may be unknown (ErrNotFound) or,
// as S3 answers for a while, finished again; either way the object stays.
func finishTwice(t *testing.T, s connector.ObjectStore) {
	const key = "twice-finished/file"
	id := begin(t, s, key)
	parts := []connector.ObjectPart{writePart(t, s, key, id, 1, []byte("whole"))}
	if err := s.Finish(t.Context(), key, id, parts); err != nil {
		t.Fatalf("Finish: %v", err)
	}
	if err := s.Finish(t.Context(), key, id, parts); err != nil && !errors.Is(err, connector.ErrNotFound) {
		t.Errorf("Finish again: got %v, want nil or ErrNotFound", err)
	}
	wantContent(t, s, key, []byte("whole"))
}

func promote(t *testing.T, s connector.ObjectStore) {
	const staging, final = "promote/.staging/statement.pdf", "promote/statement.pdf"
	ctx := t.Context()
	body := content(7, 2000)
	put(t, s, staging, body)
	meta := connector.ObjectMeta{ContentType: "application/pdf", Metadata: map[string]string{
		"package-id": "PKG-1", "file-id": "f-1", "original-name": "st%C3%A4tement.pdf",
		"sha256": "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae",
	}}
	wantErr(t, "Promote", s.Promote(ctx, staging, final, meta), nil)
	wantContent(t, s, final, body)
	st, err := s.Stat(ctx, final)
	if err != nil {
		t.Fatalf("Stat: %v", err)
	}
	if diff := cmp.Diff(meta, st.ObjectMeta); diff != "" {
		t.Errorf("Stat after Promote (-want +got):\n%s", diff)
	}
	_, err = s.Stat(ctx, staging)
	wantErr(t, "Stat of staging after Promote", err, connector.ErrNotFound)
	wantErr(t, "Promote again", s.Promote(ctx, staging, final, meta), nil)
	wantContent(t, s, final, body)
}

func promoteReplaces(t *testing.T, s connector.ObjectStore) {
	const staging, final = "replace/.staging/file", "replace/file"
	put(t, s, final, []byte("old content"))
	put(t, s, staging, []byte("new"))
	if err := s.Promote(t.Context(), staging, final, connector.ObjectMeta{ContentType: "text/plain"}); err != nil {
		t.Fatalf("Promote: %v", err)
	}
	wantContent(t, s, final, []byte("new"))
}

func promoteNothing(t *testing.T, s connector.ObjectStore) {
	err := s.Promote(t.Context(), "nothing/.staging/file", "nothing/file", connector.ObjectMeta{})
	wantErr(t, "Promote", err, connector.ErrNotFound)
}

func openAtOffset(t *testing.T, s connector.ObjectStore) {
	const key = "offset/file"
	put(t, s, key, []byte("0123456789"))
	for _, tt := range []struct {
		off  int64
		want string
	}{{0, "0123456789"}, {4, "456789"}, {9, "9"}, {10, ""}, {25, ""}} {
		got, info := read(t, s, key, tt.off)
		if string(got) != tt.want || info.Size != 10 {
			t.Errorf("Open at %d: got %q of size %d, want %q of size 10", tt.off, got, info.Size, tt.want)
		}
	}
	_, _, err := s.Open(t.Context(), key, -1)
	wantErr(t, "Open at -1", err, connector.ErrInvalid)
}

func missingObject(t *testing.T, s connector.ObjectStore) {
	_, err := s.Stat(t.Context(), "missing/file")
	wantErr(t, "Stat", err, connector.ErrNotFound)
	_, _, err = s.Open(t.Context(), "missing/file", 0)
	wantErr(t, "Open", err, connector.ErrNotFound)
	_, _, err = s.Open(t.Context(), "missing/file", 3)
	wantErr(t, "Open at 3", err, connector.ErrNotFound)
}

func deleteObject(t *testing.T, s connector.ObjectStore) {
	const key = "delete/file"
	ctx := t.Context()
	wantErr(t, "Delete of a missing object", s.Delete(ctx, key), nil)
	put(t, s, key, []byte("bytes"))
	wantErr(t, "Delete", s.Delete(ctx, key), nil)
	_, err := s.Stat(ctx, key)
	wantErr(t, "Stat after Delete", err, connector.ErrNotFound)
	wantErr(t, "Delete again", s.Delete(ctx, key), nil)
}

func keysOfEveryKind(t *testing.T, s connector.ObjectStore) {
	for _, name := range []string{"with space.txt", "100% sure %41.txt", "café ü 日本.txt", "report (2).pdf", "a+b=c&d?e#f.txt"} {
		t.Run(name, func(t *testing.T) {
			staging, final := "keys/.staging/"+name, "keys/conversation/"+name
			body := []byte("content of " + name)
			put(t, s, staging, body)
			if err := s.Promote(t.Context(), staging, final, connector.ObjectMeta{ContentType: "text/plain"}); err != nil {
				t.Fatalf("Promote: %v", err)
			}
			wantContent(t, s, final, body)
			if got := s.Location(final); len(got) < len(final) || got[len(got)-len(final):] != final {
				t.Errorf("Location: got %q, want it to end in the key", got)
			}
			if got := get(t, s, final); !bytes.Equal(got, body) {
				t.Errorf("presigned GET: got %q, want %q", got, body)
			}
			wantErr(t, "Delete", s.Delete(t.Context(), final), nil)
		})
	}
}
