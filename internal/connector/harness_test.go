package connector_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/dropzone"
	"github.com/sendsafely/chatbot-connector/internal/fakeclock"
	"github.com/sendsafely/chatbot-connector/internal/memory"
)

const (
	testHost    = "acme.sendsafely.com"
	testDZ      = "DZ-TEST-1"
	testKey     = "validation-key-current"
	testPrevKey = "validation-key-previous"
	testEmail   = "Customer@Example.com"
	testLinkKey = "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk"
)

var t0 = time.Date(2026, 11, 21, 8, 0, 0, 0, time.UTC)

// env is a service on in-memory parts with a fake clock.
type env struct {
	svc   *connector.Service
	store *memory.Store
	pub   *memory.Publisher
	keys  *memory.Keys
	clock *fakeclock.Clock
	set   connector.Settings
	n     int
}

func settings() connector.Settings {
	return connector.Settings{
		SendSafelyHost: testHost, DropzoneID: testDZ,
		UploadPageURL: "https://files.sendsafely.com/html/cb_upload.htm",
		UploadTTL:     24 * time.Hour, LinkTTL: 168 * time.Hour, WebhookMaxAge: time.Hour,
	}
}

func newEnv(t testing.TB, mods ...func(*connector.Settings)) *env {
	t.Helper()
	e := &env{store: &memory.Store{}, pub: &memory.Publisher{}, clock: fakeclock.New(t0), set: settings(),
		keys: memory.NewKeys(connector.KeySet{ValidationKey: testKey})}
	for _, m := range mods {
		m(&e.set)
	}
	svc, err := connector.New(e.set, connector.Deps{
		Store: e.store, Publisher: e.pub, Keys: e.keys, Dropzone: dropzone.Codec{},
		NewID: e.newID, Now: e.clock.Now, Sleep: e.clock.Sleep,
	})
	if err != nil {
		t.Fatal(err)
	}
	e.svc = svc
	return e
}

// newID returns predictable UUIDs; predictability is the test's, not the
// product's (which uses random v4 UUIDs).
func (e *env) newID() (string, error) {
	e.n++
	return fmt.Sprintf("00000000-0000-4000-8000-%012d", e.n), nil
}

// generate creates an upload and returns its id.
func (e *env) generate(t testing.TB, email connector.Email) string {
	t.Helper()
	up, err := e.svc.GenerateID(context.Background(), connector.GenerateRequest{Email: email, ConversationID: "conv-1"})
	if err != nil {
		t.Fatalf("GenerateID: %v", err)
	}
	return up.ID
}

// payload is the signed data of a test notification.
type payload = dropzone.Payload

func (e *env) payload(uploadID, packageID string) payload {
	return payload{UploadID: uploadID, Email: testEmail, PackageID: packageID, PackageCode: "code-" + packageID,
		DropzoneID: testDZ, SubmittedAt: e.clock.Now().Add(-time.Minute).Format(time.RFC3339)}
}

func link(host, packageID, code string) connector.Link {
	return connector.Link(dropzone.Link(host, packageID, code, testLinkKey))
}

// sign builds a notice for p, signed with key, and its matching link.
func sign(t testing.TB, p payload, key string) connector.Notice {
	t.Helper()
	data, digest := dropzone.Encode(p, []byte(key))
	return connector.Notice{Data: data, Digest: digest, SecureLink: link(testHost, p.PackageID, p.PackageCode)}
}
