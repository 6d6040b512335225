package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// script writes an executable shell script standing in for python3.
func script(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "python3")
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestArtifactZip: the artifact's zip is SAM's, the size python3's
// zipfile prints, when python3 runs; with no python3, or one that fails or
// prints no size, it is Go's, and the row and the artifact section say
// so and name the zip the budget is judged on.
func TestArtifactZip(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "bootstrap")
	raw := bytes.Repeat([]byte("bootstrap, compressible "), 40000)
	if err := os.WriteFile(bin, raw, 0o755); err != nil {
		t.Fatal(err)
	}
	goBytes, err := goZip(raw)
	if err != nil || goBytes <= 0 || goBytes >= int64(len(raw)) {
		t.Fatalf("Go's zip: %d bytes (%v) of %d", goBytes, err, len(raw))
	}
	for _, tt := range []struct {
		name, python string
		sam          bool
		bytes        int64 // 0: Go's
		note         string
	}{
		{"no python3", "", false, 0, "python3 is not on the PATH"},
		{"python3 fails", script(t, "exit 3"), false, 0, "python3's zipfile failed"},
		{"python3 prints no size", script(t, "echo Traceback"), false, 0, `printed "Traceback\n"`},
		{"python3 prints the size", script(t, `test "$1" = -c && test "$3" = "`+bin+`" && echo 4242`), true, 4242, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			n, z, err := artifact(context.Background(), bin, tt.python)
			if err != nil {
				t.Fatal(err)
			}
			want := tt.bytes
			if want == 0 {
				want = goBytes
			}
			if n != int64(len(raw)) || z.sam != tt.sam || z.bytes != want || z.goBytes != goBytes || !strings.Contains(z.note, tt.note) {
				t.Errorf("got %d, %+v; want %d bytes, sam %v, zip %d, Go's %d, a note with %q", n, z, len(raw), tt.sam, want, goBytes, tt.note)
			}
			r := &results{bootstrap: n, zip: z}
			wantHow, judged := zipByGo, "judged on Go's zip"
			if tt.sam {
				wantHow, judged = zipBySAM, "judged on SAM's zip"
			}
			for _, render := range []func(writer){r.renderArtifactRow, r.renderArtifact} {
				var b strings.Builder
				render(func(f string, a ...any) { fmt.Fprintf(&b, f, a...) })
				if s := b.String(); !strings.Contains(s, wantHow) || !strings.Contains(s, judged) {
					t.Errorf("rendered %q: want %q and %q", s, wantHow, judged)
				}
			}
		})
	}
}

// TestArtifactZipByPython: with python3 on the PATH, the zip is made by
// its zipfile and is a zip of the binary (smaller than it, for a
// compressible one).
func TestArtifactZipByPython(t *testing.T) {
	python := python3()
	if python == "" {
		t.Skip("python3 is not on the PATH")
	}
	bin := filepath.Join(t.TempDir(), "bootstrap")
	raw := bytes.Repeat([]byte("bootstrap, compressible "), 40000)
	if err := os.WriteFile(bin, raw, 0o755); err != nil {
		t.Fatal(err)
	}
	_, z, err := artifact(context.Background(), bin, python)
	if err != nil || !z.sam || z.bytes <= 0 || z.bytes >= int64(len(raw)) {
		t.Errorf("got %+v (%v); want SAM's zip, smaller than the %d bytes", z, err, len(raw))
	}
}
