package sendsafely_test

import (
	"bytes"
	"crypto/rand"
	"io"
	"testing"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
)

// benchParts are 16 parts of 2,621,440 bytes (Node.js's part size, 40 MiB
// in all) of random bytes, encrypted as the browser uploader does.
func benchParts(b *testing.B) ([][]byte, int64) {
	b.Helper()
	var parts [][]byte
	var size int64
	for range 16 {
		p := make([]byte, 2621440)
		rand.Read(p)
		parts = append(parts, encryptPart(b, browser, filePassphrase, p))
		size += int64(len(p))
	}
	return parts, size
}

// BenchmarkDownload is Download of a 40 MiB file over loopback to
// io.Discard.
func BenchmarkDownload(b *testing.B) {
	parts, size := benchParts(b)
	s := newPartServer(b, parts)
	c := s.client(new([]time.Duration))
	b.SetBytes(size)
	b.ResetTimer()
	for b.Loop() {
		if _, err := c.Download(b.Context(), fileKey, fileRef, 1, len(parts), io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecryptFloor is go-crypto alone decrypting the same parts, one
// after the other, from memory: what Download's throughput is measured
// against.
func BenchmarkDecryptFloor(b *testing.B) {
	parts, size := benchParts(b)
	pass := []byte(filePassphrase)
	b.SetBytes(size)
	b.ResetTimer()
	for b.Loop() {
		for _, p := range parts {
			asked := false
			prompt := func([]openpgp.Key, bool) ([]byte, error) {
				if asked {
					b.Fatal("wrong passphrase")
				}
				asked = true
				return pass, nil
			}
			md, err := openpgp.ReadMessage(bytes.NewReader(p), nil, prompt, nil)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := io.Copy(io.Discard, md.UnverifiedBody); err != nil {
				b.Fatal(err)
			}
		}
	}
}
