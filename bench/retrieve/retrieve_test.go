package main

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"testing"

	"github.com/sendsafely/chatbot-connector/internal/sendsafely/sendsafelytest"
)

// TestOursAndFloor: what make bench times is real work: ours (the
// retriever as make run wires it) and the floor each write the stand-in's
// generated file whole, byte for byte, for a file of one part and one of
// several (the browser's first part, then whole parts, a short last; in
// one range and in two), and
// report the time and the memory measured around the work.
func TestOursAndFloor(t *testing.T) {
	s := sendsafelytest.Start(t, sendsafelytest.Config{Host: benchHost})
	// 9 parts, about 19 MB: with ranges of one part asked for, two ranges
	// (each range holds at least 8 MiB).
	sizes := []int64{1000, sendsafelytest.FirstPartSize + 7*sendsafelytest.PartSize + 12345}
	st, err := prepare(s, s.URL(), t.TempDir(), sizes)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range st.Files {
		for _, tt := range []struct {
			name string
			run  func(setup, setupFile, string) (result, error)
		}{
			{"ours", func(s setup, f setupFile, dir string) (result, error) { return ours(s, f, dir, 0) }},
			{"ours, ranges of one part", func(s setup, f setupFile, dir string) (result, error) { return ours(s, f, dir, 1) }},
			{"floor", floor},
		} {
			t.Run(tt.name+", "+f.Name, func(t *testing.T) {
				res, err := tt.run(st, f, t.TempDir())
				if err != nil {
					t.Fatal(err)
				}
				b, err := os.ReadFile(res.Path)
				if err != nil {
					t.Fatal(err)
				}
				sum := sha256.Sum256(b)
				if got := hex.EncodeToString(sum[:]); got != f.Sha256 || int64(len(b)) != f.Size {
					t.Errorf("wrote %d bytes, sha256 %s; want %d, %s", len(b), got, f.Size, f.Sha256)
				}
				if res.Seconds <= 0 || res.BaseRSSKB <= 0 || res.PeakRSSKB < res.BaseRSSKB*9/10 {
					t.Errorf("result %+v: want a time, the RSS before and a peak", res)
				}
			})
		}
	}
}

// TestForward: what make bench times of the file callback is a whole
// post: the receiver read the multipart body, file and fields, so more
// bytes than the file, and answered status 0 (forward checks both).
func TestForward(t *testing.T) {
	for _, size := range []int64{0, 1, 3 << 20} {
		res, err := forward(size, t.TempDir())
		if err != nil {
			t.Fatalf("forward(%d): %v", size, err)
		}
		if res.Bytes <= size || res.Seconds <= 0 || res.PeakRSSKB < res.BaseRSSKB {
			t.Errorf("forward(%d) = %+v: want a body larger than the file, a time and a peak at least the base", size, res)
		}
	}
}
