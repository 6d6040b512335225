package sendsafelytest

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
)

// diskParts is where a generated file's parts are kept encrypted: one
// file of them end to end, part n (1-based) from offsets[n-1] to
// offsets[n].
type diskParts struct {
	path    string
	offsets []int64
}

// AddGeneratedFileOnDisk is AddGeneratedFile with the ciphertext made
// once, now: each part is encrypted as AddGeneratedFile would encrypt it
// and written, one part at a time, to a file under dir, and part GETs
// are served from that file, as S3 serves stored ciphertext, at no
// encryption. Memory holds one part while it is added, and none after;
// the file is the caller's to remove with dir.
func (s *Server) AddGeneratedFileOnDisk(packageID, name string, size int64, seed uint64, dir string) (File, error) {
	pass, sender, err := s.passphrase(packageID)
	if err != nil {
		return File{}, err
	}
	g := &generator{seed: seed, sizes: partSizes(size)}
	d, err := writeParts(g, pass, dir)
	if err != nil {
		return File{}, err
	}
	g.disk = d
	f := &file{File: File{Name: name, Size: size, Parts: len(g.sizes)}, createdBy: sender, gen: g, uploaded: s.cfg.Now().UTC()}
	return s.storeFile(packageID, f)
}

// writeParts encrypts each part of g with pass into a new file under dir.
func writeParts(g *generator, pass, dir string) (*diskParts, error) {
	out, err := os.CreateTemp(dir, "parts-*.pgp")
	if err != nil {
		return nil, fmt.Errorf("sendsafelytest: parts file: %w", err)
	}
	d := &diskParts{path: out.Name(), offsets: []int64{0}}
	for n := 1; n <= len(g.sizes); n++ {
		c, err := EncryptPart(pass, g.plain(n))
		if err == nil {
			_, err = out.Write(c)
		}
		if err != nil {
			out.Close()
			return nil, fmt.Errorf("sendsafelytest: write part %d: %w", n, err)
		}
		d.offsets = append(d.offsets, d.offsets[n-1]+int64(len(c)))
	}
	if err := out.Close(); err != nil {
		return nil, fmt.Errorf("sendsafelytest: parts file: %w", err)
	}
	return d, nil
}

// section opens part n (1-based) of d: a reader of its ciphertext alone,
// its length, and the file to close.
func (d *diskParts) section(n int) (io.Reader, int64, io.Closer, error) {
	f, err := os.Open(d.path)
	if err != nil {
		return nil, 0, nil, err
	}
	if _, err := f.Seek(d.offsets[n-1], io.SeekStart); err != nil {
		f.Close()
		return nil, 0, nil, err
	}
	size := d.offsets[n] - d.offsets[n-1]
	// A LimitedReader of an *os.File lets net/http send it with sendfile.
	return io.LimitReader(f, size), size, f, nil
}

// read returns the ciphertext of part n.
func (d *diskParts) read(n int) ([]byte, error) {
	r, size, c, err := d.section(n)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	b := make([]byte, size)
	if _, err := io.ReadFull(r, b); err != nil {
		return nil, err
	}
	return b, nil
}

// serve answers a GET of part n as getPart does, from the disk; it reports
// false, having written nothing, when the part cannot be read.
func (d *diskParts) serve(w http.ResponseWriter, n int) bool {
	r, size, c, err := d.section(n)
	if err != nil {
		return false
	}
	defer c.Close()
	w.Header().Set("Content-Type", "binary/octet-stream")
	w.Header().Set("Content-Length", strconv.FormatInt(size, 10))
	w.WriteHeader(http.StatusOK)
	_, _ = io.Copy(w, r)
	return true
}
