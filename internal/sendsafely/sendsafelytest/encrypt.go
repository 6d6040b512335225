package sendsafelytest

import (
	"fmt"
	"strings"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
)

// Encrypt returns keycode as an armored OpenPGP message encrypted to the
// armored public key, as SendSafely's upload page does (openpgp.js
// encrypting a text message to each key of GET /package/{id}/public-keys/);
// with no hints, go-crypto writes a UTF-8 literal, as openpgp.js does.
func Encrypt(armoredPublic, keycode string) (string, error) {
	el, err := openpgp.ReadArmoredKeyRing(strings.NewReader(armoredPublic))
	if err != nil {
		return "", fmt.Errorf("sendsafelytest: read public key: %w", err)
	}
	var b strings.Builder
	aw, err := armor.Encode(&b, "PGP MESSAGE", nil)
	if err != nil {
		return "", err
	}
	pw, err := openpgp.Encrypt(aw, el, nil, nil, nil)
	if err != nil {
		return "", fmt.Errorf("sendsafelytest: encrypt: %w", err)
	}
	if _, err := pw.Write([]byte(keycode)); err != nil {
		return "", err
	}
	if err := pw.Close(); err != nil {
		return "", err
	}
	if err := aw.Close(); err != nil {
		return "", err
	}
	b.WriteString("\n")
	return b.String(), nil
}
