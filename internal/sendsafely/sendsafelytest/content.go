package sendsafelytest

import (
	"bytes"
	"fmt"
	"io"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
)

// Content returns file fileID of package packageID decrypted: its parts,
// each decrypted with serverSecret + keycode and its integrity checked, in
// order. It is a test's way to see what an uploader (the local upload page,
// SendSafely's SDK) stored; ErrNoKeyCode for a package made through the
// API, whose keycode the stand-in never saw.
func (s *Server) Content(packageID, fileID string) ([]byte, error) {
	pass, _, err := s.passphrase(packageID)
	if err != nil {
		return nil, err
	}
	files, err := s.Files(packageID)
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		if f.ID != fileID {
			continue
		}
		var out []byte
		for n := 1; n <= f.Parts; n++ {
			c, err := s.StoredPart(packageID, fileID, n)
			if err != nil {
				return nil, err
			}
			b, err := decryptPart(c, pass)
			if err != nil {
				return nil, fmt.Errorf("sendsafelytest: part %d: %w", n, err)
			}
			out = append(out, b...)
		}
		return out, nil
	}
	return nil, fmt.Errorf("%w: file", ErrUnknown)
}

// decryptPart decrypts one part, read to its end so that the integrity
// check runs.
func decryptPart(part []byte, pass string) ([]byte, error) {
	prompted := false
	md, err := openpgp.ReadMessage(bytes.NewReader(part), nil, func([]openpgp.Key, bool) ([]byte, error) {
		if prompted {
			return nil, fmt.Errorf("wrong passphrase")
		}
		prompted = true
		return []byte(pass), nil
	}, &packet.Config{})
	if err != nil {
		return nil, err
	}
	return io.ReadAll(md.UnverifiedBody)
}
