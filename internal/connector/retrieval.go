package connector

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
)

// Retrieval: each accepted file of a stored package is fetched from
// SendSafely, decrypted, and written to the object store, one message of
// the files queue per range of a file, so that the files of an upload move
// in parallel on separate invocations. What each file has reached is kept
// in the upload's sealed record and changed only by version-checked
// writes: a message delivered again repeats no work that finished.

// FileJob is one message of the files queue: ids only, never a link, a
// keycode or a name (the rest is read from the store).
type FileJob struct {
	UploadID  string
	PackageID string
	// FileID is "" for the package's fan-out, which sends a job for each
	// range of each accepted file.
	FileID string
	// Range is the index of the file's range, 0 for the first.
	Range int
}

// FileQueue sends retrieval jobs to the files queue.
type FileQueue interface {
	// Send enqueues jobs, each once. It returns ErrUnavailable if the
	// queue cannot be reached or refuses some; then some may have been
	// sent (a job sent twice does no harm).
	Send(ctx context.Context, jobs []FileJob) error
}

// RetrievalSettings are the options of retrieval.
type RetrievalSettings struct {
	// Prefix comes before every key (FILES_PREFIX, "uploads/" by
	// default); staging keys go under StagingPrefix(Prefix).
	Prefix string
	// RangeParts is how many SendSafely parts one job fetches at most
	// (FILES_RANGE_PARTS); 0 means DefaultRangeParts.
	RangeParts int
	// MalwareScan is whether a scanner judges stored files (MALWARE_SCAN):
	// a file stored gets Scan pending until its verdict is recorded
	// (RecordScan), and upload.scanned follows upload.stored.
	MalwareScan bool
}

// Retriever retrieves the accepted files of stored packages.
type Retriever struct {
	s    *Service
	src  FileSource
	objs ObjectStore
	q    FileQueue
	set  RetrievalSettings
}

// retrievalWriteAttempts bounds the version-checked writes of one job.
// Every range of every file of a package writes the one record, and a
// write loses only to another that succeeded.
const retrievalWriteAttempts = 200

// Retriever returns the retriever of s's uploads, reading files from src
// and writing them to objs, its jobs sent through q. It returns an error
// if a part is missing or s reads no packages (verified mode is needed).
func (s *Service) Retriever(set RetrievalSettings, src FileSource, objs ObjectStore, q FileQueue) (*Retriever, error) {
	switch {
	case src == nil || objs == nil || q == nil:
		return nil, errors.New("connector: retrieval needs a file source, an object store and a files queue")
	case s.ss == nil:
		return nil, errors.New("connector: retrieval needs verified mode (a SendSafely client)")
	case set.Prefix != "" && (strings.HasPrefix(set.Prefix, "/") || !strings.HasSuffix(set.Prefix, "/")):
		return nil, fmt.Errorf("connector: the files prefix %q must end with / and not start with it", set.Prefix)
	}
	if set.RangeParts <= 0 {
		set.RangeParts = DefaultRangeParts
	}
	return &Retriever{s: s, src: src, objs: objs, q: q, set: set}, nil
}

// Retrieve does job: the fan-out of a package (FileID "") or one range of
// a file. It returns nil when the job is done or has nothing left to do
// (the file has an end state, the upload expired), ErrInvalid for a job
// that names no upload, package, file or range it could do (retrying
// cannot help), and ErrUnavailable when SendSafely, the store, the object
// store, the topic or the queue failed: the job is to be tried again. A
// part that does not decrypt or verify fails its file at once: that is
// done, not an error.
func (r *Retriever) Retrieve(ctx context.Context, job FileJob) error {
	id, err := jobUpload(job)
	if err != nil {
		return err
	}
	if job.FileID == "" {
		return r.fanOut(ctx, id, job.PackageID)
	}
	return r.retrieveRange(ctx, id, job)
}

// GiveUp ends a job that failed on its last attempt: its file (or, for a
// fan-out, every file of the package without an end state) is failed, so
// that the failure shows in the manifest and in upload.stored. The queue
// moves the message to its dead-letter queue, whose alarm tells the
// operator. It returns ErrUnavailable if the store or the topic failed.
func (r *Retriever) GiveUp(ctx context.Context, job FileJob) error {
	id, err := jobUpload(job)
	if err != nil {
		return err
	}
	if job.FileID == "" {
		// A fan-out that never planned: its files get a retrieval of no
		// ranges, so that upload.stored lists them as failed.
		if _, _, err := r.change(ctx, id, job.PackageID, func(p *pkg) bool {
			if p.Retrievals != nil {
				return false
			}
			for _, f := range p.Files {
				if f.Status == FileAccepted {
					p.Retrievals = append(p.Retrievals, retrieval{FileID: f.ID})
				}
			}
			return p.Retrievals != nil
		}); err != nil {
			return err
		}
	}
	u, i, err := r.read(ctx, id, job.PackageID)
	if err != nil || u == nil {
		return err
	}
	for _, f := range u.st.Packages[i].Files {
		if f.Status != FileAccepted || ended(f) || job.FileID != "" && f.ID != job.FileID {
			continue
		}
		if err := r.fail(ctx, id, job.PackageID, f.ID); err != nil {
			return err
		}
	}
	return r.settleEvents(ctx, id, job.PackageID)
}

// jobUpload returns the canonical upload id of job, or ErrInvalid.
func jobUpload(job FileJob) (string, error) {
	id, ok := canonicalID(strings.TrimSpace(job.UploadID))
	if !ok || job.PackageID == "" || job.Range < 0 {
		return "", fmt.Errorf("%w: retrieve: the job names no upload id or package id", ErrInvalid)
	}
	return id, nil
}

// read and change are the Service's readPackage and changePackage, their
// errors prefixed "retrieve".
func (r *Retriever) read(ctx context.Context, id, packageID string) (*upload, int, error) {
	return r.s.readPackage(ctx, "retrieve", id, packageID)
}

func (r *Retriever) change(ctx context.Context, id, packageID string, f func(p *pkg) bool) (*upload, int, error) {
	return r.s.changePackage(ctx, "retrieve", id, packageID, retrievalWriteAttempts, f)
}

// trusted returns the trusted key, or ErrUnavailable if verified mode is
// off: retrieval reads SendSafely with it.
func (r *Retriever) trusted(ctx context.Context) (TrustedKey, error) {
	ks, err := r.s.keySet(ctx)
	if err != nil {
		return TrustedKey{}, fmt.Errorf("retrieve: %w", err)
	}
	if !ks.Trusted.Enabled() {
		return TrustedKey{}, fmt.Errorf("retrieve: %w: verified mode is off (the secret lacks the trusted key), and retrieval needs it", ErrUnavailable)
	}
	return ks.Trusted, nil
}

// ended reports whether f has an end state.
func ended(f File) bool { return f.Stored == StoredDone || f.Stored == StoredFailed }

// fileAt returns the index of file id in p's manifest, or -1.
func (p *pkg) fileAt(id string) int {
	for i, f := range p.Files {
		if f.ID == id {
			return i
		}
	}
	return -1
}

// retrievalOf returns the retrieval of file id, or nil.
func (p *pkg) retrievalOf(id string) *retrieval {
	for i := range p.Retrievals {
		if p.Retrievals[i].FileID == id {
			return &p.Retrievals[i]
		}
	}
	return nil
}

// orUnavailable classifies an error of the object store or the file
// source that is not classified yet as ErrUnavailable: the job is tried
// again, and given up after its last attempt.
func orUnavailable(err error) error {
	if errors.Is(err, ErrUnavailable) {
		return err
	}
	return fmt.Errorf("%w: %w", ErrUnavailable, err)
}

// LogValue shows the job with its upload id hashed (LogID).
func (j FileJob) LogValue() slog.Value {
	return slog.GroupValue(slog.String("upload", LogID(j.UploadID)), slog.String("packageId", j.PackageID),
		slog.String("fileId", j.FileID), slog.Int("range", j.Range))
}
