package connector

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
)

// Malware scan: a scanner (GuardDuty Malware Protection for S3, or another
// that tags objects) judges each stored object, and its verdict is
// recorded on the file (File.Scan) with the version-checked writes
// retrieval uses. Verdicts arrive at least once and in any order, even
// before retrieval has written that the file is stored.

// EventScanned is published once per package when every stored file of it
// has a verdict; Event.Clean says whether all are clean.
const EventScanned = "upload.scanned"

// ScanVerdict is a scanner's verdict on the object under Key (a key of the
// object store, without its bucket): ScanClean, ScanThreat,
// ScanUnsupported or ScanFailed.
type ScanVerdict struct {
	Key  string
	Scan string
}

// ScanResult is what RecordScan did with a verdict, for the edge's log
// line: Ignored says why the verdict named no file ("" when it did); the
// ids name the file (UploadID is a secret: log it through LogID only).
type ScanResult struct {
	Ignored   string
	UploadID  string
	PackageID string
	FileID    string
}

// Reasons a verdict is ignored.
const (
	ScanOutsidePrefix = "outside the files prefix"
	ScanNotAFileKey   = "not a key of a retrieved file"
	ScanNoUpload      = "the package names no upload"
	ScanUnknownFile   = "no retrieved file has this key"
)

// RecordScan records verdict v on the file whose object it names. The
// object's key, <prefix><folder>/<packageId>/<name>, names the package;
// the package's SendSafely label names the upload; the file is the one
// retrieval planned under that key. (The object's own metadata would name
// them too, but reading it needs s3:GetObject, which the bucket policy
// denies on objects not tagged clean.) A verdict on a file not yet
// recorded as stored is kept, and the stored state written later keeps it.
// A verdict is not replaced by a later one, but for a threat, which
// replaces any: a file once found to hold a threat stays so.
//
// When every stored file of the package has a verdict, upload.scanned is
// published, once; its delivery hands the clean files to the file
// callback (filecallback.go).
//
// ErrUnknownPackage is SendSafely's answer that it knows no such package
// (UNKNOWN_PACKAGE). A SendSafely client returns it beside ErrUnavailable,
// which decides everywhere else; the scan, which finds packages from
// object keys, ignores such a verdict instead of asking again for ever.
var ErrUnknownPackage = errors.New("unknown package")

// A verdict for a key outside the prefix, of no retrieved file, or of a
// package (SendSafely knows none of its id) or upload that is gone, is ignored (ScanResult.Ignored), not an
// error. It returns ErrInvalid for a verdict that is none of the four,
// and ErrUnavailable if SendSafely, the store or the topic failed: the
// verdict is to be recorded again.
func (r *Retriever) RecordScan(ctx context.Context, v ScanVerdict) (ScanResult, error) {
	switch v.Scan {
	case ScanClean, ScanThreat, ScanUnsupported, ScanFailed:
	default:
		return ScanResult{}, fmt.Errorf("%w: scan: verdict %q", ErrInvalid, v.Scan)
	}
	res, ok := r.keyPackage(v.Key)
	if !ok {
		return res, nil
	}
	key, err := r.trusted(ctx)
	if err != nil {
		return res, err
	}
	p, err := r.s.ss.Package(ctx, key, res.PackageID)
	switch {
	case errors.Is(err, ErrUnknownPackage):
		// A key naming a package SendSafely does not know (or no
		// longer): no upload to record it in, and asking again will
		// not find one.
		res.Ignored = ScanNoUpload
		return res, nil
	case err != nil:
		return res, fmt.Errorf("scan: read package: %w", unavailable(err))
	}
	id, ok := canonicalID(strings.TrimSpace(p.Label))
	if !ok {
		res.Ignored = ScanNoUpload
		return res, nil
	}
	res.UploadID = id
	u, _, err := r.change(ctx, id, res.PackageID, func(p *pkg) bool {
		j := p.fileOfKey(v.Key)
		if j < 0 {
			return false
		}
		res.FileID = p.Files[j].ID
		if !replaces(v.Scan, p.Files[j].Scan) {
			return false
		}
		p.Files[j].Scan = v.Scan
		return true
	})
	switch {
	case err != nil:
		return res, err
	case u == nil:
		res.Ignored = ScanNoUpload
		return res, nil
	case res.FileID == "":
		res.Ignored = ScanUnknownFile
		return res, nil
	}
	return res, r.settleScanned(ctx, id, res.PackageID)
}

// keyPackage reads the package id from key, a final key of retrieval,
// and reports whether it is one; if not, Ignored says why.
func (r *Retriever) keyPackage(key string) (ScanResult, bool) {
	rest, ok := strings.CutPrefix(key, r.set.Prefix)
	if !ok || strings.HasPrefix(key, stagingPrefix(r.set.Prefix)) {
		return ScanResult{Ignored: ScanOutsidePrefix}, false
	}
	seg := strings.Split(rest, "/")
	if len(seg) != 3 || seg[0] == "" || seg[1] == "" || seg[2] == "" {
		return ScanResult{Ignored: ScanNotAFileKey}, false
	}
	id, err := url.PathUnescape(seg[1])
	if err != nil || id == "" {
		return ScanResult{Ignored: ScanNotAFileKey}, false
	}
	return ScanResult{PackageID: id}, true
}

// fileOfKey returns the index in p's manifest of the accepted file that
// retrieval writes under key, or -1.
func (p *pkg) fileOfKey(key string) int {
	for _, rt := range p.Retrievals {
		if rt.Key == key {
			if j := p.fileAt(rt.FileID); j >= 0 && p.Files[j].Status == FileAccepted {
				return j
			}
		}
	}
	return -1
}

// replaces reports whether verdict v is recorded over recorded: over no
// verdict or a pending one, and a threat over any other.
func replaces(v, recorded string) bool {
	switch recorded {
	case "", ScanPending:
		return true
	case ScanThreat:
		return false
	}
	return v == ScanThreat
}

// judged reports whether scan is a verdict (not none, not pending).
func judged(scan string) bool { return scan != "" && scan != ScanPending }

// scannedDue reports whether p's upload.scanned is due: its retrieval has
// ended, some file of it is stored, and every stored file has a verdict.
func (p *pkg) scannedDue() bool {
	if !p.retrievalsEnded() {
		return false
	}
	stored := p.storedAccepted()
	for _, f := range stored {
		if !judged(f.Scan) {
			return false
		}
	}
	return len(stored) > 0
}

// settleScanned publishes package packageID's upload.scanned once it is
// due (scannedDue), once, as settleStored does upload.stored. It does
// nothing when scanning is off.
func (r *Retriever) settleScanned(ctx context.Context, id, packageID string) error {
	if !r.set.MalwareScan {
		return nil
	}
	return r.settle(ctx, id, packageID, EventScanned,
		func(p *pkg) *publication { return &p.ScannedEvent },
		(*pkg).scannedDue,
		func(u *upload, p pkg) Event {
			ev := r.s.event(u.keys.eventID(EventScanned, packageID), EventScanned, u.id, u.st.ConversationID, p)
			ev.Files, ev.Clean = r.scannedFiles(p)
			return ev
		})
}

// scannedFiles lists the stored files of p with their verdicts, as
// upload.scanned does, and whether all are clean.
func (r *Retriever) scannedFiles(p pkg) ([]EventFile, *bool) {
	clean := true
	var out []EventFile
	for _, f := range p.storedAccepted() {
		ef := r.eventFile(f)
		ef.Scan = f.Scan
		clean = clean && f.Scan == ScanClean
		out = append(out, ef)
	}
	return out, &clean
}

// LogValue shows the result with its upload id hashed (LogID).
func (res ScanResult) LogValue() slog.Value {
	return slog.GroupValue(slog.String("upload", LogID(res.UploadID)), slog.String("packageId", res.PackageID),
		slog.String("fileId", res.FileID), slog.String("ignored", res.Ignored))
}
