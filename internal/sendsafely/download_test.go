package sendsafely_test

import (
	"bytes"
	"context"
	"crypto"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp/packet"
	"github.com/google/go-cmp/cmp"

	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/sendsafely"
)

// The uploaders, as dropzone.md describes them.
var (
	browser = uploader{hash: crypto.SHA256, countByte: 96, literal: 'b'}
	python  = uploader{hash: crypto.SHA256, countByte: 255, literal: 'b'}
	java    = uploader{hash: crypto.SHA1, countByte: 96, literal: 'b'}
)

// plainParts returns n distinct plaintexts of size bytes.
func plainParts(n, size int) [][]byte {
	var out [][]byte
	for i := range n {
		line := fmt.Sprintf("part %d\r\nline\n", i+1)
		p := bytes.Repeat([]byte(line), size/len(line)+1)
		out = append(out, p[:size])
	}
	return out
}

// encryptAll encrypts each of plain as u does.
func encryptAll(t testing.TB, u uploader, plain [][]byte) [][]byte {
	var out [][]byte
	for _, p := range plain {
		out = append(out, encryptPart(t, u, filePassphrase, p))
	}
	return out
}

// checkSecrets fails t if err's text holds a credential.
func checkSecrets(t *testing.T, err error) {
	t.Helper()
	for _, s := range []string{fileKeyCode, fileServerSecret, sendsafely.Checksum(fileKeyCode, filePackageCode), urlSecret, "/parts/"} {
		if strings.Contains(err.Error(), s) {
			t.Errorf("error %q holds a credential", err)
		}
	}
}

func TestDownloadDecryptsEveryUploader(t *testing.T) {
	gnupg, err := os.ReadFile("testdata/gnupg-part.gpg")
	if err != nil {
		t.Fatal(err)
	}
	gnupgPlain, err := os.ReadFile("testdata/gnupg-part.txt")
	if err != nil {
		t.Fatal(err)
	}
	openpgpjsEmpty, err := os.ReadFile("testdata/openpgpjs-empty-part.gpg")
	if err != nil {
		t.Fatal(err)
	}
	plain := plainParts(2, 5000)
	for _, tt := range []struct {
		name  string
		parts [][]byte
		want  []byte
	}{
		{"browser and Node.js: SHA-256, count byte 96", encryptAll(t, browser, plain), bytes.Join(plain, nil)},
		{"Python: SHA-256, count byte 255", encryptAll(t, python, plain), bytes.Join(plain, nil)},
		{"Java: SHA-1", encryptAll(t, java, plain), bytes.Join(plain, nil)},
		{"literal t", encryptAll(t, uploader{hash: crypto.SHA256, countByte: 96, literal: 't'}, plain), bytes.Join(plain, nil)},
		{"compressed (ZLIB)", encryptAll(t, uploader{hash: crypto.SHA256, countByte: 96, literal: 'b', compress: packet.CompressionZLIB}, plain), bytes.Join(plain, nil)},
		{"compressed (ZIP), literal t", encryptAll(t, uploader{hash: crypto.SHA1, countByte: 96, literal: 't', compress: packet.CompressionZIP}, plain), bytes.Join(plain, nil)},
		{"go-crypto: SHA-256, count byte 96", encryptAll(t, uploader{hash: crypto.SHA256, countByte: 96, literal: 'b', goCrypto: true}, plain), bytes.Join(plain, nil)},
		{"go-crypto: SHA-256, count byte 255", encryptAll(t, uploader{hash: crypto.SHA256, countByte: 255, literal: 'b', goCrypto: true}, plain), bytes.Join(plain, nil)},
		{"go-crypto: literal u, ZLIB", encryptAll(t, uploader{hash: crypto.SHA256, countByte: 96, literal: 'u', compress: packet.CompressionZLIB, goCrypto: true}, plain), bytes.Join(plain, nil)},
		{"GnuPG: SHA-1, ZLIB", [][]byte{gnupg, gnupg}, append(bytes.Clone(gnupgPlain), gnupgPlain...)},
		{"an empty part", encryptAll(t, browser, [][]byte{plain[0], {}, plain[1]}), bytes.Join(plain, nil)},
		// SendSafely's Python client declares a file of whole segments
		// with one part more than it fills.
		{"an empty part last: Python", encryptAll(t, python, [][]byte{plain[0], plain[1], {}}), bytes.Join(plain, nil)},
		// The Node.js SDK's empty part after a file of whole segments, as
		// its lib/uploadWorker.js encrypts it (OpenPGP.js 6.3.0).
		{"an empty part last: OpenPGP.js", append(encryptAll(t, browser, plain), openpgpjsEmpty), bytes.Join(plain, nil)},
		{"only an empty part: OpenPGP.js", [][]byte{openpgpjsEmpty}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := newPartServer(t, tt.parts)
			var slept []time.Duration
			var got bytes.Buffer
			n, err := s.client(&slept).Download(t.Context(), fileKey, fileRef, 1, len(tt.parts), &got)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Bytes(), tt.want) {
				t.Errorf("got %d bytes that differ from the %d wanted", got.Len(), len(tt.want))
			}
			if n != int64(len(tt.want)) {
				t.Errorf("got n %d, want %d", n, len(tt.want))
			}
		})
	}
}

func TestDownloadRefusesCorruptParts(t *testing.T) {
	nomdc, err := os.ReadFile("testdata/gnupg-part-nomdc.gpg")
	if err != nil {
		t.Fatal(err)
	}
	plain := plainParts(3, 5000)
	good := encryptAll(t, browser, plain)
	flip := func(i int) []byte {
		b := bytes.Clone(good[1])
		b[(i+len(b))%len(b)] ^= 0x01
		return b
	}
	big := encryptPart(t, uploader{hash: crypto.SHA256, countByte: 96, literal: 'b', compress: packet.CompressionZLIB},
		filePassphrase, make([]byte, 32<<20+1))
	var unencrypted bytes.Buffer
	unencrypted.Write(literalPacket('b', "part", plain[1]))
	for _, tt := range []struct {
		name  string
		part2 []byte
	}{
		{"no integrity packet (GnuPG --rfc2440)", nomdc},
		{"a flipped byte in the middle", flip(len(good[1]) / 2)},
		{"a flipped byte in the MDC", flip(-1)},
		{"a flipped byte in the SKESK", flip(8)},
		{"truncated", good[1][:len(good[1])-10]},
		{"the wrong passphrase", encryptPart(t, browser, "wrong"+filePassphrase, plain[1])},
		{"the wrong passphrase, session key in the SKESK", encryptPart(t, uploader{hash: crypto.SHA256, countByte: 96, literal: 'b', goCrypto: true}, "wrong", plain[1])},
		{"not encrypted", unencrypted.Bytes()},
		{"not OpenPGP", []byte("<Error><Code>AccessDenied</Code></Error>")},
		{"empty", nil},
		{"more than 32 MiB of plaintext", big},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := newPartServer(t, [][]byte{good[0], tt.part2, good[2]})
			var slept []time.Duration
			var got bytes.Buffer
			n, err := s.client(&slept).Download(t.Context(), fileKey, fileRef, 1, 3, &got)
			if !errors.Is(err, connector.ErrCorrupt) {
				t.Fatalf("got error %v, want ErrCorrupt", err)
			}
			checkSecrets(t, err)
			// Part 1 only: nothing of part 2 reached w.
			if !bytes.Equal(got.Bytes(), plain[0]) || n != int64(len(plain[0])) {
				t.Errorf("got %d bytes written (n %d), want part 1's %d", got.Len(), n, len(plain[0]))
			}
			if _, gets := s.requests(); gets[2] != 1 {
				t.Errorf("got %d GETs of part 2, want 1: a corrupt part is not fetched again", gets[2])
			}
		})
	}
}

// download runs Download of parts first to last from s and returns what
// it wrote.
func download(t *testing.T, s *partServer, first, last int) ([]byte, []time.Duration, error) {
	t.Helper()
	var slept []time.Duration
	var got bytes.Buffer
	n, err := s.client(&slept).Download(t.Context(), fileKey, fileRef, first, last, &got)
	if n != int64(got.Len()) {
		t.Errorf("got n %d, want the %d bytes written", n, got.Len())
	}
	return got.Bytes(), slept, err
}

func TestDownloadAsksForSegments(t *testing.T) {
	plain := plainParts(60, 100)
	parts := encryptAll(t, browser, plain)
	for _, tt := range []struct {
		name        string
		clamp       int
		first, last int
		want        [][2]int
	}{
		{"25 at a time", 0, 1, 60, [][2]int{{1, 25}, {26, 50}, {51, 60}}},
		{"a middle range", 0, 30, 55, [][2]int{{30, 54}, {55, 55}}},
		{"one part", 0, 7, 7, [][2]int{{7, 7}}},
		{"the server returns fewer", 10, 1, 30, [][2]int{{1, 25}, {11, 30}, {21, 30}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := newPartServer(t, parts[:max(tt.last, 30)])
			s.clamp = tt.clamp
			s.reverse = true
			got, _, err := download(t, s, tt.first, tt.last)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, bytes.Join(plain[tt.first-1:tt.last], nil)) {
				t.Errorf("got %d bytes that are not parts %d to %d", len(got), tt.first, tt.last)
			}
			asked, gets := s.requests()
			if diff := cmp.Diff(tt.want, asked); diff != "" {
				t.Errorf("segments asked for (-want +got):\n%s", diff)
			}
			wantGets := map[int]int{}
			for n := tt.first; n <= tt.last; n++ {
				wantGets[n] = 1
			}
			if diff := cmp.Diff(wantGets, gets); diff != "" {
				t.Errorf("GETs by part (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDownloadRefusesAnswersMissingAPart(t *testing.T) {
	parts := encryptAll(t, browser, plainParts(4, 100))
	for _, tt := range []struct {
		name   string
		answer func(map[int]string) map[int]string
	}{
		{"a gap", func(u map[int]string) map[int]string { delete(u, 2); return u }},
		{"no first part", func(u map[int]string) map[int]string { delete(u, 1); return u }},
		{"no URLs", func(map[int]string) map[int]string { return nil }},
		{"a part not asked for", func(u map[int]string) map[int]string { u[9] = u[1]; return u }},
		{"an empty URL", func(u map[int]string) map[int]string { u[3] = ""; return u }},
		{"plain http to a name", func(u map[int]string) map[int]string {
			u[1] = "http://example.com/parts/1/1?" + urlSecret
			return u
		}},
		{"plain http to localhost", func(u map[int]string) map[int]string {
			u[1] = strings.Replace(u[1], "127.0.0.1", "localhost", 1)
			return u
		}},
		{"ftp", func(u map[int]string) map[int]string { u[1] = "ftp://127.0.0.1/x?" + urlSecret; return u }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := newPartServer(t, parts)
			s.answer = tt.answer
			got, _, err := download(t, s, 1, 4)
			if !errors.Is(err, connector.ErrUnavailable) {
				t.Fatalf("got error %v, want ErrUnavailable", err)
			}
			checkSecrets(t, err)
			if len(got) != 0 {
				t.Errorf("got %d bytes written, want none", len(got))
			}
			if _, gets := s.requests(); len(gets) != 0 {
				t.Errorf("got GETs %v, want none", gets)
			}
		})
	}
}

// A part beyond the file's last (the server has no URL for it) is an
// error too, not the end of the file.
func TestDownloadRefusesPartsBeyondTheFile(t *testing.T) {
	plain := plainParts(3, 100)
	s := newPartServer(t, encryptAll(t, browser, plain))
	got, _, err := download(t, s, 1, 4)
	if !errors.Is(err, connector.ErrUnavailable) {
		t.Fatalf("got error %v, want ErrUnavailable", err)
	}
	if !bytes.HasPrefix(bytes.Join(plain, nil), got) {
		t.Errorf("got %d bytes that are not a prefix of the file", len(got))
	}
}

// Parts that arrive out of order are written in order: part 1 is served
// only once parts 2 to 4 have been.
func TestDownloadWritesInOrder(t *testing.T) {
	plain := plainParts(6, 3000)
	s := newPartServer(t, encryptAll(t, browser, plain))
	s.reverse = true
	later := make(chan struct{}, 3)
	s.hold = func(r *http.Request, part int) {
		switch part {
		case 1:
			for range 3 {
				select {
				case <-later:
				case <-r.Context().Done():
					return
				case <-time.After(10 * time.Second):
					t.Error("parts 2 to 4 were not asked for while part 1 was under way")
					return
				}
			}
		case 2, 3, 4:
			later <- struct{}{}
		}
	}
	got, _, err := download(t, s, 1, 6)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, bytes.Join(plain, nil)) {
		t.Errorf("got %d bytes that are not the parts in order", len(got))
	}
}

// TestDownloadKeepsItsConnections holds the parts four at a time (the
// parts in flight) until all four are asked for, so that four connections
// are busy at once in every round: they must then be kept for the next
// round, not closed and dialed again (a TLS handshake with S3 per part).
func TestDownloadKeepsItsConnections(t *testing.T) {
	const inFlight, rounds = 4, 10
	plain := plainParts(inFlight*rounds, 3000)
	s := newPartServer(t, encryptAll(t, browser, plain))
	var mu sync.Mutex
	arrived := map[int]int{}
	all := map[int]chan struct{}{}
	s.hold = func(r *http.Request, part int) {
		round := (part - 1) / inFlight
		mu.Lock()
		if all[round] == nil {
			all[round] = make(chan struct{})
		}
		ch := all[round]
		if arrived[round]++; arrived[round] == inFlight {
			close(ch)
		}
		mu.Unlock()
		select {
		case <-ch:
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
			t.Errorf("part %d: the other parts of its round were not asked for", part)
		}
	}
	got, _, err := download(t, s, 1, inFlight*rounds)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, bytes.Join(plain, nil)) {
		t.Errorf("got %d bytes that are not the parts in order", len(got))
	}
	// inFlight for the parts and one for download-urls; a dial raced by a
	// connection coming back idle may add a few, never one per round.
	if n := s.connections(); n > 2*inFlight {
		t.Errorf("%d rounds of %d parts made %d connections, want at most %d", rounds, inFlight, n, 2*inFlight)
	}
}

func TestDownloadRetries(t *testing.T) {
	plain := plainParts(3, 1000)
	parts := encryptAll(t, browser, plain)
	for _, tt := range []struct {
		name      string
		fail      func(batch, part, attempt int) int
		wantErr   error
		wantSlept []time.Duration
		wantGets  map[int]int
		wantAsked [][2]int
	}{
		{
			name: "500 twice, then 200",
			fail: func(_, part, attempt int) int {
				if part == 2 && attempt <= 2 {
					return http.StatusInternalServerError
				}
				return 0
			},
			wantSlept: []time.Duration{time.Second, 2 * time.Second},
			wantGets:  map[int]int{1: 1, 2: 3, 3: 1},
			wantAsked: [][2]int{{1, 3}},
		},
		{
			name: "a dropped connection, then 200",
			fail: func(_, part, attempt int) int {
				if part == 2 && attempt == 1 {
					return -1
				}
				return 0
			},
			wantSlept: []time.Duration{time.Second},
			wantGets:  map[int]int{1: 1, 2: 2, 3: 1},
			wantAsked: [][2]int{{1, 3}},
		},
		{
			name: "503 every time",
			fail: func(_, part, _ int) int {
				if part == 2 {
					return http.StatusServiceUnavailable
				}
				return 0
			},
			wantErr:   connector.ErrUnavailable,
			wantSlept: []time.Duration{time.Second, 2 * time.Second, 4 * time.Second},
			wantGets:  map[int]int{1: 1, 2: 4, 3: 1},
			wantAsked: [][2]int{{1, 3}},
		},
		{
			name: "404 is not retried",
			fail: func(_, part, _ int) int {
				if part == 2 {
					return http.StatusNotFound
				}
				return 0
			},
			wantErr:   connector.ErrUnavailable,
			wantGets:  map[int]int{1: 1, 2: 1, 3: 1},
			wantAsked: [][2]int{{1, 3}},
		},
		{
			name: "403 mid-file: the URLs are asked for again",
			fail: func(batch, part, _ int) int {
				if batch == 1 && part >= 2 {
					return http.StatusForbidden
				}
				return 0
			},
			wantGets:  map[int]int{1: 1, 2: 2, 3: 2},
			wantAsked: [][2]int{{1, 3}, {2, 3}},
		},
		{
			name: "403 every time",
			fail: func(_, part, _ int) int {
				if part == 2 {
					return http.StatusForbidden
				}
				return 0
			},
			wantErr:   connector.ErrUnavailable,
			wantGets:  map[int]int{1: 1, 2: 4, 3: 1},
			wantAsked: [][2]int{{1, 3}, {2, 3}, {2, 3}, {2, 3}},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := newPartServer(t, parts)
			s.fail = tt.fail
			got, slept, err := download(t, s, 1, 3)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("got error %v, want %v", err, tt.wantErr)
			}
			if err != nil {
				checkSecrets(t, err)
			} else if !bytes.Equal(got, bytes.Join(plain, nil)) {
				t.Errorf("got %d bytes that are not the file", len(got))
			}
			if diff := cmp.Diff(tt.wantSlept, slept); diff != "" {
				t.Errorf("sleeps (-want +got):\n%s", diff)
			}
			asked, gets := s.requests()
			if err != nil {
				// Part 3 may or may not have been asked for before part
				// 2 failed.
				delete(gets, 3)
				delete(tt.wantGets, 3)
			}
			if diff := cmp.Diff(tt.wantGets, gets); diff != "" {
				t.Errorf("GETs by part (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantAsked, asked); diff != "" {
				t.Errorf("segments asked for (-want +got):\n%s", diff)
			}
		})
	}
}

// A part that does not arrive within the part timeout is fetched again,
// and then the download fails.
func TestDownloadBoundsEachPart(t *testing.T) {
	s := newPartServer(t, encryptAll(t, browser, plainParts(1, 100)))
	s.hold = func(r *http.Request, _ int) { <-r.Context().Done() }
	var slept []time.Duration
	_, err := s.client(&slept, sendsafely.WithPartTimeout(10*time.Millisecond)).Download(t.Context(), fileKey, fileRef, 1, 1, io.Discard)
	if !errors.Is(err, connector.ErrUnavailable) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got error %v, want ErrUnavailable and DeadlineExceeded", err)
	}
	checkSecrets(t, err)
	if diff := cmp.Diff([]time.Duration{time.Second, 2 * time.Second, 4 * time.Second}, slept); diff != "" {
		t.Errorf("sleeps (-want +got):\n%s", diff)
	}
}

// Canceling the context ends a download under way: Download returns, its
// fetches ended.
func TestDownloadStopsWhenCanceled(t *testing.T) {
	s := newPartServer(t, encryptAll(t, browser, plainParts(8, 100)))
	ctx, cancel := context.WithCancel(t.Context())
	s.hold = func(r *http.Request, part int) {
		if part == 2 {
			cancel()
		}
		<-r.Context().Done()
	}
	var slept []time.Duration
	var got bytes.Buffer
	_, err := s.client(&slept).Download(ctx, fileKey, fileRef, 1, 8, &got)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got error %v, want context.Canceled", err)
	}
	if got.Len() != 0 {
		t.Errorf("got %d bytes written, want none", got.Len())
	}
	if len(slept) > 1 {
		t.Errorf("got sleeps %v after the cancel, want at most one", slept)
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestDownloadRefuses(t *testing.T) {
	s := newPartServer(t, encryptAll(t, browser, plainParts(2, 100)))
	var slept []time.Duration
	c := s.client(&slept)
	for _, tt := range []struct {
		name        string
		f           connector.FileRef
		first, last int
		w           io.Writer
		want        string
	}{
		{"part 0", fileRef, 0, 1, io.Discard, "sendsafely: download: invalid request: parts 0 to 1"},
		{"last before first", fileRef, 2, 1, io.Discard, "sendsafely: download: invalid request: parts 2 to 1"},
		{"a dot file id", connector.FileRef{PackageID: filePackageID, FileID: ".."}, 1, 1, io.Discard,
			"sendsafely: download: unavailable: an id is empty or a dot segment"},
		{"a failing writer", fileRef, 1, 2, failingWriter{}, "sendsafely: download part 1: write: disk full"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.Download(t.Context(), fileKey, tt.f, tt.first, tt.last, tt.w)
			if err == nil || err.Error() != tt.want {
				t.Errorf("got error %v, want %s", err, tt.want)
			}
		})
	}
}
