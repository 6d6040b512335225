package connector

import "log/slog"

const redacted = "[REDACTED]"

// Secret is a key, token or other credential. It prints and logs as
// [REDACTED], so a careless log line cannot leak it; use string(s) to read it.
type Secret string

// String returns a redacted placeholder.
func (Secret) String() string { return redacted }

// GoString returns a redacted placeholder.
func (Secret) GoString() string { return redacted }

// LogValue returns a redacted placeholder.
func (Secret) LogValue() slog.Value { return slog.StringValue(redacted) }

// Email is a customer's email address. It prints and logs redacted but
// marshals to JSON as itself (events carry it to trusted subscribers).
type Email string

// String returns a redacted placeholder.
func (Email) String() string { return redacted }

// GoString returns a redacted placeholder.
func (Email) GoString() string { return redacted }

// LogValue returns a redacted placeholder.
func (Email) LogValue() slog.Value { return slog.StringValue(redacted) }

// Link is a SendSafely secure link. Its fragment holds the package's key
// code, so it is key material: it prints and logs redacted but marshals to
// JSON as itself.
type Link string

// String returns a redacted placeholder.
func (Link) String() string { return redacted }

// GoString returns a redacted placeholder.
func (Link) GoString() string { return redacted }

// LogValue returns a redacted placeholder.
func (Link) LogValue() slog.Value { return slog.StringValue(redacted) }

// LogValue shows which keys are set, never their values.
func (ks KeySet) LogValue() slog.Value {
	return slog.GroupValue(
		slog.Bool("validationKey", ks.ValidationKey != ""),
		slog.Bool("previousValidationKey", ks.PreviousValidationKey != ""),
		slog.Bool("apiToken", ks.APIToken != ""),
		slog.Any("trusted", ks.Trusted),
		slog.Bool("callbackSecret", ks.CallbackSecret != ""),
	)
}

// LogValue shows the event's type and package, and the upload only as its
// LogID: no email, link or upload id.
func (ev Event) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("type", ev.Type),
		slog.String("upload", LogID(ev.UploadID)),
		slog.String("packageId", ev.PackageID),
	)
}
