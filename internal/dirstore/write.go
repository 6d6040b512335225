package dirstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// S3's limits, kept here too so that what works locally works on S3.
const (
	minPart  = 5 << 20
	maxParts = 10_000
)

// keyFile names, in a write's directory, the file holding its key.
const keyFile = "key"

// Begin creates the directory of a new write of key under .writes/ and
// returns its id.
func (s *Store) Begin(_ context.Context, key string) (string, error) {
	if err := checkKey(key); err != nil {
		return "", fmt.Errorf("dirstore: begin write: %w", err)
	}
	id := randomID()
	if err := s.root.MkdirAll(writePath(id), dirMode); err != nil {
		return "", fsError("begin write", err)
	}
	if err := s.root.WriteFile(writePath(id, keyFile), []byte(key), fileMode); err != nil {
		return "", fsError("begin write", err)
	}
	return id, nil
}

// WritePart writes part n of write id from r into a temporary file and
// renames it into place, so that a part is whole or absent; its name
// carries its ETag (a digest of its content), and a part written before
// under the same number goes. It returns ErrNotFound if the write is
// unknown and ErrInvalid if r does not hold exactly size bytes.
func (s *Store) WritePart(_ context.Context, key, id string, n int, r io.Reader, size int64) (connector.ObjectPart, error) {
	if n < 1 || n > maxParts {
		return connector.ObjectPart{}, fmt.Errorf("dirstore: write part: %w: part number %d outside 1 to %d", connector.ErrInvalid, n, maxParts)
	}
	if err := s.checkWrite(key, id); err != nil {
		return connector.ObjectPart{}, fmt.Errorf("dirstore: write part: %w", err)
	}
	before, err := s.partFiles(id, n)
	if err != nil {
		return connector.ObjectPart{}, fsError("write part", err)
	}
	tmp := writePath(id, "tmp-"+randomID())
	sum, written, err := s.copyTo(tmp, io.LimitReader(r, size+1))
	if err == nil && written != size {
		err = fmt.Errorf("%w: part of %d bytes, said to be %d", connector.ErrInvalid, written, size)
	}
	etag := hex.EncodeToString(sum[:16])
	if err == nil {
		err = s.root.Rename(tmp, writePath(id, partName(n, etag)))
	}
	if err != nil {
		_ = s.root.Remove(tmp)
		if errors.Is(err, connector.ErrInvalid) {
			return connector.ObjectPart{}, fmt.Errorf("dirstore: write part: %w", err)
		}
		return connector.ObjectPart{}, fsError("write part", err)
	}
	for _, old := range before {
		if old != partName(n, etag) {
			_ = s.root.Remove(writePath(id, old))
		}
	}
	return connector.ObjectPart{Number: n, ETag: etag, Size: size}, nil
}

// Finish concatenates the parts in their order into a temporary file and
// renames it to key's path. It returns ErrNotFound if the write is
// unknown, and ErrInvalid for parts S3 would refuse: none, out of order,
// one but the last under 5 MiB, or one not written as listed.
func (s *Store) Finish(_ context.Context, key, id string, parts []connector.ObjectPart) error {
	if err := s.checkWrite(key, id); err != nil {
		return fmt.Errorf("dirstore: finish write: %w", err)
	}
	if len(parts) == 0 {
		return fmt.Errorf("dirstore: finish write: %w: no parts", connector.ErrInvalid)
	}
	files := make([]*os.File, 0, len(parts))
	defer func() {
		for _, f := range files {
			f.Close()
		}
	}()
	for i, p := range parts {
		if p.Number < 1 || p.Number > maxParts || i > 0 && p.Number <= parts[i-1].Number || !isHex32(p.ETag) {
			return fmt.Errorf("dirstore: finish write: %w: part %d out of order or not of this store", connector.ErrInvalid, p.Number)
		}
		f, err := s.root.Open(writePath(id, partName(p.Number, p.ETag)))
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("dirstore: finish write: %w: part %d not written as listed", connector.ErrInvalid, p.Number)
		}
		if err != nil {
			return fsError("finish write", err)
		}
		files = append(files, f)
		if fi, err := f.Stat(); err != nil || i < len(parts)-1 && fi.Size() < minPart {
			return fmt.Errorf("dirstore: finish write: %w: part %d under 5 MiB and not the last", connector.ErrInvalid, p.Number)
		}
	}
	tmp := writePath(id, "object-"+randomID())
	err := s.concat(tmp, files)
	if err == nil {
		err = s.place(tmp, path(key))
	}
	if err != nil {
		_ = s.root.Remove(tmp)
		return fsError("finish write", err)
	}
	return s.removeWrite(id)
}

// Abort removes the directory of write id; an unknown write is no error.
func (s *Store) Abort(_ context.Context, key, id string) error {
	if err := s.checkWrite(key, id); err != nil {
		return nil
	}
	return s.removeWrite(id)
}

// checkWrite returns ErrNotFound unless id names a write in progress of
// key, and ErrInvalid if key is not one.
func (s *Store) checkWrite(key, id string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	if !isHex32(id) {
		return fmt.Errorf("%w: unknown write", connector.ErrNotFound)
	}
	got, err := s.root.ReadFile(writePath(id, keyFile))
	if err != nil || string(got) != key {
		return fmt.Errorf("%w: unknown write", connector.ErrNotFound)
	}
	return nil
}

func (s *Store) removeWrite(id string) error {
	if err := s.root.RemoveAll(writePath(id)); err != nil {
		return fsError("remove write", err)
	}
	return nil
}

// partName names part n with etag.
func partName(n int, etag string) string { return fmt.Sprintf("part-%05d.%s", n, etag) }

// partFiles lists the files of part n of write id.
func (s *Store) partFiles(id string, n int) ([]string, error) {
	d, err := s.root.Open(writePath(id))
	if err != nil {
		return nil, err
	}
	defer d.Close()
	names, err := d.Readdirnames(-1)
	if err != nil {
		return nil, err
	}
	prefix := partName(n, "")
	var found []string
	for _, name := range names {
		if strings.HasPrefix(name, prefix) {
			found = append(found, name)
		}
	}
	return found, nil
}

// copyBuffers are copyTo's buffers, reused from part to part: io.Copy
// would make one for each.
var copyBuffers = sync.Pool{New: func() any { b := make([]byte, 64<<10); return &b }}

// copyTo writes r to a new file name (which must not exist) and returns
// the SHA-256 of what it wrote and its length.
func (s *Store) copyTo(name string, r io.Reader) ([sha256.Size]byte, int64, error) {
	f, err := s.root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, fileMode)
	if err != nil {
		return [sha256.Size]byte{}, 0, err
	}
	h := sha256.New()
	buf := copyBuffers.Get().(*[]byte)
	n, err := io.CopyBuffer(io.MultiWriter(f, h), r, *buf)
	copyBuffers.Put(buf)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	var sum [sha256.Size]byte
	copy(sum[:], h.Sum(nil))
	return sum, n, err
}

// concat writes the parts into a new file name, one after the other. File
// to file, io.Copy lets the kernel copy (copy_file_range): the bytes do
// not pass through the process, and nothing hashes them again (the parts'
// ETags were taken as they were written).
func (s *Store) concat(name string, parts []*os.File) error {
	f, err := s.root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, fileMode)
	if err != nil {
		return err
	}
	for _, p := range parts {
		if _, err = io.Copy(f, p); err != nil {
			break
		}
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// place renames the file tmp to name, creating its directories.
func (s *Store) place(tmp, name string) error {
	if dir := filepath.Dir(name); dir != "." {
		if err := s.root.MkdirAll(dir, dirMode); err != nil {
			return err
		}
	}
	return s.root.Rename(tmp, name)
}
