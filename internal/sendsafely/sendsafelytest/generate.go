package sendsafelytest

import (
	"encoding/binary"
	"io"
	"math/rand/v2"
)

// generator makes a file's content from a seed, part by part, so that a
// large file costs no memory: its parts are encrypted when they are
// fetched, or with disk once, when it is added (AddGeneratedFileOnDisk).
type generator struct {
	seed  uint64
	sizes []int64
	disk  *diskParts
}

// plain returns the plaintext of part n (1-based).
func (g *generator) plain(n int) []byte {
	var key [32]byte
	binary.LittleEndian.PutUint64(key[:8], g.seed)
	binary.LittleEndian.PutUint64(key[8:16], uint64(n))
	b := make([]byte, g.sizes[n-1])
	rand.NewChaCha8(key).Read(b)
	return b
}

// part returns part n encrypted with pass, or as it is on disk.
func (g *generator) part(n int, pass string) ([]byte, error) {
	if g.disk != nil {
		return g.disk.read(n)
	}
	return EncryptPart(pass, g.plain(n))
}

// AddGeneratedFile adds a file of size bytes to package packageID whose
// content is made from seed (GeneratedContent gives the same bytes), split
// into parts as AddFile splits them. Nothing is stored: each part is made
// and encrypted when it is fetched, so a file of a gigabyte costs no
// memory (and a fresh encryption per GET).
func (s *Server) AddGeneratedFile(packageID, name string, size int64, seed uint64) (File, error) {
	_, sender, err := s.passphrase(packageID)
	if err != nil {
		return File{}, err
	}
	g := &generator{seed: seed, sizes: partSizes(size)}
	f := &file{File: File{Name: name, Size: size, Parts: len(g.sizes)}, createdBy: sender, gen: g, uploaded: s.cfg.Now().UTC()}
	return s.storeFile(packageID, f)
}

// GeneratedContent returns the content of a file AddGeneratedFile made
// with size and seed, as a reader that holds one part at a time.
func GeneratedContent(size int64, seed uint64) io.Reader {
	g := &generator{seed: seed, sizes: partSizes(size)}
	return &genReader{g: g}
}

type genReader struct {
	g   *generator
	n   int    // parts read so far
	buf []byte // the rest of part n
}

func (r *genReader) Read(p []byte) (int, error) {
	for len(r.buf) == 0 {
		if r.n == len(r.g.sizes) {
			return 0, io.EOF
		}
		r.n++
		r.buf = r.g.plain(r.n)
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	return n, nil
}
