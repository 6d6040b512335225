package connector_test

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

const mib = 1 << 20

var (
	pdfHead = "%PDF-1.7\n"
	pngHead = "\x89PNG\r\n\x1a\n"
	exeHead = "MZ\x90\x00"
)

func TestRetrieveStoresEachAcceptedFile(t *testing.T) {
	pdf := blob(pdfHead, 3000, 'a')
	png := blob(pngHead, 700, 'b')
	text := []byte("name,amount\nA,1\n")
	e := newFilesEnv(t, []fileSpec{
		{"F1", "statement.pdf", [][]byte{pdf[:1000], pdf[1000:]}},
		{"F2", "photo.jpg", [][]byte{png}},
		{"F3", "../etc/passwd\x00.csv", [][]byte{text}},
		{"F4", "statement.pdf", [][]byte{pdf}},
	})
	e.drain(t, 1)

	folder := "uploads/chat%2F42/" + filesPackage + "/"
	want := map[string]struct {
		data []byte
		typ  string
	}{
		folder + "statement.pdf":            {pdf, "application/pdf"},
		folder + "photo.jpg":                {png, "image/png"},
		folder + "..%2Fetc%2Fpasswd%00.csv": {text, "application/octet-stream"},
		folder + "statement (2).pdf":        {pdf, "application/pdf"},
	}
	if diff := cmp.Diff(len(want), len(e.objs.Keys())); diff != "" {
		t.Errorf("objects %v (-want +got count):\n%s", e.objs.Keys(), diff)
	}
	for key, w := range want {
		data, meta, ok := e.objs.Object(key)
		if !ok {
			t.Errorf("no object %q; have %v", key, e.objs.Keys())
			continue
		}
		if !bytes.Equal(data, w.data) {
			t.Errorf("%s: got %d bytes, want %d as uploaded", key, len(data), len(w.data))
		}
		if meta.ContentType != w.typ || meta.Metadata["sha256"] != sum(w.data) || meta.Metadata["package-id"] != filesPackage {
			t.Errorf("%s: got meta %+v, want type %s and sha256 %s", key, meta, w.typ, sum(w.data))
		}
	}
	for _, f := range e.files(t) {
		if f.Stored != connector.StoredDone || !strings.HasPrefix(f.Location, "mem://"+folder) || f.Sha256 == "" {
			t.Errorf("file %s: got stored %q at %q (%q), want stored with location and sha256", f.ID, f.Stored, f.Location, f.Sha256)
		}
	}
	evs := e.stored()
	if len(evs) != 1 {
		t.Fatalf("got %d upload.stored events, want 1", len(evs))
	}
	wantFiles := []connector.EventFile{
		{ID: "F1", Size: 3000, Status: "stored", Sha256: sum(pdf), Location: "mem://" + folder + "statement.pdf"},
		{ID: "F2", Size: 700, Status: "stored", Sha256: sum(png), Location: "mem://" + folder + "photo.jpg"},
		{ID: "F3", Size: int64(len(text)), Status: "stored", Sha256: sum(text), Location: "mem://" + folder + "..%2Fetc%2Fpasswd%00.csv"},
		{ID: "F4", Size: 3000, Status: "stored", Sha256: sum(pdf), Location: "mem://" + folder + "statement (2).pdf"},
	}
	if diff := cmp.Diff(wantFiles, evs[0].Files); diff != "" {
		t.Errorf("upload.stored files (-want +got):\n%s", diff)
	}
	if ev := evs[0]; ev.UploadID != e.uploadID || ev.PackageID != filesPackage || ev.ConversationID != "chat/42" ||
		ev.ID != connector.EventID(connector.EventStored, e.uploadID, filesPackage) {
		t.Errorf("got event %+v, want the upload's ids and a stable id", ev)
	}
	if strings.Contains(strings.Join(e.objs.Keys(), " "), e.uploadID) {
		t.Errorf("a key names the upload id: %v", e.objs.Keys())
	}
}

func TestStoredEventNamesFilesOnlyWhenAsked(t *testing.T) {
	for _, tt := range []struct {
		name string
		opts []filesOption
		want string
	}{
		{"names off", nil, ""},
		{"names on", []filesOption{withNames}, "a.txt"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newFilesEnv(t, []fileSpec{{"F1", "a.txt", [][]byte{[]byte("hello")}}}, tt.opts...)
			e.drain(t, 1)
			evs := e.stored()
			if len(evs) != 1 || evs[0].Files[0].Name != tt.want {
				t.Errorf("got events %+v, want one naming %q", evs, tt.want)
			}
		})
	}
}

// A file of more SendSafely parts than a range holds is written by one
// job per range, all at once, into one multipart write; the last range to
// finish completes it. Its SHA-256 goes on from the first range's: only
// the later ranges' bytes are read back, whichever range finishes last.
func TestRetrieveRangesOfOneFile(t *testing.T) {
	parts := [][]byte{blob(pdfHead, 9*mib, 'c'), blob("", 9*mib, 'd'), blob("", 9*mib, 'e')}
	whole := bytes.Join(parts, nil)
	for _, tt := range []struct {
		name  string
		order []int
	}{
		{"the last range first", []int{2, 1, 0}},
		{"in order", []int{0, 1, 2}},
		{"the first range in the middle", []int{1, 0, 2}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			// 9 MiB parts, one a range (the least a range may hold is 8 MiB).
			e := newFilesEnv(t, []fileSpec{{"BIG", "big.pdf", parts}}, rangeParts(1))
			if err := e.r.Retrieve(t.Context(), e.fanOut()); err != nil {
				t.Fatal(err)
			}
			jobs := e.q.Take()
			if len(jobs) != 3 {
				t.Fatalf("got %d jobs %+v, want 3 ranges", len(jobs), jobs)
			}
			for _, i := range tt.order {
				if err := e.r.Retrieve(t.Context(), jobs[i]); err != nil {
					t.Fatalf("range %d: %v", i, err)
				}
			}
			data, meta, ok := e.objs.Object("uploads/chat%2F42/" + filesPackage + "/big.pdf")
			if !ok || !bytes.Equal(data, whole) || meta.Metadata["sha256"] != sum(whole) {
				t.Fatalf("got object of %d bytes (ok %v, sha256 %s), want the %d bytes of the file", len(data), ok, meta.Metadata["sha256"], len(whole))
			}
			if got := e.files(t)[0]; got.Sha256 != sum(whole) || got.Size != int64(len(whole)) {
				t.Errorf("got file %+v, want sha256 %s of %d bytes", got, sum(whole), len(whole))
			}
			if n := len(e.stored()); n != 1 {
				t.Errorf("got %d upload.stored, want 1", n)
			}
			if got, want := e.objs.Read(), int64(len(whole)-len(parts[0])); got != want {
				t.Errorf("the SHA-256 read back %d bytes, want the %d after the first range", got, want)
			}
		})
	}
}

// The same messages delivered three times, at once: one object, one
// event, and no range fetched after it was written.
func TestRetrieveRedelivered(t *testing.T) {
	parts := [][]byte{blob(pdfHead, 9*mib, 'f'), blob("", 9*mib, 'g')}
	e := newFilesEnv(t, []fileSpec{{"F1", "a.pdf", parts}, {"F2", "b.txt", [][]byte{[]byte("b")}}}, rangeParts(1))
	for range 3 {
		if err := e.r.Retrieve(t.Context(), e.fanOut()); err != nil {
			t.Fatal(err)
		}
	}
	e.q.Take()
	e.drain(t, 3)
	if got := e.objs.Keys(); len(got) != 2 {
		t.Errorf("got objects %v, want 2", got)
	}
	if n := len(e.stored()); n != 1 {
		t.Errorf("got %d upload.stored, want 1", n)
	}
	if n := e.objs.Writes(); n != 0 {
		t.Errorf("got %d writes left open, want 0", n)
	}
	calls := e.src.Calls
	e.drain(t, 1) // after the end: nothing is fetched again
	if e.src.Calls != calls || len(e.stored()) != 1 {
		t.Errorf("a delivery after the end fetched %d ranges and published %d events, want 0 and still 1", e.src.Calls-calls, len(e.stored()))
	}
}

// A part that does not decrypt fails its file at once: no object is left,
// the multipart write is aborted, and upload.stored says failed.
func TestRetrieveCorruptPart(t *testing.T) {
	for _, tt := range []struct {
		name  string
		parts [][]byte
		bad   int
		per   int
	}{
		{"one range", [][]byte{[]byte("part one "), []byte("part two")}, 2, 400},
		{"second of three ranges", [][]byte{blob(pdfHead, 9*mib, 'h'), blob("", 9*mib, 'i'), blob("", 9*mib, 'j')}, 2, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newFilesEnv(t, []fileSpec{{"F1", "a.pdf", tt.parts}, {"F2", "ok.txt", [][]byte{[]byte("fine")}}}, rangeParts(tt.per))
			e.src.Corrupt = map[string]int{"F1": tt.bad}
			e.drain(t, 1)
			files := e.files(t)
			if files[0].Stored != connector.StoredFailed || files[0].Location != "" || files[1].Stored != connector.StoredDone {
				t.Errorf("got files %+v, want the first failed, the second stored", files)
			}
			if keys := e.objs.Keys(); len(keys) != 1 || !strings.HasSuffix(keys[0], "/ok.txt") {
				t.Errorf("got objects %v, want ok.txt only", keys)
			}
			if e.objs.Writes() != 0 || e.objs.Aborted == 0 {
				t.Errorf("got %d open writes and %d aborted, want 0 open and the write aborted", e.objs.Writes(), e.objs.Aborted)
			}
			evs := e.stored()
			if len(evs) != 1 || evs[0].Files[0].Status != connector.StoredFailed || evs[0].Files[0].Sha256 != "" {
				t.Errorf("got events %+v, want one with the file failed", evs)
			}
		})
	}
}

// SendSafely down: the job fails to be tried again and the file stays
// pending; once it is back, the retry stores the file.
func TestRetrieveSendSafelyDownThenUp(t *testing.T) {
	e := newFilesEnv(t, []fileSpec{{"F1", "a.txt", [][]byte{[]byte("hello")}}})
	if err := e.r.Retrieve(t.Context(), e.fanOut()); err != nil {
		t.Fatal(err)
	}
	job := e.q.Take()[0]
	e.src.SetErr(fmt.Errorf("sendsafely: %w", connector.ErrUnavailable))
	for range 2 {
		if err := e.r.Retrieve(t.Context(), job); !errors.Is(err, connector.ErrUnavailable) {
			t.Fatalf("got %v, want ErrUnavailable", err)
		}
	}
	if f := e.files(t)[0]; f.Stored != connector.StoredPending || len(e.stored()) != 0 {
		t.Errorf("got %q and %d events while down, want pending and none", f.Stored, len(e.stored()))
	}
	e.src.SetErr(nil)
	if err := e.r.Retrieve(t.Context(), job); err != nil {
		t.Fatalf("retry: %v", err)
	}
	if f := e.files(t)[0]; f.Stored != connector.StoredDone || len(e.stored()) != 1 {
		t.Errorf("got %q and %d events after the retry, want stored and one", f.Stored, len(e.stored()))
	}
}

// A job that fails on its last attempt fails its file, so the failure
// shows in the manifest and in upload.stored.
func TestGiveUpFailsTheFile(t *testing.T) {
	e := newFilesEnv(t, []fileSpec{{"F1", "a.txt", [][]byte{[]byte("hello")}}})
	if err := e.r.Retrieve(t.Context(), e.fanOut()); err != nil {
		t.Fatal(err)
	}
	job := e.q.Take()[0]
	e.src.SetErr(fmt.Errorf("sendsafely: %w", connector.ErrUnavailable))
	if err := e.r.Retrieve(t.Context(), job); !errors.Is(err, connector.ErrUnavailable) {
		t.Fatalf("got %v, want ErrUnavailable", err)
	}
	if err := e.r.GiveUp(t.Context(), job); err != nil {
		t.Fatal(err)
	}
	evs := e.stored()
	if f := e.files(t)[0]; f.Stored != connector.StoredFailed || len(evs) != 1 || evs[0].Files[0].Status != connector.StoredFailed {
		t.Errorf("got %q and events %+v, want failed and one upload.stored", f.Stored, evs)
	}
	if e.objs.Writes() != 0 || len(e.objs.Keys()) != 0 {
		t.Errorf("got %d writes and objects %v left, want none", e.objs.Writes(), e.objs.Keys())
	}
}

// Content that is not what its name says is rejected at retrieval and
// its object removed.
func TestRetrieveContentMismatch(t *testing.T) {
	e := newFilesEnv(t, []fileSpec{{"F1", "invoice.pdf", [][]byte{blob(exeHead, 4096, 'k')}}})
	e.drain(t, 1)
	f := e.files(t)[0]
	if f.Status != connector.FileRejected || f.Reason != connector.ReasonContent || f.Stored != connector.StoredFailed || f.Message == "" {
		t.Errorf("got %+v, want rejected for its content", f)
	}
	if keys := e.objs.Keys(); len(keys) != 0 {
		t.Errorf("got objects %v, want none", keys)
	}
	if evs := e.stored(); len(evs) != 1 || evs[0].Files[0].Status != connector.FileRejected {
		t.Errorf("got events %+v, want one with the file rejected", evs)
	}
}

func TestRetrieveEdgeSizes(t *testing.T) {
	for _, tt := range []struct {
		name  string
		parts [][]byte
	}{
		{"no parts", nil},
		{"one empty part", [][]byte{{}}},
		{"one part", [][]byte{[]byte("x")}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newFilesEnv(t, []fileSpec{{"F1", "a.bin", tt.parts}})
			e.drain(t, 1)
			want := bytes.Join(tt.parts, nil)
			data, _, ok := e.objs.Object("uploads/chat%2F42/" + filesPackage + "/a.bin")
			if !ok || !bytes.Equal(data, want) {
				t.Errorf("got %q (ok %v), want %q", data, ok, want)
			}
			if f := e.files(t)[0]; f.Sha256 != sum(want) {
				t.Errorf("got sha256 %s, want %s", f.Sha256, sum(want))
			}
		})
	}
}

func TestRetrieveNeedsVerifiedMode(t *testing.T) {
	e := newFilesEnv(t, []fileSpec{{"F1", "a.txt", [][]byte{[]byte("x")}}})
	e.Keys.Set(connector.KeySet{ValidationKey: "k"})
	if err := e.r.Retrieve(t.Context(), e.fanOut()); !errors.Is(err, connector.ErrUnavailable) {
		t.Errorf("got %v, want ErrUnavailable with verified mode off", err)
	}
}

func TestRetrieveRefusesMalformedJobs(t *testing.T) {
	e := newFilesEnv(t, []fileSpec{{"F1", "a.txt", [][]byte{[]byte("x")}}})
	for _, job := range []connector.FileJob{
		{UploadID: "not-a-uuid", PackageID: filesPackage},
		{UploadID: e.uploadID},
		{UploadID: e.uploadID, PackageID: filesPackage, FileID: "NOPE"},
	} {
		if err := e.r.Retrieve(t.Context(), job); !errors.Is(err, connector.ErrInvalid) {
			t.Errorf("job %+v: got %v, want ErrInvalid", job, err)
		}
	}
}

// A fan-out that fails on its last attempt (SendSafely down before any
// file was planned) fails every accepted file, and says so once.
func TestGiveUpFanOut(t *testing.T) {
	e := newFilesEnv(t, []fileSpec{{"F1", "a.txt", [][]byte{[]byte("a")}}, {"F2", "b.txt", [][]byte{[]byte("b")}}})
	e.pkgs.SetErr(fmt.Errorf("sendsafely: %w", connector.ErrUnavailable))
	if err := e.r.Retrieve(t.Context(), e.fanOut()); !errors.Is(err, connector.ErrUnavailable) {
		t.Fatalf("got %v, want ErrUnavailable", err)
	}
	for range 2 {
		if err := e.r.GiveUp(t.Context(), e.fanOut()); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range e.files(t) {
		if f.Stored != connector.StoredFailed {
			t.Errorf("file %s: got %q, want failed", f.ID, f.Stored)
		}
	}
	if evs := e.stored(); len(evs) != 1 || len(evs[0].Files) != 2 || evs[0].Files[1].Status != connector.StoredFailed {
		t.Errorf("got events %+v, want one listing both files failed", evs)
	}
}

// A file whose last SendSafely part is empty (SendSafely's Python client
// declares a file of whole segments with one part more than it fills) is
// stored byte for byte, whether the empty part shares a range with the
// parts before it or is a range of its own.
func TestRetrieveTrailingEmptyPart(t *testing.T) {
	seg := 2621440
	for _, tt := range []struct {
		name       string
		parts      [][]byte
		per        int
		wantRanges int
	}{
		{"2,621,440 bytes in 2 parts", [][]byte{blob(pdfHead, seg, 'k'), {}}, 400, 1},
		{"5,242,880 bytes in 3 parts, a range a part", [][]byte{blob(pdfHead, seg, 'l'), blob("", seg, 'm'), {}}, 1, 1},
		{"the empty part a range of its own", [][]byte{blob(pdfHead, 12*mib, 'n'), blob("", 12*mib, 'o'), {}}, 1, 3},
	} {
		t.Run(tt.name, func(t *testing.T) {
			whole := bytes.Join(tt.parts, nil)
			e := newFilesEnv(t, []fileSpec{{"F1", "a.pdf", tt.parts}}, rangeParts(tt.per))
			if err := e.r.Retrieve(t.Context(), e.fanOut()); err != nil {
				t.Fatal(err)
			}
			jobs := e.q.Take()
			if len(jobs) != tt.wantRanges {
				t.Fatalf("got %d range jobs, want %d", len(jobs), tt.wantRanges)
			}
			for _, j := range jobs {
				if err := e.r.Retrieve(t.Context(), j); err != nil {
					t.Fatalf("range %d: %v", j.Range, err)
				}
			}
			data, meta, ok := e.objs.Object("uploads/chat%2F42/" + filesPackage + "/a.pdf")
			if !ok || !bytes.Equal(data, whole) || meta.Metadata["sha256"] != sum(whole) {
				t.Fatalf("got object of %d bytes (ok %v, sha256 %s), want the %d bytes of the file", len(data), ok, meta.Metadata["sha256"], len(whole))
			}
			if got := e.files(t)[0]; got.Stored != connector.StoredDone || got.Sha256 != sum(whole) || got.Size != int64(len(whole)) {
				t.Errorf("got file %+v, want stored, sha256 %s of %d bytes", got, sum(whole), len(whole))
			}
			if e.objs.Writes() != 0 {
				t.Errorf("got %d writes left open, want 0", e.objs.Writes())
			}
		})
	}
}
