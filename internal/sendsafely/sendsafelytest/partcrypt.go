package sendsafelytest

import (
	"bytes"
	"crypto"
	"crypto/pbkdf2"
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
	"github.com/ProtonMail/go-crypto/openpgp/s2k"
)

// Part sizes of SendSafely's browser uploader: a first part of a quarter
// segment, then whole segments (its Node.js SDK uploads a file from disk
// in whole segments throughout; the stand-in takes any sizes it is sent).
const (
	FirstPartSize = 655360
	PartSize      = 2621440
)

// partSizes returns the plaintext sizes of the parts a file of size bytes
// is split into, as the browser uploader splits it: one part, even for an
// empty file, while size fits the first part.
func partSizes(size int64) []int64 {
	if size <= FirstPartSize {
		return []int64{size}
	}
	sizes := []int64{FirstPartSize}
	for rest := size - FirstPartSize; rest > 0; rest -= PartSize {
		sizes = append(sizes, min(rest, PartSize))
	}
	return sizes
}

// partConfig is how SendSafely's uploaders (openpgp.js with
// s2kIterationCountByte 96) encrypt a part: SKESK v4 with iterated and
// salted S2K over SHA-256, 65,536 bytes hashed (count byte 96), AES-256,
// integrity protected (SEIPD v1 with MDC), no compression. It is made
// anew for each part: go-crypto's s2k.Generate writes to the
// configuration it is given, so parts encrypted at once (a generated
// file's, fetched a few in flight) must not share one.
func partConfig() *packet.Config {
	return &packet.Config{
		DefaultCipher:          packet.CipherAES256,
		DefaultHash:            crypto.SHA256,
		DefaultCompressionAlgo: packet.CompressionNone,
		S2KConfig:              &s2k.Config{S2KMode: s2k.IteratedSaltedS2K, Hash: crypto.SHA256, S2KCount: 65536},
	}
}

// EncryptPart returns plain as one binary OpenPGP message encrypted with
// passphrase (a package's serverSecret followed by its keycode), as
// SendSafely's browser uploader encrypts each part of a file.
func EncryptPart(passphrase string, plain []byte) ([]byte, error) {
	var b bytes.Buffer
	w, err := openpgp.SymmetricallyEncrypt(&b, []byte(passphrase), &openpgp.FileHints{IsBinary: true}, partConfig())
	if err != nil {
		return nil, fmt.Errorf("sendsafelytest: encrypt part: %w", err)
	}
	if _, err := w.Write(plain); err != nil {
		return nil, fmt.Errorf("sendsafelytest: encrypt part: %w", err)
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("sendsafelytest: encrypt part: %w", err)
	}
	return b.Bytes(), nil
}

// Checksum returns what SendSafely's clients send to prove they hold a
// package's keycode (finalize, download-urls): the lowercase hex of
// PBKDF2-HMAC-SHA256 of the keycode, salted with the package code, 1024
// rounds, 32 bytes.
func Checksum(keyCode, packageCode string) string {
	// Key fails only for a key length out of range, or in FIPS mode for
	// a short salt; 32 bytes is in range and the stand-in is not FIPS.
	k, _ := pbkdf2.Key(sha256.New, keyCode, []byte(packageCode), 1024, 32)
	return hex.EncodeToString(k)
}
