package sendsafely_test

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/binary"
	"hash"
	"io"
	"testing"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
	"github.com/ProtonMail/go-crypto/openpgp/s2k"
)

// uploader describes how one SendSafely uploader encrypts a part: SKESK
// v4 with an iterated and salted S2K, AES-256, the integrity (MDC) packet,
// a literal packet, perhaps compressed.
type uploader struct {
	hash      crypto.Hash // of the S2K
	countByte byte        // the S2K's coded count
	literal   byte        // the literal packet's format: 'b', 't' or 'u'
	compress  packet.CompressionAlgo
	// goCrypto makes the part with openpgp.SymmetricallyEncrypt, whose
	// SKESK carries an encrypted session key; otherwise the key is the
	// S2K's output, as OpenPGP.js and Bouncy Castle make it.
	goCrypto bool
}

// s2kCount decodes a coded S2K count (RFC 4880 3.7.1.3).
func s2kCount(c byte) int { return (16 + int(c&15)) << (uint(c>>4) + 6) }

// encryptPart returns plain encrypted with pass as u makes parts.
func encryptPart(t testing.TB, u uploader, pass string, plain []byte) []byte {
	t.Helper()
	var out bytes.Buffer
	if u.goCrypto {
		cfg := &packet.Config{
			DefaultCipher:          packet.CipherAES256,
			DefaultCompressionAlgo: u.compress,
			S2KConfig:              &s2k.Config{S2KMode: s2k.IteratedSaltedS2K, Hash: u.hash, S2KCount: s2kCount(u.countByte)},
		}
		w, err := openpgp.SymmetricallyEncrypt(&out, []byte(pass), &openpgp.FileHints{IsBinary: u.literal == 'b', FileName: "part"}, cfg)
		if err != nil {
			t.Fatal(err)
		}
		mustWrite(t, w, plain)
	} else {
		w := directSKESK(t, &out, u, pass)
		if u.compress != packet.CompressionNone {
			cw, err := packet.SerializeCompressed(w, u.compress, &packet.CompressionConfig{Level: 1})
			if err != nil {
				t.Fatal(err)
			}
			w = cw
		}
		mustWrite(t, w, literalPacket(u.literal, "part", plain))
	}
	checkS2K(t, out.Bytes(), u)
	return out.Bytes()
}

// directSKESK writes a SKESK v4 without an encrypted session key to out
// and returns the writer of the SEIPD v1 packet that follows, keyed with
// the S2K's output.
func directSKESK(t testing.TB, out io.Writer, u uploader, pass string) io.WriteCloser {
	t.Helper()
	var salt [8]byte
	rand.Read(salt[:])
	id := map[crypto.Hash]byte{crypto.SHA1: 2, crypto.SHA256: 8}[u.hash]
	var h hash.Hash = sha256.New()
	if u.hash == crypto.SHA1 {
		h = sha1.New()
	}
	body := append([]byte{4, byte(packet.CipherAES256), 3, id}, salt[:]...)
	body = append(body, u.countByte)
	out.Write(append([]byte{0xC0 | 3, byte(len(body))}, body...))
	key := make([]byte, 32)
	s2k.Iterated(key, h, []byte(pass), salt[:], s2kCount(u.countByte))
	w, err := packet.SerializeSymmetricallyEncrypted(out, packet.CipherAES256, false, packet.CipherSuite{}, key, nil)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// literalPacket returns a literal data packet of format f (new format,
// five-octet length) holding data.
func literalPacket(f byte, name string, data []byte) []byte {
	body := append([]byte{f, byte(len(name))}, name...)
	body = append(body, 0, 0, 0, 0) // the date
	body = append(body, data...)
	p := []byte{0xC0 | 11, 0xFF}
	p = binary.BigEndian.AppendUint32(p, uint32(len(body)))
	return append(p, body...)
}

// checkS2K fails t unless part starts with the SKESK v4 u describes, so
// that a case tests the parameters it names.
func checkS2K(t testing.TB, part []byte, u uploader) {
	t.Helper()
	id := map[crypto.Hash]byte{crypto.SHA1: 2, crypto.SHA256: 8}[u.hash]
	// 0xC3 len, version 4, cipher, S2K type 3, hash, salt[8], count
	if len(part) < 15 || part[0] != 0xC3 || part[2] != 4 || part[3] != byte(packet.CipherAES256) ||
		part[4] != 3 || part[5] != id || part[14] != u.countByte {
		t.Fatalf("the part does not start with the SKESK v4 wanted: % x", part[:min(len(part), 16)])
	}
}

func mustWrite(t testing.TB, w io.WriteCloser, b []byte) {
	t.Helper()
	if _, err := w.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}
