package connector_test

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"testing"
	"time"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// TestStoredFormat pins what a deployed table holds, independently of how
// the code computes it: the key is hex(HKDF-SHA256(id, "…table key", 32)),
// the sealed state opens with AES-256-GCM under HKDF-SHA256(id, "…seal
// key", 32) with the key as additional data, and the log id is
// hex(HKDF-SHA256(id, "…log id", 6)). A change here makes existing records
// unreadable, so it must be a new seal version, never a tuning.
func TestStoredFormat(t *testing.T) {
	e := newEnv(t)
	id := e.generate(t, testEmail)
	recs := e.store.Records()
	if len(recs) != 1 {
		t.Fatalf("%d records, want 1", len(recs))
	}
	rec := recs[0]

	hk := func(id, info string, n int) []byte {
		k, err := hkdf.Key(sha256.New, []byte(id), nil, info, n)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	if want := hex.EncodeToString(hk(id, "chatbot-connector/v1 table key", 32)); rec.Key != want {
		t.Errorf("key: got %s, want %s", rec.Key, want)
	}
	if got, want := connector.LogID(id), hex.EncodeToString(hk(id, "chatbot-connector/v1 log id", 6)); got != want {
		t.Errorf("log id: got %s, want %s", got, want)
	}
	block, err := aes.NewCipher(hk(id, "chatbot-connector/v1 seal key", 32))
	if err != nil {
		t.Fatal(err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		t.Fatal(err)
	}
	blob := rec.Sealed
	if len(blob) < 1+aead.NonceSize() || blob[0] != 1 {
		t.Fatalf("sealed blob does not start with version 1 and a nonce: %x", blob)
	}
	plain, err := aead.Open(nil, blob[1:1+aead.NonceSize()], blob[1+aead.NonceSize():], []byte(rec.Key))
	if err != nil {
		t.Fatalf("sealed state does not open under the derived key: %v", err)
	}
	var st struct {
		Email          string `json:"email"`
		ConversationID string `json:"conversationId"`
	}
	if err := json.Unmarshal(plain, &st); err != nil {
		t.Fatalf("sealed state is not JSON: %v", err)
	}
	if st.Email != testEmail || st.ConversationID != "conv-1" {
		t.Errorf("sealed state: got %+v", st)
	}

	// A record sealed here, not by the service, is read back by it.
	const other = "00000000-0000-4000-8000-0000000000aa"
	key := hex.EncodeToString(hk(other, "chatbot-connector/v1 table key", 32))
	block, err = aes.NewCipher(hk(other, "chatbot-connector/v1 seal key", 32))
	if err != nil {
		t.Fatal(err)
	}
	if aead, err = cipher.NewGCM(block); err != nil {
		t.Fatal(err)
	}
	state := `{"email":"` + testEmail + `","openUntil":"2026-11-22T08:00:00Z","packages":[{"packageId":"P1",` +
		`"link":"https://acme.sendsafely.com/receive/?thread=P1&packageCode=c#keyCode=k","email":"` + testEmail + `",` +
		`"submittedAt":"2026-11-21T07:59:00Z","published":true}]}`
	nonce := make([]byte, aead.NonceSize())
	sealed := aead.Seal(append([]byte{1}, nonce...), nonce, []byte(state), []byte(key))
	if err := e.store.Create(context.Background(), connector.Record{Key: key, Version: 1, Expires: t0.Add(time.Hour), Sealed: sealed}); err != nil {
		t.Fatal(err)
	}
	res := links(t, e, other, testEmail)
	if !res.Ready || len(res.Links) != 1 || res.Links[0] != "https://acme.sendsafely.com/receive/?thread=P1&packageCode=c#keyCode=k" {
		t.Errorf("links of a record sealed by hand: %+v", res)
	}
}
