package sendsafely

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"io"
	"strings"
	"sync"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// maxKeyCode bounds the decrypted text read: a keycode is 43 characters.
const maxKeyCode = 1 << 10

// errKey and errMessage say what failed without quoting the key or the
// message, or the library's text, which could describe either.
var (
	errKey     = errors.New("the trusted private key cannot be read as an unencrypted ASCII-armored OpenPGP key")
	errMessage = errors.New("the keycode message does not decrypt with the trusted private key")
)

// keyCache keeps the parsed private key, keyed by a hash of its armored
// text: parsing costs milliseconds, so it is done on first use rather than
// at start, and again only when the secret's key changes. The zero value
// is ready; it is safe for concurrent use.
type keyCache struct {
	mu   sync.Mutex
	sum  [sha256.Size]byte
	keys openpgp.EntityList
}

// entities returns the parsed private key armored.
func (k *keyCache) entities(armored connector.Secret) (openpgp.EntityList, error) {
	sum := sha256.Sum256([]byte(armored))
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.keys != nil && k.sum == sum {
		return k.keys, nil
	}
	el, err := openpgp.ReadArmoredKeyRing(strings.NewReader(string(armored)))
	if err != nil || len(el) == 0 || el[0].PrivateKey == nil {
		return nil, errKey
	}
	for _, e := range el {
		if e.PrivateKey != nil && e.PrivateKey.Encrypted {
			return nil, errKey
		}
		for _, s := range e.Subkeys {
			if s.PrivateKey != nil && s.PrivateKey.Encrypted {
				return nil, errKey
			}
		}
	}
	k.sum, k.keys = sum, el
	return el, nil
}

// decrypt returns the keycode in the armored OpenPGP message, decrypted
// with the private key armoredKey, surrounding white space trimmed.
func (k *keyCache) decrypt(armoredKey connector.Secret, message string) (connector.Secret, error) {
	el, err := k.entities(armoredKey)
	if err != nil {
		return "", err
	}
	block, err := armor.Decode(strings.NewReader(message))
	if err != nil || block.Type != "PGP MESSAGE" {
		return "", errMessage
	}
	md, err := openpgp.ReadMessage(block.Body, el, nil, nil)
	if err != nil || !md.IsEncrypted {
		return "", errMessage
	}
	// Reading to the end checks the message's integrity (MDC or AEAD).
	text, err := io.ReadAll(io.LimitReader(md.UnverifiedBody, maxKeyCode+1))
	if err != nil || len(text) > maxKeyCode {
		return "", errMessage
	}
	kc := bytes.TrimSpace(text)
	if len(kc) == 0 {
		return "", errMessage
	}
	return connector.Secret(kc), nil
}
