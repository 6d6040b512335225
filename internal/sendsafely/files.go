package sendsafely

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// file is one entry of a package's files[] as SendSafely writes it.
// fileSize is a JSON string of digits in SendSafely's answers (dropzone.md,
// "A package's files"); a number is taken too, should that ever change.
type file struct {
	FileID   string          `json:"fileId"`
	FileName string          `json:"fileName"`
	FileSize json.RawMessage `json:"fileSize"`
	Parts    int             `json:"parts"`
}

// packageFiles returns files[] as the domain's PackageFiles, in
// SendSafely's order; empty, not nil, for a package of no files. A file
// without an id, or whose size is missing or not a whole number of bytes,
// is an error: the policy judges sizes, so a size SendSafely does not
// vouch for is not guessed at (the package is then not confirmed, as for
// any answer the connector cannot read, and a lookup or sweep tries
// again). The error names neither the file nor its name.
func packageFiles(in []file) ([]connector.PackageFile, error) {
	out := make([]connector.PackageFile, len(in))
	for i, f := range in {
		if f.FileID == "" {
			return nil, fmt.Errorf("file %d of the package has no fileId", i+1)
		}
		size, err := fileSize(f.FileSize)
		if err != nil {
			return nil, fmt.Errorf("file %d of the package: %w", i+1, err)
		}
		out[i] = connector.PackageFile{ID: f.FileID, Name: f.FileName, Size: size, Parts: f.Parts}
	}
	return out, nil
}

// errFileSize is a fileSize that is not a whole number of bytes.
var errFileSize = errors.New("fileSize is not a whole number of bytes")

// fileSize reads fileSize: "12345" or 12345.
func fileSize(raw json.RawMessage) (int64, error) {
	s := string(raw)
	if len(s) >= 2 && s[0] == '"' {
		if err := json.Unmarshal(raw, &s); err != nil {
			return 0, errFileSize
		}
	}
	if s == "" || len(s) > 19 {
		return 0, errFileSize
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, errFileSize
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, errFileSize
	}
	return n, nil
}
