package dirstore

import (
	"fmt"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// Names the Store keeps for itself.
const (
	// writesDir holds the writes in progress, one directory each.
	writesDir = ".writes"
	// metaSuffix ends the name of an object's sidecar. The domain's file
	// names never hold '#' (it percent-encodes it), and no key may end so.
	metaSuffix = "#meta.json"
	// maxKey is S3's limit on a key, in bytes.
	maxKey = 1024
)

// checkKey returns ErrInvalid unless key is a relative slash path of
// named segments below the root, not one of the Store's own names: no
// absolute path, no "." or "..", no empty segment, no NUL, no backslash,
// valid UTF-8. The domain makes names path-safe; this is the second line.
func checkKey(key string) error {
	switch {
	case key == "", len(key) > maxKey:
		return fmt.Errorf("%w: key of %d bytes", connector.ErrInvalid, len(key))
	case !utf8.ValidString(key), strings.ContainsAny(key, "\x00\\"):
		return fmt.Errorf("%w: key with a NUL, a backslash or invalid UTF-8", connector.ErrInvalid)
	case strings.HasPrefix(key, "/"):
		return fmt.Errorf("%w: absolute key", connector.ErrInvalid)
	case strings.HasSuffix(key, metaSuffix):
		return fmt.Errorf("%w: key ends as a sidecar's name", connector.ErrInvalid)
	}
	for i, seg := range strings.Split(key, "/") {
		switch {
		case seg == "", seg == ".", seg == "..":
			return fmt.Errorf("%w: key with an empty, . or .. segment", connector.ErrInvalid)
		case i == 0 && seg == writesDir:
			return fmt.Errorf("%w: key under the store's own %s", connector.ErrInvalid, writesDir)
		}
	}
	if !filepath.IsLocal(filepath.FromSlash(key)) {
		return fmt.Errorf("%w: key outside the directory", connector.ErrInvalid)
	}
	return nil
}

// path is key as a name for the Root.
func path(key string) string { return filepath.FromSlash(key) }

// metaPath is the name of key's sidecar.
func metaPath(key string) string { return path(key) + metaSuffix }

// writePath names the directory of write id, or a file in it.
func writePath(id string, name ...string) string {
	return filepath.Join(append([]string{writesDir, id}, name...)...)
}
