package main

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
)

// zipSize is the size of the artifact's zip and how it was made.
type zipSize struct {
	bytes int64
	// sam reports whether it is the zip as SAM makes it (Python's zipfile,
	// samcli/lib/package/utils.py make_zip); if not, it is Go's, and note
	// says why.
	sam  bool
	note string
	// goBytes is Go's compress/flate zip of the same binary, for
	// comparison.
	goBytes int64
}

// How the report names each zip.
const (
	zipBySAM = "as SAM zips it for upload (`sam deploy`'s `make_zip`: Python's `zipfile`, `ZIP_DEFLATED`, zlib level 6)"
	zipByGo  = "with Go's `compress/flate` at the default level"
)

// samZipScript zips the file argv[1] alone as SAM's packaging does
// (zipfile.ZipFile with ZIP_DEFLATED, zlib's default level 6) into memory
// and prints the zip's size.
const samZipScript = `import io, sys, zipfile
b = io.BytesIO()
with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
    z.write(sys.argv[1], "bootstrap")
print(len(b.getvalue()))`

// artifact returns the size of the bootstrap and of its zip as SAM makes
// it, run through python (python3 from the PATH; "" when there is none);
// without python, or if it fails, the zip is Go's, with a note saying so.
// The 5 MiB budget is judged on the figure returned.
func artifact(ctx context.Context, path, python string) (int64, zipSize, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return 0, zipSize{}, err
	}
	goBytes, err := goZip(raw)
	if err != nil {
		return 0, zipSize{}, err
	}
	z := zipSize{bytes: goBytes, goBytes: goBytes}
	if python == "" {
		z.note = "python3 is not on the PATH"
		return int64(len(raw)), z, nil
	}
	out, err := exec.CommandContext(ctx, python, "-c", samZipScript, path).Output()
	n, perr := strconv.ParseInt(strings.TrimSpace(string(out)), 10, 64)
	switch {
	case err != nil:
		z.note = fmt.Sprintf("python3's zipfile failed: %v", err)
	case perr != nil || n <= 0:
		z.note = fmt.Sprintf("python3's zipfile printed %q, not a size", out)
	default:
		z.bytes, z.sam = n, true
	}
	return int64(len(raw)), z, nil
}

// python3 returns the python3 on the PATH, or "".
func python3() string {
	p, err := exec.LookPath("python3")
	if err != nil {
		return ""
	}
	return p
}

// goZip returns the size of raw zipped alone as bootstrap, deflated with
// Go's compress/flate at the default level.
func goZip(raw []byte) (int64, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(w, flate.DefaultCompression)
	})
	hdr := &zip.FileHeader{Name: "bootstrap", Method: zip.Deflate}
	hdr.SetMode(0o755)
	f, err := zw.CreateHeader(hdr)
	if err != nil {
		return 0, err
	}
	if _, err := f.Write(raw); err != nil {
		return 0, err
	}
	if err := zw.Close(); err != nil {
		return 0, err
	}
	return int64(buf.Len()), nil
}

// how says how z was made, for the report.
func (z zipSize) how() string {
	if z.sam {
		return fmt.Sprintf("%s; Go's `compress/flate` makes %d bytes (%s)", zipBySAM, z.goBytes, mib(z.goBytes))
	}
	return fmt.Sprintf("%s (%s, so not as SAM makes it: Python's zlib makes it smaller)", zipByGo, z.note)
}

// judged names the zip the budget is judged on.
func (z zipSize) judged() string {
	if z.sam {
		return "SAM's zip"
	}
	return "Go's zip, as python3 could not make SAM's"
}
