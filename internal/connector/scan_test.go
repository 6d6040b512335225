package connector_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/wiring/connectortest"
)

// scanning turns the malware scan on.
func scanning(_ *connector.Settings, r *connector.RetrievalSettings) { r.MalwareScan = true }

var twoFiles = []fileSpec{
	{id: "F1", name: "a.txt", parts: [][]byte{[]byte("hello")}},
	{id: "F2", name: "b.txt", parts: [][]byte{[]byte("world")}},
}

// newScanEnv is a stored package of files, retrieved with scanning on, its
// SendSafely label the upload id.
func newScanEnv(t *testing.T, files []fileSpec, opts ...filesOption) *filesEnv {
	t.Helper()
	e := newFilesEnv(t, files, append([]filesOption{scanning}, opts...)...)
	e.pkgs.SetLabel(filesPackage, e.uploadID)
	return e
}

// keyOf returns the final key of file id.
func (e *filesEnv) keyOf(t *testing.T, id string) string {
	t.Helper()
	for _, f := range e.files(t) {
		if f.ID == id {
			return strings.TrimPrefix(f.Location, "mem://")
		}
	}
	t.Fatalf("no file %s", id)
	return ""
}

// scanned returns the upload.scanned events published.
func (e *filesEnv) scanned() []connector.Event {
	var out []connector.Event
	for _, ev := range e.Published().Events() {
		if ev.Type == connector.EventScanned {
			out = append(out, ev)
		}
	}
	return out
}

func (e *filesEnv) record(t *testing.T, id, verdict string) connector.ScanResult {
	t.Helper()
	res, err := e.r.RecordScan(t.Context(), connector.ScanVerdict{Key: e.keyOf(t, id), Scan: verdict})
	if err != nil {
		t.Fatalf("RecordScan(%s, %s): %v", id, verdict, err)
	}
	return res
}

func TestScanVerdicts(t *testing.T) {
	for _, tt := range []struct {
		verdict string
		ready   bool
		why     string
	}{
		{connector.ScanClean, true, ""},
		{connector.ScanThreat, false, "threat found"},
		{connector.ScanUnsupported, false, "could not be scanned"},
		{connector.ScanFailed, false, "malware scan failed"},
	} {
		t.Run(tt.verdict, func(t *testing.T) {
			e := newScanEnv(t, twoFiles[:1])
			e.drain(t, 1)
			f := e.files(t)[0]
			if ok, why := f.Ready(); f.Scan != connector.ScanPending || ok || why != "malware scan pending" {
				t.Fatalf("stored, before its verdict: Scan %q, Ready %v %q; want pending, false, malware scan pending", f.Scan, ok, why)
			}
			res := e.record(t, "F1", tt.verdict)
			if res.Ignored != "" || res.FileID != "F1" || res.PackageID != filesPackage {
				t.Errorf("result %+v, want F1 of %s, not ignored", res, filesPackage)
			}
			f = e.files(t)[0]
			if ok, why := f.Ready(); f.Scan != tt.verdict || ok != tt.ready || why != tt.why {
				t.Errorf("Scan %q, Ready %v %q; want %q, %v %q", f.Scan, ok, why, tt.verdict, tt.ready, tt.why)
			}
			evs := e.scanned()
			if len(evs) != 1 {
				t.Fatalf("%d upload.scanned, want 1", len(evs))
			}
			ev := evs[0]
			if ev.Clean == nil || *ev.Clean != (tt.verdict == connector.ScanClean) || ev.PackageID != filesPackage ||
				ev.UploadID != e.uploadID || len(ev.Files) != 1 || ev.Files[0].Scan != tt.verdict || ev.Files[0].Name != "" {
				t.Errorf("upload.scanned %+v (clean %v), want clean %v, file F1 %s, no name", ev, ev.Clean, tt.verdict == connector.ScanClean, tt.verdict)
			}
			if ev.ID != connector.EventID(connector.EventScanned, e.uploadID, filesPackage) {
				t.Errorf("event id %q is not the stable id", ev.ID)
			}
		})
	}
}

func TestScanPublishesOnce(t *testing.T) {
	e := newScanEnv(t, twoFiles, withNames)
	e.drain(t, 1)
	e.record(t, "F1", connector.ScanClean)
	e.record(t, "F1", connector.ScanClean)
	if n := len(e.scanned()); n != 0 {
		t.Fatalf("%d upload.scanned with F2 unjudged, want 0", n)
	}
	e.record(t, "F2", connector.ScanThreat)
	e.record(t, "F2", connector.ScanThreat)
	e.record(t, "F1", connector.ScanClean)
	evs := e.scanned()
	if len(evs) != 1 {
		t.Fatalf("%d upload.scanned, want 1", len(evs))
	}
	if *evs[0].Clean || len(evs[0].Files) != 2 || evs[0].Files[1].Name != "b.txt" {
		t.Errorf("upload.scanned %+v, want not clean, two files with names", evs[0])
	}
}

func TestScanLaterVerdicts(t *testing.T) {
	for _, tt := range []struct {
		name          string
		first, second string
		want          string
	}{
		{"threat replaces clean", connector.ScanClean, connector.ScanThreat, connector.ScanThreat},
		{"clean never replaces threat", connector.ScanThreat, connector.ScanClean, connector.ScanThreat},
		{"the first verdict stays", connector.ScanFailed, connector.ScanClean, connector.ScanFailed},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newScanEnv(t, twoFiles[:1])
			e.drain(t, 1)
			e.record(t, "F1", tt.first)
			e.record(t, "F1", tt.second)
			if got := e.files(t)[0].Scan; got != tt.want {
				t.Errorf("Scan %q, want %q", got, tt.want)
			}
		})
	}
}

// promoteHook is an object store that runs a scanner's verdict as soon as
// an object is promoted, before retrieval writes that the file is stored.
type promoteHook struct {
	*connectortest.Objects
	after func(ctx context.Context, final string)
}

func (p *promoteHook) Promote(ctx context.Context, staging, final string, meta connector.ObjectMeta) error {
	if err := p.Objects.Promote(ctx, staging, final, meta); err != nil {
		return err
	}
	p.after(ctx, final)
	return nil
}

func TestScanVerdictBeforeStored(t *testing.T) {
	e := newScanEnv(t, twoFiles)
	hook := &promoteHook{Objects: e.objs}
	var errs []error
	hook.after = func(ctx context.Context, final string) {
		_, err := e.r.RecordScan(ctx, connector.ScanVerdict{Key: final, Scan: connector.ScanClean})
		errs = append(errs, err)
	}
	r, err := e.svc.Retriever(connector.RetrievalSettings{Prefix: "uploads/", MalwareScan: true}, e.src, hook, e.q)
	if err != nil {
		t.Fatal(err)
	}
	e.r = r
	if err := r.Retrieve(t.Context(), e.fanOut()); err != nil {
		t.Fatal(err)
	}
	for _, job := range e.q.Take() { // one at a time: the hook is not safe for concurrent use
		if err := r.Retrieve(t.Context(), job); err != nil {
			t.Fatal(err)
		}
	}
	if len(errs) != 2 || errors.Join(errs...) != nil {
		t.Fatalf("verdicts recorded with %v, want two without error", errs)
	}
	for _, f := range e.files(t) {
		if f.Stored != connector.StoredDone || f.Scan != connector.ScanClean {
			t.Errorf("file %s: Stored %q, Scan %q; want stored, clean (the verdict kept)", f.ID, f.Stored, f.Scan)
		}
	}
	if evs := e.scanned(); len(evs) != 1 || !*evs[0].Clean {
		t.Errorf("upload.scanned %+v, want one, clean", evs)
	}
}

func TestScanIgnored(t *testing.T) {
	e := newScanEnv(t, twoFiles[:1])
	e.drain(t, 1)
	key := e.keyOf(t, "F1")
	dir := key[:strings.LastIndexByte(key, '/')+1]
	for _, tt := range []struct {
		name, key, want string
	}{
		{"outside the prefix", "other/" + strings.TrimPrefix(key, "uploads/"), connector.ScanOutsidePrefix},
		{"the staging prefix", "uploads.staging/x/" + filesPackage + "/a.txt", connector.ScanOutsidePrefix},
		{"too few segments", "uploads/" + filesPackage + "/a.txt", connector.ScanNotAFileKey},
		{"too many segments", dir + "x/a.txt", connector.ScanNotAFileKey},
		{"another name in the package", dir + "nobody.txt", connector.ScanUnknownFile},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res, err := e.r.RecordScan(t.Context(), connector.ScanVerdict{Key: tt.key, Scan: connector.ScanThreat})
			if err != nil || res.Ignored != tt.want {
				t.Errorf("RecordScan(%q) = %+v, %v; want ignored %q", tt.key, res, err, tt.want)
			}
		})
	}
	t.Run("a package naming no upload", func(t *testing.T) {
		e.pkgs.SetLabel(filesPackage, "not an upload id")
		res, err := e.r.RecordScan(t.Context(), connector.ScanVerdict{Key: key, Scan: connector.ScanThreat})
		if err != nil || res.Ignored != connector.ScanNoUpload {
			t.Errorf("RecordScan = %+v, %v; want ignored %q", res, err, connector.ScanNoUpload)
		}
		e.pkgs.SetLabel(filesPackage, e.uploadID)
	})
	t.Run("an unknown verdict", func(t *testing.T) {
		_, err := e.r.RecordScan(t.Context(), connector.ScanVerdict{Key: key, Scan: "maybe"})
		if !errors.Is(err, connector.ErrInvalid) {
			t.Errorf("err %v, want ErrInvalid", err)
		}
	})
	t.Run("SendSafely down", func(t *testing.T) {
		e.pkgs.SetErr(connector.ErrUnavailable)
		defer e.pkgs.SetErr(nil)
		_, err := e.r.RecordScan(t.Context(), connector.ScanVerdict{Key: key, Scan: connector.ScanThreat})
		if !errors.Is(err, connector.ErrUnavailable) {
			t.Errorf("err %v, want ErrUnavailable", err)
		}
	})
	if f := e.files(t)[0]; f.Scan != connector.ScanPending {
		t.Errorf("Scan %q after ignored verdicts, want pending", f.Scan)
	}
}

func TestScanOff(t *testing.T) {
	e := newFilesEnv(t, twoFiles[:1])
	e.drain(t, 1)
	if f := e.files(t)[0]; f.Scan != "" {
		t.Errorf("Scan %q with scanning off, want none", f.Scan)
	}
}
