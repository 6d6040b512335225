package connector

import (
	"context"
	"io"
	"time"
)

// FileRef names a file of a package and carries what reading it takes:
// the package code and keycode (for the download checksum) and the
// server secret (with the keycode, the parts' passphrase).
type FileRef struct {
	PackageID    string
	FileID       string
	PackageCode  Secret
	KeyCode      Secret
	ServerSecret Secret
}

// FileSource reads the content of SendSafely files.
type FileSource interface {
	// Download writes the plaintext of parts first to last (1-based,
	// inclusive) of file f to w, in part order, each part decrypted and
	// its integrity verified before any of its bytes reach w. It returns
	// the bytes written. It returns ErrCorrupt (wrapped) if a part does
	// not decrypt, lacks its integrity packet or fails it, and
	// ErrUnavailable if SendSafely or the part storage fails or does not
	// answer in time (after its own retries); then w may hold a prefix of
	// the range, which the caller must discard.
	Download(ctx context.Context, key TrustedKey, f FileRef, first, last int, w io.Writer) (int64, error)
}

// ObjectMeta is what an object is stored with besides its bytes.
type ObjectMeta struct {
	ContentType string
	// Metadata are the object's user metadata (package-id, file-id,
	// sha256, original-name), ASCII values.
	Metadata map[string]string
}

// ObjectInfo describes a stored object.
type ObjectInfo struct {
	Key  string
	Size int64
	ObjectMeta
	// Tags are the object's tags (a scanner's verdict among them).
	Tags map[string]string
}

// ObjectPart is a written part of a multipart write.
type ObjectPart struct {
	Number int
	ETag   string
	Size   int64
}

// ObjectStore keeps retrieved files: S3, or a directory locally. Writes
// are multipart so that a file of any size streams through bounded memory
// and the ranges of one file can be written by separate invocations. A
// file is written under a staging key first and promoted to its final key
// only once it is whole and verified, with its full metadata (its sha256
// is known only at the end), so no reader or scanner ever sees a partial
// or unverified object under the final key. Every method returns
// ErrUnavailable if the store cannot be reached.
type ObjectStore interface {
	// Location names key as operators see it: s3://bucket/key, or a path.
	Location(key string) string

	// Begin starts a multipart write of key and returns its write id.
	Begin(ctx context.Context, key string) (string, error)

	// WritePart writes part number n (1 to 10,000) of write id from r,
	// which holds exactly size bytes; parts other than the last must be
	// at least 5 MiB, and the last may be empty (an empty object is one
	// empty part; so is a range of only an empty SendSafely part).
	// Writing the same part again replaces it (and changes its ETag). It
	// returns ErrNotFound if the write is unknown (aborted or finished)
	// and ErrInvalid if n is out of range.
	WritePart(ctx context.Context, key, writeID string, n int, r io.Reader, size int64) (ObjectPart, error)

	// Finish completes write id from parts (ascending numbers, gaps
	// allowed), making the object under key whole; parts written but not
	// listed are discarded. It returns ErrNotFound if the write is
	// unknown (aborted, or finished before: check with Stat; S3 may also
	// answer a repeat as a success for a while), and ErrInvalid if the
	// parts cannot be assembled: none, one but the last under 5 MiB, or
	// one whose ETag is not that of the part as last written.
	Finish(ctx context.Context, key, writeID string, parts []ObjectPart) error

	// Abort discards write id and its parts; an unknown write is no error.
	Abort(ctx context.Context, key, writeID string) error

	// Promote makes the whole object under staging visible under final
	// with meta (replacing what final held), then removes staging. It is
	// idempotent: promoting again once staging is gone and final exists
	// is no error. It returns ErrNotFound if neither exists.
	Promote(ctx context.Context, staging, final string, meta ObjectMeta) error

	// Stat describes the object under key. It returns ErrNotFound if
	// there is none.
	Stat(ctx context.Context, key string) (ObjectInfo, error)

	// Open returns the object's content from byte offset off on, and its
	// description without Tags (Stat has them). An offset at or past the
	// end gives empty content. It returns ErrNotFound if there is no
	// object and ErrInvalid if off is negative.
	Open(ctx context.Context, key string, off int64) (io.ReadCloser, ObjectInfo, error)

	// Delete removes the object under key; a missing object is no error.
	Delete(ctx context.Context, key string) error

	// Presign returns a URL that reads the object with a plain GET for
	// ttl. The URL is a bearer credential: it never reaches a log line.
	// It does not check that the object exists. It returns ErrUnavailable
	// if the store cannot presign (a directory store without a server).
	Presign(ctx context.Context, key string, ttl time.Duration) (string, error)
}
