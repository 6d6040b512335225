package sendsafelytest_test

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/sendsafely/chatbot-connector/internal/sendsafely/sendsafelytest"
)

// fetchParts GETs every part of f through download-urls, twice, and
// returns each part's ciphertext of both rounds.
func fetchParts(t *testing.T, s *sendsafelytest.Server, p sendsafelytest.Package, f sendsafelytest.File) (first, again [][]byte) {
	t.Helper()
	_, _, urls := downloadURLs(t, s, p.ID, f.ID, sendsafelytest.Checksum(p.KeyCode, p.Code), 1, 25)
	if len(urls) != f.Parts {
		t.Fatalf("%d URLs for %d parts", len(urls), f.Parts)
	}
	for _, round := range []*[][]byte{&first, &again} {
		for n, u := range urls {
			st, ct, b := get(t, u)
			if st != http.StatusOK || ct != "binary/octet-stream" {
				t.Fatalf("%s part %d: %d %s, want 200 binary/octet-stream", f.Name, n+1, st, ct)
			}
			*round = append(*round, b)
		}
	}
	return first, again
}

// TestGeneratedFileOnDisk: a file AddGeneratedFileOnDisk made is the file
// AddGeneratedFile makes for the same seed, part for part (each decrypts,
// integrity checked, to the same plaintext, and the whole to
// GeneratedContent), but stored: every GET answers the bytes on disk,
// the same each time, where the on-the-fly file encrypts anew (a fresh
// salt and session key) for each. The corrupt-part fault applies to it.
func TestGeneratedFileOnDisk(t *testing.T) {
	const size = sendsafelytest.FirstPartSize + 3*sendsafelytest.PartSize + 777
	s := sendsafelytest.Start(t, sendsafelytest.Config{})
	p := s.CreatePackage("upload-1", "who@example.com")
	pass := p.ServerSecret + p.KeyCode
	fly, err := s.AddGeneratedFile(p.ID, "fly.bin", size, 42)
	if err != nil {
		t.Fatal(err)
	}
	disk, err := s.AddGeneratedFileOnDisk(p.ID, "disk.bin", size, 42, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if disk.Size != size || disk.Parts != fly.Parts || disk.Parts != 5 {
		t.Fatalf("on disk %+v, on the fly %+v: want %d bytes in 5 parts each", disk, fly, size)
	}
	flyParts, flyAgain := fetchParts(t, s, p, fly)
	diskParts, diskAgain := fetchParts(t, s, p, disk)
	var all []byte
	for i := range disk.Parts {
		want, _, err := decryptPart(flyParts[i], pass)
		if err != nil {
			t.Fatalf("on the fly, part %d: %v", i+1, err)
		}
		got, _, err := decryptPart(diskParts[i], pass)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("on disk, part %d: %d bytes (%v); want the on-the-fly part's %d", i+1, len(got), err, len(want))
		}
		stored, err := s.StoredPart(p.ID, disk.ID, i+1)
		if err != nil || !bytes.Equal(diskParts[i], diskAgain[i]) || !bytes.Equal(diskParts[i], stored) {
			t.Errorf("on disk, part %d: two GETs and StoredPart (%v) differ; want the stored bytes each time", i+1, err)
		}
		if bytes.Equal(flyParts[i], flyAgain[i]) {
			t.Errorf("on the fly, part %d: two GETs answered the same ciphertext; want a fresh encryption each", i+1)
		}
		all = append(all, got...)
	}
	content, _ := io.ReadAll(sendsafelytest.GeneratedContent(size, 42))
	if !bytes.Equal(all, content) {
		t.Errorf("the parts on disk decrypt to %d bytes, not GeneratedContent's %d", len(all), len(content))
	}

	s.CorruptPart(disk.ID, 2, true)
	bad, _ := fetchParts(t, s, p, disk)
	s.CorruptPart(disk.ID, 2, false)
	if _, _, err := decryptPart(bad[1], pass); err == nil || bytes.Equal(bad[1], diskParts[1]) {
		t.Errorf("a corrupt part on disk: decrypt %v; want a flipped byte that fails the integrity check", err)
	}
}

// TestGeneratedFileOnDiskMemory: the ciphertext is on disk, not in the
// heap: after a file of 40 MB is added, the live heap has grown by far
// less than the file, and the parts file under dir holds all of it
// (more than the plaintext: OpenPGP's overhead per part).
func TestGeneratedFileOnDiskMemory(t *testing.T) {
	const size = sendsafelytest.FirstPartSize + 15*sendsafelytest.PartSize
	s := sendsafelytest.Start(t, sendsafelytest.Config{})
	p := s.CreatePackage("upload-1", "who@example.com")
	dir := t.TempDir()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f, err := s.AddGeneratedFileOnDisk(p.ID, "big.bin", size, 7, dir)
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	if grew := int64(after.HeapAlloc) - int64(before.HeapAlloc); grew > size/8 {
		t.Errorf("the live heap grew by %d bytes for a file of %d; want the ciphertext on disk", grew, size)
	}
	names, _ := filepath.Glob(filepath.Join(dir, "*"))
	if len(names) != 1 {
		t.Fatalf("files under dir: %v; want one of the parts", names)
	}
	fi, err := os.Stat(names[0])
	if err != nil || fi.Size() <= size || f.Parts != 16 {
		t.Errorf("parts file %v (%v) for %+v; want more than %d bytes of 16 parts", fi, err, f, int64(size))
	}
}
