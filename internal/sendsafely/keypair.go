package sendsafely

import (
	"crypto"
	"fmt"
	"io"
	"strings"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
	"github.com/ProtonMail/go-crypto/openpgp/packet"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// KeyPair is a Trusted Browser key pair, both halves ASCII-armored
// OpenPGP. Its String hides the private half.
type KeyPair struct {
	Public  string
	Private connector.Secret
}

// String shows that a key pair is there, never its private half.
func (k KeyPair) String() string { return "sendsafely.KeyPair{[REDACTED]}" }

// GoString is String, so that %#v hides the private half too.
func (k KeyPair) GoString() string { return k.String() }

// GenerateKeyPair makes the kind of key pair SendSafely's clients make for
// a Trusted Browser: OpenPGP, an RSA 2048 primary key with an RSA 2048
// encryption subkey, user id "Trusted Browser <email>", and no passphrase
// on the private half.
func GenerateKeyPair(email string) (KeyPair, error) {
	cfg := &packet.Config{
		Algorithm:     packet.PubKeyAlgoRSA,
		RSABits:       2048,
		DefaultHash:   crypto.SHA256,
		DefaultCipher: packet.CipherAES256,
	}
	e, err := openpgp.NewEntity("Trusted Browser", "", email, cfg)
	if err != nil {
		return KeyPair{}, fmt.Errorf("sendsafely: make key pair: %w", err)
	}
	var pub, priv strings.Builder
	if err := writeArmored(&pub, openpgp.PublicKeyType, e.Serialize); err != nil {
		return KeyPair{}, fmt.Errorf("sendsafely: make key pair: public half: %w", err)
	}
	// NewEntity has signed the identity and the subkey binding already.
	if err := writeArmored(&priv, openpgp.PrivateKeyType, func(w io.Writer) error { return e.SerializePrivateWithoutSigning(w, cfg) }); err != nil {
		return KeyPair{}, fmt.Errorf("sendsafely: make key pair: private half")
	}
	return KeyPair{Public: pub.String(), Private: connector.Secret(priv.String())}, nil
}

// writeArmored writes what serialize writes, armored as blockType.
func writeArmored(w io.Writer, blockType string, serialize func(io.Writer) error) error {
	aw, err := armor.Encode(w, blockType, nil)
	if err != nil {
		return err
	}
	if err := serialize(aw); err != nil {
		return err
	}
	if err := aw.Close(); err != nil {
		return err
	}
	_, err = io.WriteString(w, "\n")
	return err
}
