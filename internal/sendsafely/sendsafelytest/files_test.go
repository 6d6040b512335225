package sendsafelytest_test

import (
	"bytes"
	"io"
	"sync"
	"testing"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
	"github.com/google/go-cmp/cmp"

	"github.com/sendsafely/chatbot-connector/internal/sendsafely/sendsafelytest"
)

// decryptPart decrypts one part with passphrase, reading it to its end
// so that the integrity check runs.
func decryptPart(part []byte, passphrase string) ([]byte, *openpgp.MessageDetails, error) {
	tried := false
	md, err := openpgp.ReadMessage(bytes.NewReader(part), nil, func([]openpgp.Key, bool) ([]byte, error) {
		if tried {
			return nil, io.ErrUnexpectedEOF
		}
		tried = true
		return []byte(passphrase), nil
	}, &packet.Config{})
	if err != nil {
		return nil, nil, err
	}
	b, err := io.ReadAll(md.UnverifiedBody)
	return b, md, err
}

// decryptStored decrypts every stored part of f, in order.
func decryptStored(t *testing.T, s *sendsafelytest.Server, packageID string, f sendsafelytest.File, passphrase string) []byte {
	t.Helper()
	var out []byte
	for n := 1; n <= f.Parts; n++ {
		c, err := s.StoredPart(packageID, f.ID, n)
		if err != nil {
			t.Fatalf("%s part %d: %v", f.Name, n, err)
		}
		b, _, err := decryptPart(c, passphrase)
		if err != nil {
			t.Fatalf("%s part %d: decrypt: %v", f.Name, n, err)
		}
		out = append(out, b...)
	}
	return out
}

// TestAddFileParts: AddFile splits as the browser uploader does, a first
// part of 655,360 bytes and then 2,621,440, an empty file being one empty
// part, and each part decrypts (integrity checked) with serverSecret +
// keycode to its slice of the content.
func TestAddFileParts(t *testing.T) {
	const first, seg = sendsafelytest.FirstPartSize, sendsafelytest.PartSize
	s := sendsafelytest.Start(t, sendsafelytest.Config{})
	p := s.CreatePackage("upload-1", "who@example.com")
	for _, tt := range []struct {
		name  string
		size  int
		parts []int
	}{
		{"empty", 0, []int{0}},
		{"one byte", 1, []int{1}},
		{"a first part", first, []int{first}},
		{"a byte more", first + 1, []int{first, 1}},
		{"three parts", first + seg + 1, []int{first, seg, 1}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			content := make([]byte, tt.size)
			for i := range content {
				content[i] = byte(i % 251)
			}
			f, err := s.AddFile(p.ID, tt.name, content)
			if err != nil {
				t.Fatal(err)
			}
			if f.Size != int64(tt.size) || f.Parts != len(tt.parts) || f.Name != tt.name || f.ID == "" {
				t.Errorf("got %+v, want %q of %d bytes in %d parts", f, tt.name, tt.size, len(tt.parts))
			}
			var sizes []int
			var all []byte
			for n := 1; n <= f.Parts; n++ {
				c, err := s.StoredPart(p.ID, f.ID, n)
				if err != nil {
					t.Fatal(err)
				}
				b, md, err := decryptPart(c, p.ServerSecret+p.KeyCode)
				if err != nil {
					t.Fatalf("part %d: %v", n, err)
				}
				if !md.IsSymmetricallyEncrypted || md.LiteralData == nil || !md.LiteralData.IsBinary {
					t.Errorf("part %d: symmetric %v, literal %+v; want a symmetrically encrypted binary literal", n, md.IsSymmetricallyEncrypted, md.LiteralData)
				}
				sizes, all = append(sizes, len(b)), append(all, b...)
			}
			if diff := cmp.Diff(tt.parts, sizes); diff != "" {
				t.Errorf("part sizes (-want +got):\n%s", diff)
			}
			if !bytes.Equal(all, content) {
				t.Error("the decrypted parts are not the content")
			}
		})
	}
}

// TestPartPackets: a part is what openpgp.js writes for SendSafely's
// uploaders: SKESK v4 (AES-256, iterated and salted S2K over SHA-256,
// count byte 96) then SEIPD v1 (with MDC); the wrong passphrase does not
// open it.
func TestPartPackets(t *testing.T) {
	c, err := sendsafelytest.EncryptPart("secret"+"keycode", []byte("hello"))
	if err != nil {
		t.Fatal(err)
	}
	// New-format headers with one-byte lengths: tag 3 (0xc3), then 18 (0xd2).
	if c[0] != 0xc3 {
		t.Fatalf("first packet header %#x, want 0xc3 (SKESK)", c[0])
	}
	skesk := c[2 : 2+int(c[1])]
	got := []byte{skesk[0], skesk[1], skesk[2], skesk[3], skesk[12]}
	if diff := cmp.Diff([]byte{4, 9, 3, 8, 96}, got); diff != "" {
		t.Errorf("SKESK version, cipher, S2K type, hash, count (-want +got):\n%s", diff)
	}
	seipd := c[2+int(c[1]):]
	if seipd[0] != 0xd2 {
		t.Fatalf("second packet header %#x, want 0xd2 (SEIPD)", seipd[0])
	}
	if v := seipd[2]; v != 1 {
		t.Errorf("SEIPD version %d, want 1 (MDC)", v)
	}
	if b, _, err := decryptPart(c, "secretkeycode"); err != nil || string(b) != "hello" {
		t.Errorf("decrypt: %q, %v; want hello", b, err)
	}
	if _, _, err := decryptPart(c, "wrong"); err == nil {
		t.Error("the wrong passphrase opened the part")
	}
}

// TestEncryptPartConcurrently: the parts of a generated file are
// encrypted when they are fetched, several at once (retrieval fetches a
// few parts in flight), so EncryptPart must be safe for concurrent use;
// under -race this fails if the calls share a go-crypto configuration
// (s2k.Generate writes to the one it is given). Each part still decrypts
// to its plaintext.
func TestEncryptPartConcurrently(t *testing.T) {
	const n = 8
	var wg sync.WaitGroup
	parts := make([][]byte, n)
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			parts[i], errs[i] = sendsafelytest.EncryptPart("secret+keycode", []byte{byte(i)})
		}()
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("part %d: %v", i, errs[i])
		}
		got, _, err := decryptPart(parts[i], "secret+keycode")
		if err != nil || !bytes.Equal(got, []byte{byte(i)}) {
			t.Errorf("part %d decrypts to %v (%v), want [%d]", i, got, err, i)
		}
	}
}
