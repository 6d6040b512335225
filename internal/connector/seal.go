package connector

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
)

// sealVersion is the first byte of every sealed blob, so the format can
// change without guessing.
const sealVersion = 1

// errUnseal means a stored blob could not be opened: corrupt, or written
// under another key. It is not a kind: the edge answers it as a 500.
var errUnseal = errors.New("connector: stored record cannot be opened")

// seal encrypts v as JSON with AES-256-GCM under the upload's seal key
// (aead, from idKeys.aead). The table key is the additional data, so a
// blob copied to another row does not open.
func seal(aead cipher.AEAD, key string, v any) ([]byte, error) {
	plain, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("connector: seal: %w", err)
	}
	out := make([]byte, 1+aead.NonceSize(), 1+aead.NonceSize()+len(plain)+aead.Overhead())
	out[0] = sealVersion
	if _, err := rand.Read(out[1:]); err != nil {
		return nil, fmt.Errorf("connector: seal: nonce: %w", err)
	}
	return aead.Seal(out, out[1:], plain, []byte(key)), nil
}

// unseal reverses seal into v.
func unseal(aead cipher.AEAD, key string, blob []byte, v any) error {
	if len(blob) < 1+aead.NonceSize() || blob[0] != sealVersion {
		return errUnseal
	}
	nonce, ct := blob[1:1+aead.NonceSize()], blob[1+aead.NonceSize():]
	plain, err := aead.Open(nil, nonce, ct, []byte(key))
	if err != nil {
		return errUnseal
	}
	if err := json.Unmarshal(plain, v); err != nil {
		return fmt.Errorf("%w: %v", errUnseal, err)
	}
	return nil
}

// aead returns the AES-256-GCM AEAD under the upload's seal key.
func (k idKeys) aead() cipher.AEAD {
	block, err := aes.NewCipher(k.derive(infoSealKey, 32))
	if err != nil {
		panic("connector: aes: " + err.Error()) // a 32-byte key never fails
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		panic("connector: gcm: " + err.Error())
	}
	return aead
}
