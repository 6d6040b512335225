package config

// The variables of the file callback (Files).
const (
	FileCallbackURL     = "FILE_CALLBACK_URL"
	FileCallbackMaxSize = "FILE_CALLBACK_MAX_SIZE"
)

// DefaultFileCallbackMaxSize is the largest file the file callback sends
// when FILE_CALLBACK_MAX_SIZE is unset: 100 MB.
const DefaultFileCallbackMaxSize = 100_000_000

// FileCallback is AmplifyReach's external callback: where each ready file
// is POSTed, and the largest file sent. The zero URL means it is off.
type FileCallback struct {
	URL     string // FILE_CALLBACK_URL: https, or http to a loopback address
	MaxSize int64  // FILE_CALLBACK_MAX_SIZE, in bytes
}

// On reports whether the file callback is configured.
func (f FileCallback) On() bool { return f.URL != "" }

// fileCallback reads the file callback's variables. It needs retrieval
// (the files it sends are the stored ones), so deployed (aws) and set
// without FILES_BUCKET or FILES_DIR it is an error naming
// FILE_CALLBACK_URL; a local run retrieves into its data folder by
// default, and checks that it retrieves at all itself. Verified mode is
// checked where the secret is read, as for the file policy.
func (r *reader) fileCallback(files Files, aws bool) FileCallback {
	f := FileCallback{URL: r.pageURL(FileCallbackURL, ""), MaxSize: DefaultFileCallbackMaxSize}
	if v := r.get(FileCallbackMaxSize); v != "" {
		n, err := ParseSize(v)
		if err != nil {
			r.fail(FileCallbackMaxSize, "%v", err)
		}
		f.MaxSize = n
	}
	if f.URL != "" && aws && !files.On() {
		r.fail(FileCallbackURL, "needs retrieval: set %s or %s (the files it sends are the stored ones)", FilesBucket, FilesDir)
	}
	return f
}
