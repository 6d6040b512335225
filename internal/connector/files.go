package connector

import "errors"

// ErrCorrupt means a file's content, or a package's keycode, failed a
// check that no retry can mend: a SendSafely part that does not decrypt
// under the package's passphrase, lacks its integrity packet or fails it,
// content that is not what its name says, or a keycode SendSafely holds
// for no trusted key or that does not decrypt. It fails the file at once,
// and a sweep skips the package. It never reaches the HTTP edge alone:
// there, ErrUnavailable wrapped beside it decides.
var ErrCorrupt = errors.New("corrupt")

// PackageFile is a file of a SendSafely package as the package's details
// list it (files[]): its id, its name as uploaded, the size SendSafely
// reports (fileSize, which can differ slightly from the decrypted bytes:
// trust the bytes) and how many parts it was uploaded in.
type PackageFile struct {
	ID    string
	Name  string
	Size  int64
	Parts int
}

// File statuses under the file policy.
const (
	FileAccepted = "accepted"
	FileRejected = "rejected"
)

// Reasons a file is rejected.
const (
	ReasonType    = "type"    // its type is not in ALLOWED_FILE_TYPES
	ReasonSize    = "size"    // it is larger than MAX_FILE_SIZE
	ReasonCount   = "count"   // it comes after the first MAX_FILES
	ReasonContent = "content" // its content is not what its name says
)

// Retrieval states of an accepted file (File.Stored).
const (
	StoredPending = "pending"
	StoredDone    = "stored"
	StoredFailed  = "failed"
)

// Scan verdicts of a stored file (File.Scan).
const (
	ScanPending     = "pending"
	ScanClean       = "clean"
	ScanThreat      = "threat"
	ScanUnsupported = "unsupported"
	ScanFailed      = "failed"
)

// File is one entry of an upload's manifest: a file of a package as the
// policy judged it, and what became of it since. It is kept sealed with
// the upload; names and locations are personal data.
type File struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	Parts  int    `json:"parts,omitempty"`
	Type   string `json:"type"`   // media type from the name's extension
	Status string `json:"status"` // FileAccepted or FileRejected
	// Reason and Message say why a rejected file was rejected; Message is
	// a sentence a chatbot can show the customer as it is.
	Reason  string `json:"reason,omitempty"`
	Message string `json:"message,omitempty"`

	// Stored is the retrieval state ("" when retrieval is off); Location
	// and Sha256 are set once it is StoredDone.
	Stored   string `json:"stored,omitempty"`
	Location string `json:"location,omitempty"`
	Sha256   string `json:"sha256,omitempty"`
	// Scan is the malware verdict ("" when scanning is off).
	Scan string `json:"scan,omitempty"`
	// Callback is what the file callback's receiver answered; nil until
	// it answered or the file was not sent.
	Callback *FileCallback `json:"callback,omitempty"`
}

// FileCallback is the file callback receiver's answer for one file:
// AmplifyReach's {"status":0,"uid","url"} or {"status":1,"message"}.
type FileCallback struct {
	UID   string `json:"uid,omitempty"`
	URL   string `json:"url,omitempty"`
	Error string `json:"error,omitempty"`
}
