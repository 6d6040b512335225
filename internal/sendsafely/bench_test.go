package sendsafely_test

import (
	"bytes"
	"crypto/rand"
	"io"
	"slices"
	"testing"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"

	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/sendsafely"
	"github.com/sendsafely/chatbot-connector/internal/sendsafely/sendsafelytest"
)

// benchFile is a 40 MiB file of random bytes (a first part of 655,360
// bytes, then parts of 2,621,440) that the stand-in encrypted as the
// browser uploader does and serves over loopback.
type benchFile struct {
	s     *sendsafelytest.Server
	key   connector.TrustedKey
	ref   connector.FileRef
	parts [][]byte // the stored ciphertext, part by part
	pass  []byte   // serverSecret + keycode
	size  int64
}

func newBenchFile(b *testing.B) benchFile {
	b.Helper()
	s := sendsafelytest.Start(b, sendsafelytest.Config{})
	p := s.CreatePackage("upload-1", "who@example.com")
	content := make([]byte, 40<<20)
	rand.Read(content)
	f, err := s.AddFile(p.ID, "statement.bin", content)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := s.Finalize(p.ID); err != nil {
		b.Fatal(err)
	}
	bf := benchFile{s: s, size: f.Size, pass: []byte(p.ServerSecret + p.KeyCode),
		key: connector.TrustedKey{APIKey: connector.Secret(s.APIKey()), APISecret: connector.Secret(s.APISecret())},
		ref: connector.FileRef{PackageID: p.ID, FileID: f.ID, PackageCode: connector.Secret(p.Code),
			KeyCode: connector.Secret(p.KeyCode), ServerSecret: connector.Secret(p.ServerSecret)}}
	for n := 1; n <= f.Parts; n++ {
		c, err := s.StoredPart(p.ID, f.ID, n)
		if err != nil {
			b.Fatal(err)
		}
		bf.parts = append(bf.parts, c)
	}
	return bf
}

// BenchmarkDecrypt is decryption throughput beside its floor (make bench
// reports their ratio, issue 18), interleaved call by call (which goes
// first alternating) so that the machine's load hits both alike:
//
//   - FileSource: our connector.FileSource, (*sendsafely.Client).Download
//     of the whole file from the stand-in over loopback (download-urls,
//     a GET of each part, decryption and the integrity check) to
//     io.Discard;
//   - floor: bare go-crypto decrypting the same stored parts from memory,
//     one after the other in one loop.
//
// It reports the median time of each (filesource-ns/op, floor-ns/op) and
// their ratio (floor over FileSource: the FileSource's throughput as a
// fraction of the floor's).
func BenchmarkDecrypt(b *testing.B) {
	f := newBenchFile(b)
	c := sendsafely.New(f.s.URL())
	ours := func() {
		n, err := c.Download(b.Context(), f.key, f.ref, 1, len(f.parts), io.Discard)
		if err != nil || n != f.size {
			b.Fatalf("Download: %d bytes, %v; want %d", n, err, f.size)
		}
	}
	floor := func() {
		if n := decryptFloor(b, f.parts, f.pass); n != f.size {
			b.Fatalf("floor: %d bytes, want %d", n, f.size)
		}
	}
	var oursNs, floorNs []float64
	timed := func(fn func(), into *[]float64) {
		t := time.Now()
		fn()
		*into = append(*into, float64(time.Since(t)))
	}
	b.SetBytes(2 * f.size)
	i := 0
	for b.Loop() {
		if i%2 == 0 {
			timed(ours, &oursNs)
			timed(floor, &floorNs)
		} else {
			timed(floor, &floorNs)
			timed(ours, &oursNs)
		}
		i++
	}
	o, fl := medianNs(oursNs), medianNs(floorNs)
	b.ReportMetric(o, "filesource-ns/op")
	b.ReportMetric(fl, "floor-ns/op")
	b.ReportMetric(fl/o, "ratio")
}

// decryptFloor decrypts parts with go-crypto alone and returns the bytes
// of plaintext.
func decryptFloor(b *testing.B, parts [][]byte, pass []byte) int64 {
	var n int64
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
		got, err := io.Copy(io.Discard, md.UnverifiedBody)
		if err != nil {
			b.Fatal(err)
		}
		n += got
	}
	return n
}

// medianNs returns the median of xs.
func medianNs(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
