package connector_test

import (
	"testing"
	"time"

	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/dropzone"
	"github.com/sendsafely/chatbot-connector/internal/fakeclock"
	"github.com/sendsafely/chatbot-connector/internal/memory"
	"github.com/sendsafely/chatbot-connector/internal/wiring/connectortest"
)

// This package's values; the environment itself is connectortest's.
const (
	testHost    = connectortest.Host
	testDZ      = "DZ-TEST-1"
	testKey     = "validation-key-current"
	testPrevKey = "validation-key-previous"
	testEmail   = "Customer@Example.com"
	testLinkKey = connectortest.LinkKey
)

var t0 = time.Date(2026, 11, 21, 8, 0, 0, 0, time.UTC)

// env is a service on in-memory parts with a fake clock: a thin view of a
// connectortest.Env with this package's values.
type env struct {
	*connectortest.Env
	svc   *connector.Service
	store *memory.Store
	pub   *memory.Publisher
	keys  *memory.Keys
	clock *fakeclock.Clock
	set   connector.Settings
	newID func() (string, error)
}

func settings() connector.Settings {
	s := connectortest.Settings()
	s.DropzoneID = testDZ
	return s
}

func newEnv(t testing.TB, mods ...func(*connector.Settings)) *env {
	t.Helper()
	ids := connectortest.SequentialIDs()
	ce := connectortest.New(t, connectortest.WithSettings(func(s *connector.Settings) { *s = settings() }),
		connectortest.WithSettings(mods...), connectortest.WithKeys(connector.KeySet{ValidationKey: testKey}),
		connectortest.WithNow(t0), connectortest.WithIDs(ids), connectortest.WithEmail(testEmail))
	return &env{Env: ce, svc: ce.Svc, store: ce.Store, pub: ce.Published(), keys: ce.Keys, clock: ce.Clock,
		set: ce.Settings, newID: ids}
}

// generate creates an upload and returns its id.
func (e *env) generate(t testing.TB, email connector.Email) string {
	t.Helper()
	return e.Generate(t, email)
}

// payload is the signed data of a test notification.
type payload = dropzone.Payload

func (e *env) payload(uploadID, packageID string) payload { return e.Payload(uploadID, packageID) }

// sign builds a notice for p, signed with key, and its matching link.
func sign(t testing.TB, p payload, key string) connector.Notice {
	t.Helper()
	return connectortest.Sign(t, p, key)
}
