package sendsafelytest_test

import (
	"bytes"
	"crypto/sha256"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/sendsafely"
	"github.com/sendsafely/chatbot-connector/internal/sendsafely/sendsafelytest"
)

// sdkDir holds SendSafely's Node.js SDK and the Node.js 24 it needs
// (make sendsafely-sdk installs them) and the scripts that drive it.
const sdkDir = "../testdata/sdk"

func runSDK(t *testing.T, s *sendsafelytest.Server, script string, request map[string]any, out any) {
	t.Helper()
	s.RunSDK(t, sdkDir, s.URL(), script, request, out)
}

// TestSDKUploads: SendSafely's Node.js SDK, unchanged, makes a package at
// the stand-in, uploads three files from disk with its own encryption,
// encrypts the keycode to the registered Trusted Browser key and
// finalizes. The stand-in then holds those files, named and sized as the
// SDK sent them, and our decryption of the stored parts (go-crypto,
// passphrase serverSecret + keycode) gives the SDK's bytes back; the
// package's details and keycode, read with our client and the trusted key
// as verified mode reads them, confirm the SDK's link. A file of whole
// segments (2,621,440 bytes, 5,242,880) is declared with as many parts,
// and the SDK (lib/FileUtil.js) puts one more after them, an OpenPGP
// message of no plaintext: the stand-in keeps it apart, and files[] does
// not count it.
func TestSDKUploads(t *testing.T) {
	s := sendsafelytest.Start(t, sendsafelytest.Config{UserEmail: "owner@example.com"})
	pub, err := readFile("../testdata/gnupg-public.asc")
	if err != nil {
		t.Fatal(err)
	}
	priv, err := readFile("../testdata/gnupg-private.asc")
	if err != nil {
		t.Fatal(err)
	}
	keyID, err := s.RegisterKey(pub, "trusted browser")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	// In this order: the SDK puts the empty part after a file's
	// upload-complete, and a file's parts after the part before them, so
	// that only the last file's could still be under way when it
	// finalizes.
	ordered := []struct {
		name    string
		content []byte
	}{
		{"empty.txt", []byte{}},
		{"one segment.bin", bytes.Repeat([]byte("segment!"), sendsafelytest.PartSize/8)},
		{"one byte.bin", []byte{0x7f}},
		{"two segments.bin", bytes.Repeat([]byte("segments"), 2*sendsafelytest.PartSize/8)},
		{"three million.bin", bytes.Repeat([]byte("0123456789abcdefghijklmnopqrstuvwxyz"), 3000000/36+1)[:3000000]},
	}
	contents := map[string][]byte{}
	var paths []string
	for _, f := range ordered {
		p := filepath.Join(dir, f.name)
		if err := os.WriteFile(p, f.content, 0o600); err != nil {
			t.Fatal(err)
		}
		contents[f.name] = f.content
		paths = append(paths, p)
	}
	var up sendsafelytest.SDKUpload
	runSDK(t, s, "upload.js", map[string]any{"label": "upload-42", "files": paths}, &up)

	p, ok := s.Package(up.PackageID)
	if !ok || !p.Finalized || p.Label != "upload-42" || p.Sender != "owner@example.com" || p.ServerSecret != up.ServerSecret || p.Code != up.PackageCode {
		t.Fatalf("stand-in's package %+v, want finalized, labelled, of the API user, with the SDK's code and server secret", p)
	}
	files, err := s.Files(up.PackageID)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int64{}
	for _, f := range files {
		got[f.Name] = f.Size
		// The SDK uploads a file from disk in parts of 2,621,440 bytes
		// (not the browser's first part of 655,360); an empty file is one
		// part.
		if want := max(1, (f.Size+sendsafelytest.PartSize-1)/sendsafelytest.PartSize); int64(f.Parts) != want {
			t.Errorf("%s: %d parts, want %d", f.Name, f.Parts, want)
		}
		plain := decryptStored(t, s, up.PackageID, f, up.ServerSecret+up.KeyCode)
		if sha256.Sum256(plain) != sha256.Sum256(contents[f.Name]) {
			t.Errorf("%s: our decryption of the stored parts gives %d bytes that are not the SDK's %d", f.Name, len(plain), len(contents[f.Name]))
		}
		extra, err := s.StoredPart(up.PackageID, f.ID, f.Parts+1)
		whole := f.Size > 0 && f.Size%sendsafelytest.PartSize == 0
		switch {
		case whole && err != nil:
			t.Errorf("%s: no part %d after its %d: %v; want the SDK's empty one", f.Name, f.Parts+1, f.Parts, err)
		case whole:
			if b, _, err := decryptPart(extra, up.ServerSecret+up.KeyCode); err != nil || len(b) != 0 {
				t.Errorf("%s: part %d (%d bytes) decrypts to %d bytes, %v; want an empty message", f.Name, f.Parts+1, len(extra), len(b), err)
			}
		case err == nil:
			t.Errorf("%s: a part %d after its %d; want none", f.Name, f.Parts+1, f.Parts)
		}
	}
	// The SDK's own download of a file with its empty part after the
	// declared ones: the declared parts, byte for byte.
	for _, f := range files {
		if f.Name != "two segments.bin" {
			continue
		}
		out := filepath.Join(t.TempDir(), "out")
		var got struct {
			FileID string
			Bytes  int
		}
		runSDK(t, s, "download.js", map[string]any{"packageId": up.PackageID, "fileId": f.ID, "keyCode": up.KeyCode, "out": out}, &got)
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if sha256.Sum256(b) != sha256.Sum256(contents[f.Name]) {
			t.Errorf("the SDK downloaded %d bytes of %s, want its %d", len(b), f.Name, len(contents[f.Name]))
		}
	}
	want := map[string]int64{}
	for name, c := range contents {
		want[name] = int64(len(c))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("stored files, name → size (-want +got):\n%s", diff)
	}

	// What verified mode reads: the details and the keycode, decrypted
	// with the trusted key, open the SDK's link.
	key := connector.TrustedKey{APIKey: connector.Secret(s.APIKey()), APISecret: connector.Secret(s.APISecret()), KeyID: keyID, PrivateKey: connector.Secret(priv)}
	c := sendsafely.New(s.URL())
	info, err := c.Package(t.Context(), key, up.PackageID)
	if err != nil {
		t.Fatal(err)
	}
	kc, err := c.KeyCode(t.Context(), key, up.PackageID)
	if err != nil {
		t.Fatal(err)
	}
	wantLink := "https://" + s.Host() + "/receive/?thread=" + up.PackageID + "&packageCode=" + up.PackageCode + "#keyCode=" + up.KeyCode
	if gotLink := "https://" + s.Host() + "/receive/?thread=" + info.ID + "&packageCode=" + string(info.Code) + "#keyCode=" + string(kc); gotLink != wantLink || up.Link != wantLink {
		t.Errorf("link from what our client reads: %q; the SDK's: %q; want both %q", gotLink, up.Link, wantLink)
	}
}

// TestSDKDownloads: SendSafely's Node.js SDK, unchanged, downloads and
// decrypts files the stand-in encrypted as the browser uploader does,
// byte for byte.
func TestSDKDownloads(t *testing.T) {
	s := sendsafelytest.Start(t, sendsafelytest.Config{})
	p := s.CreatePackage("upload-7", "who@example.com")
	for _, tt := range []struct {
		name string
		size int
	}{
		{"empty", 0},
		{"one part", 1000},
		// 3 parts: 655,360 + 2,621,440 + 1 (the SDK asks for 26 URLs and
		// gets 3).
		{"three parts", sendsafelytest.FirstPartSize + sendsafelytest.PartSize + 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			content := make([]byte, tt.size)
			for i := range content {
				content[i] = byte(i * 7)
			}
			f, err := s.AddFile(p.ID, tt.name+".bin", content)
			if err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(t.TempDir(), "out")
			var got struct {
				FileID string
				Bytes  int
			}
			runSDK(t, s, "download.js", map[string]any{"packageId": p.ID, "fileId": f.ID, "keyCode": p.KeyCode, "out": out}, &got)
			b, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			if got.FileID != f.ID || sha256.Sum256(b) != sha256.Sum256(content) {
				t.Errorf("the SDK wrote %d bytes of file %s, want the %d bytes of %s", len(b), got.FileID, len(content), f.ID)
			}
		})
	}
}
