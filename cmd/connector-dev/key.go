package main

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// keyFileName is the local validation key's file in the data folder.
const keyFileName = "validation-key"

// loadOrCreateKey returns the local validation key kept in dir, creating
// it (32 random bytes, base64url) on first use, readable by the current
// user only. It is a key for local runs: it signs what the stand-in upload
// page sends and is printed on start.
func loadOrCreateKey(dir string) (connector.Secret, string, error) {
	path := filepath.Join(dir, keyFileName)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", "", fmt.Errorf("validation key: %w", err)
	}
	var raw [32]byte
	_, _ = rand.Read(raw[:])
	key := base64.RawURLEncoding.EncodeToString(raw[:])
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	switch {
	case err == nil:
		_, werr := f.WriteString(key + "\n")
		if cerr := f.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			return "", "", fmt.Errorf("validation key: write %s: %w", path, werr)
		}
		return connector.Secret(key), path, nil
	case errors.Is(err, fs.ErrExist):
		b, err := os.ReadFile(path)
		if err != nil {
			return "", "", fmt.Errorf("validation key: %w", err)
		}
		key := strings.TrimSpace(string(b))
		if key == "" {
			return "", "", fmt.Errorf("validation key: %s is empty; delete it and a new key is made", path)
		}
		return connector.Secret(key), path, nil
	default:
		return "", "", fmt.Errorf("validation key: create %s: %w", path, err)
	}
}
