package connector

import (
	"context"
	"log/slog"
	"time"
)

// TrustedKey holds what verified mode needs to read packages through
// SendSafely's REST API as the Dropzone's owner: the API key and secret
// that sign requests, and the Trusted Browser key pair's id and private
// half (ASCII-armored OpenPGP, no passphrase). The zero value means
// verified mode is off.
type TrustedKey struct {
	APIKey     Secret
	APISecret  Secret
	KeyID      string
	PrivateKey Secret
}

// Enabled reports whether all four fields are set.
func (k TrustedKey) Enabled() bool {
	return k.APIKey != "" && k.APISecret != "" && k.KeyID != "" && k.PrivateKey != ""
}

// LogValue shows which fields are set, never their values.
func (k TrustedKey) LogValue() slog.Value {
	return slog.GroupValue(
		slog.Bool("apiKey", k.APIKey != ""),
		slog.Bool("apiSecret", k.APISecret != ""),
		slog.Bool("keyId", k.KeyID != ""),
		slog.Bool("privateKey", k.PrivateKey != ""),
	)
}

// Package is a SendSafely package as its API describes it.
type Package struct {
	ID   string
	Code Secret
	// Label is the Dropzone's form input, which the upload page fills with
	// the upload id.
	Label string
	// Sender is the uploader's email; empty in a list entry.
	Sender Email
	// Timestamp is packageTimestamp (details) or packageUpdateTimestamp (a
	// list entry); zero when SendSafely's text could not be read.
	Timestamp time.Time
	// Files are the package's files[] in SendSafely's order (details
	// only; nil in a list entry).
	Files []PackageFile
	// ServerSecret is the package's serverSecret (details only): with the
	// keycode, the passphrase of every part of its files.
	ServerSecret Secret
}

// SendSafely reads packages through SendSafely's REST API. Every method
// returns ErrUnavailable whenever SendSafely does not confirm what was
// asked: unreachable, no answer within the bound, an HTTP status other
// than 200, a response other than SUCCESS (refused credentials, an unknown
// package, no keycode for the trusted key), or a keycode that does not
// decrypt. Errors never hold a credential, a package code or a keycode.
type SendSafely interface {
	// Package returns the details of package packageID.
	Package(ctx context.Context, key TrustedKey, packageID string) (Package, error)

	// KeyCode returns the keycode of package packageID, decrypted with
	// the trusted key's private half. When SendSafely answered but the
	// keycode cannot be read (no keycode for the trusted key, a message
	// encrypted to another key or malformed), the error wraps ErrCorrupt
	// beside ErrUnavailable: asking again will not help, for this
	// package only.
	KeyCode(ctx context.Context, key TrustedKey, packageID string) (Secret, error)

	// Received returns the received packages as list entries (ID, Code,
	// Label, Timestamp), reading at most 5 pages of 100 and stopping early
	// at a short page or a missing next row index. It relies on no order.
	Received(ctx context.Context, key TrustedKey) ([]Package, error)
}
