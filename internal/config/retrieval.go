package config

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// The variables of retrieval (Files).
const (
	FilesBucket     = "FILES_BUCKET"
	FilesDir        = "FILES_DIR"
	FilesPrefix     = "FILES_PREFIX"
	FilesQueueURL   = "FILES_QUEUE_URL"
	FilesRangeParts = "FILES_RANGE_PARTS"
	FilesKMSKeyID   = "FILES_KMS_KEY_ID"
)

// Files is where retrieved files go; the zero Bucket and Dir mean
// retrieval is off.
type Files struct {
	Bucket string // S3 bucket (FILES_BUCKET)
	Dir    string // a directory, for local runs (FILES_DIR)
	// Prefix comes before every key; "uploads/" by default.
	Prefix string
	// QueueURL is the files queue, required with Bucket.
	QueueURL string
	// RangeParts is how many SendSafely parts one job fetches.
	RangeParts int
	// KMSKeyID encrypts stored objects (SSE-KMS); "" leaves it to the
	// bucket's default encryption.
	KMSKeyID string
}

// On reports whether retrieval is configured.
func (f Files) On() bool { return f.Bucket != "" || f.Dir != "" }

// bucketName is S3's rule for a bucket name (general purpose buckets).
var bucketName = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)

// files reads the retrieval variables.
func (r *reader) files() Files {
	f := Files{
		Bucket:   r.get(FilesBucket),
		Dir:      r.get(FilesDir),
		Prefix:   r.getenv(FilesPrefix), // as given: a prefix may end in a space
		QueueURL: r.pageURL(FilesQueueURL, ""),
		KMSKeyID: r.get(FilesKMSKeyID),
	}
	if f.Prefix == "" {
		f.Prefix = connector.DefaultFilesPrefix
	}
	switch {
	case f.Bucket != "" && f.Dir != "":
		r.fail(FilesDir, "is set together with %s; set one or the other", FilesBucket)
	case f.Bucket != "" && !bucketName.MatchString(f.Bucket):
		r.fail(FilesBucket, "%q is not an S3 bucket name", f.Bucket)
	case f.Bucket != "" && f.QueueURL == "":
		r.fail(FilesQueueURL, "is required with %s", FilesBucket)
	}
	if strings.HasPrefix(f.Prefix, "/") || !strings.HasSuffix(f.Prefix, "/") || strings.Contains(f.Prefix, "//") {
		r.fail(FilesPrefix, "%q must end with / and must not start with / (such as uploads/)", f.Prefix)
	}
	f.RangeParts = connector.DefaultRangeParts
	if v := r.get(FilesRangeParts); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > connector.MaxObjectParts {
			r.fail(FilesRangeParts, "%q is not a number of parts from 1 to %d", v, connector.MaxObjectParts)
		}
		f.RangeParts = n
	}
	if f.KMSKeyID != "" && strings.ContainsAny(f.KMSKeyID, " \t") {
		r.fail(FilesKMSKeyID, "%q is not a KMS key id, ARN or alias", f.KMSKeyID)
	}
	return f
}
