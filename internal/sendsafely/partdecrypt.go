package sendsafely

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/ProtonMail/go-crypto/openpgp"
	pgperrors "github.com/ProtonMail/go-crypto/openpgp/errors"
	"github.com/ProtonMail/go-crypto/openpgp/packet"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// partConfig is how parts are read. It spells out go-crypto's default, so
// that no later change of it goes unnoticed: a message without its
// integrity packet (a Symmetrically Encrypted Data packet, tag 9) is
// refused, as SendSafely's Java client refuses it.
var partConfig = &packet.Config{InsecureAllowUnauthenticatedMessages: false}

// errWrongPassphrase ends go-crypto's asking: it asks again, forever, for
// as long as the answer does not decrypt.
var errWrongPassphrase = errors.New("the passphrase does not decrypt the part")

// decryptPart writes to out the plaintext of the binary OpenPGP message
// part, encrypted with passphrase, once its integrity check has passed:
// out is reset first and holds nothing on error. It returns ErrCorrupt
// (wrapped) if the part is not such a message, does not decrypt, has no
// integrity packet or fails its check, or decrypts to more than maxPart
// bytes. The error quotes neither the passphrase nor go-crypto's text,
// which could describe the plaintext.
func decryptPart(part []byte, passphrase []byte, out *bytes.Buffer) error {
	out.Reset()
	// An uncompressed part's plaintext is a little shorter than the part;
	// ReadFrom grows a buffer with less than MinRead free.
	out.Grow(min(len(part), maxPart) + bytes.MinRead)
	err := decryptInto(part, passphrase, out)
	if err != nil {
		out.Reset()
		return fmt.Errorf("%w: %w", connector.ErrCorrupt, err)
	}
	return nil
}

func decryptInto(part []byte, passphrase []byte, out *bytes.Buffer) error {
	asked := false
	prompt := func([]openpgp.Key, bool) ([]byte, error) {
		if asked {
			return nil, errWrongPassphrase
		}
		asked = true
		return passphrase, nil
	}
	md, err := openpgp.ReadMessage(bytes.NewReader(part), nil, prompt, partConfig)
	var unsupported pgperrors.UnsupportedError
	switch {
	case errors.Is(err, errWrongPassphrase), errors.Is(err, pgperrors.ErrKeyIncorrect):
		return errWrongPassphrase
	case errors.As(err, &unsupported):
		return errors.New("the part has no integrity packet, or uses an OpenPGP feature go-crypto does not read")
	case err != nil:
		return errors.New("the part is not a well-formed OpenPGP message, or the passphrase does not decrypt it")
	case !md.IsEncrypted || !md.IsSymmetricallyEncrypted:
		return errors.New("the part is not encrypted with a passphrase")
	}
	// The integrity check (MDC or AEAD) is made at the end of the body:
	// only a body read to its end without error has passed it.
	if _, err := out.ReadFrom(io.LimitReader(md.UnverifiedBody, maxPart+1)); err != nil {
		return errors.New("the part fails its integrity check or does not decrypt")
	}
	if out.Len() > maxPart {
		return fmt.Errorf("the part decrypts to more than %d bytes", maxPart)
	}
	if md.SignatureError != nil {
		return errors.New("the part fails its integrity check")
	}
	return nil
}
