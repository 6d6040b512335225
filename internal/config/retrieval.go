package config

import (
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

// bucketName reports whether s follows S3's rule for a general purpose
// bucket's name: 3 to 63 of a-z, 0-9, '.' and '-', starting and ending
// with a letter or digit. (A regular expression of it, compiled at package
// init, cost every cold start 0.9 ms.)
func bucketName(s string) bool {
	if len(s) < 3 || len(s) > 63 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
		case (c == '.' || c == '-') && i > 0 && i < len(s)-1:
		default:
			return false
		}
	}
	return true
}

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
	case f.Bucket != "" && !bucketName(f.Bucket):
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
