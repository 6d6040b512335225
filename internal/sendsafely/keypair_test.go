package sendsafely

import (
	"crypto/rsa"
	"strings"
	"testing"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
)

// The pair is the kind SendSafely's clients make: RSA 2048, an encryption
// subkey, "Trusted Browser <email>", no passphrase.
func TestGenerateKeyPair(t *testing.T) {
	kp, err := GenerateKeyPair("owner@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(kp.Public, "-----BEGIN PGP PUBLIC KEY BLOCK-----") || !strings.HasPrefix(string(kp.Private), "-----BEGIN PGP PRIVATE KEY BLOCK-----") {
		t.Fatalf("got halves starting %.40q and %.40q, want armored public and private key blocks", kp.Public, kp.Private)
	}
	pub, err := openpgp.ReadArmoredKeyRing(strings.NewReader(kp.Public))
	if err != nil || len(pub) != 1 {
		t.Fatalf("public half: %d entities, %v", len(pub), err)
	}
	e := pub[0]
	if e.PrivateKey != nil {
		t.Errorf("the public half holds a private key")
	}
	if _, ok := e.Identities["Trusted Browser <owner@example.com>"]; !ok || len(e.Identities) != 1 {
		t.Errorf("got identities %v, want only Trusted Browser <owner@example.com>", keys(e.Identities))
	}
	if bits, _ := e.PrimaryKey.BitLength(); e.PrimaryKey.PubKeyAlgo != packet.PubKeyAlgoRSA || bits != 2048 {
		t.Errorf("primary key: got algorithm %v of %d bits, want RSA 2048", e.PrimaryKey.PubKeyAlgo, bits)
	}
	enc, ok := e.EncryptionKey(time.Now())
	if !ok || enc.PublicKey == e.PrimaryKey {
		t.Fatalf("want an encryption subkey, got ok=%v primary=%v", ok, enc.PublicKey == e.PrimaryKey)
	}
	if _, isRSA := enc.PublicKey.PublicKey.(*rsa.PublicKey); !isRSA {
		t.Errorf("encryption subkey is %T, want RSA", enc.PublicKey.PublicKey)
	}
	if bits, _ := enc.PublicKey.BitLength(); bits != 2048 {
		t.Errorf("encryption subkey: got %d bits, want 2048", bits)
	}
	// No passphrase: the private half is usable as read.
	var k keyCache
	if _, err := k.entities(kp.Private); err != nil {
		t.Errorf("private half: %v", err)
	}
}

func keys[V any](m map[string]V) []string {
	var s []string
	for k := range m {
		s = append(s, k)
	}
	return s
}
