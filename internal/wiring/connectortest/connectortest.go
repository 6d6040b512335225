// Package connectortest is the one test environment of the connector: a
// service on in-memory parts with a fake clock, and the fixtures tests
// share (settings, keys, ids, signed notifications), built here once
// instead of in each package's harness.
//
// What replaced what (for tests written against the old harnesses):
//
//	internal/connector harness_test.go   newEnv(t, mods...)  -> New(t, WithSettings(mods...)) (the package keeps a thin newEnv over it)
//	                                     e.generate(t, email) -> (*Env).Generate
//	                                     e.payload(id, pkg)   -> (*Env).Payload
//	                                     sign(t, p, key)      -> Sign
//	                                     link(host, pkg, code) -> Link
//	                                     e.newID              -> SequentialIDs()
//	internal/apigw harness_test.go       newStack's service   -> New(t, Fixtures()...)
//	               fixtureID/Email/Key/Token/Now -> FixtureID, FixtureEmail, FixtureKey, FixtureToken, FixtureNow
//	               ids()                 -> FixtureIDs()
//	internal/apigw bench_test.go         newWarm's service    -> New(b, Fixtures()..., WithPublisher(Discard{}), WithIDs(RandomIDs))
//	internal/mcp harness_test.go         startLocal's service -> New(t, ...)
//	cmd/connector entry_test.go          memoryEntry's service -> New(t, Fixtures()...)
//	cmd/connector-dev, internal/motoserver syncBuffer         -> SyncBuffer
//
// It lives under internal/wiring because, like wiring, it assembles parts
// (memory and dropzone), which no package outside cmd/ and wiring may do.
// It is for tests only: no production package imports it.
package connectortest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/dropzone"
	"github.com/sendsafely/chatbot-connector/internal/fakeclock"
	"github.com/sendsafely/chatbot-connector/internal/memory"
	"github.com/sendsafely/chatbot-connector/internal/motoserver"
)

// The fixed values of testdata/events (see its README).
const (
	FixtureID    = "8e2b1c7e-2f0a-4a57-9d83-6c1f1d0c9a4e"
	FixtureEmail = "user@example.com"
	FixtureKey   = "local-test-validation-key"
	FixtureToken = "local-test-api-token"
)

// FixtureNow is the time of testdata/events.
var FixtureNow = time.Date(2026, 11, 21, 8, 1, 0, 0, time.UTC)

// The deployment the fixtures describe.
const (
	Host       = "acme.sendsafely.com"
	DropzoneID = "DROPZONE"
	UploadPage = "https://files.sendsafely.com/html/cb_upload.htm"
	// LinkKey is the key code of the secure links Sign builds.
	LinkKey = "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk"
)

// Settings returns the settings of the fixtures' deployment: Host,
// DropzoneID, UploadPage, uploads open a day, links kept a week,
// notifications accepted for an hour.
func Settings() connector.Settings {
	return connector.Settings{
		SendSafelyHost: Host, DropzoneID: DropzoneID, UploadPageURL: UploadPage,
		UploadTTL: 24 * time.Hour, LinkTTL: 168 * time.Hour, WebhookMaxAge: time.Hour,
	}
}

// Env is a service on in-memory parts with a fake clock.
type Env struct {
	Svc      *connector.Service
	Store    *memory.Store
	Pub      connector.Publisher
	Keys     *memory.Keys
	Clock    *fakeclock.Clock
	Settings connector.Settings
	// Email is the email Payload puts in a notification.
	Email string
}

// Published returns what the environment's publisher kept, if it is a
// *memory.Publisher.
func (e *Env) Published() *memory.Publisher {
	p, _ := e.Pub.(*memory.Publisher)
	return p
}

// Option changes how New builds the environment.
type Option func(*options)

type options struct {
	set   connector.Settings
	keys  connector.KeySet
	now   time.Time
	ids   func() (string, error)
	pub   connector.Publisher
	email string
}

// WithSettings changes the settings.
func WithSettings(mods ...func(*connector.Settings)) Option {
	return func(o *options) {
		for _, m := range mods {
			m(&o.set)
		}
	}
}

// WithKeys sets the keys the service reads.
func WithKeys(k connector.KeySet) Option { return func(o *options) { o.keys = k } }

// WithNow sets the clock's start.
func WithNow(t time.Time) Option { return func(o *options) { o.now = t } }

// WithIDs sets where upload ids come from.
func WithIDs(ids func() (string, error)) Option { return func(o *options) { o.ids = ids } }

// WithPublisher sets the publisher (a *memory.Publisher by default).
func WithPublisher(p connector.Publisher) Option { return func(o *options) { o.pub = p } }

// WithEmail sets the email Payload puts in a notification.
func WithEmail(email string) Option { return func(o *options) { o.email = email } }

// Fixtures returns the options of testdata/events: the fixture key and
// token, FixtureNow, FixtureID as the first upload id.
func Fixtures() []Option {
	return []Option{WithKeys(connector.KeySet{ValidationKey: FixtureKey, APIToken: FixtureToken}), WithNow(FixtureNow),
		WithIDs(FixtureIDs()), WithEmail(FixtureEmail)}
}

// New returns an environment: by default Settings, a validation key
// FixtureKey and no API token, the clock at FixtureNow, SequentialIDs, a
// *memory.Publisher, and FixtureEmail in notifications.
func New(t testing.TB, opts ...Option) *Env {
	t.Helper()
	o := options{set: Settings(), keys: connector.KeySet{ValidationKey: FixtureKey}, now: FixtureNow,
		ids: SequentialIDs(), pub: &memory.Publisher{}, email: FixtureEmail}
	for _, opt := range opts {
		opt(&o)
	}
	e := &Env{Store: &memory.Store{}, Pub: o.pub, Keys: memory.NewKeys(o.keys), Clock: fakeclock.New(o.now),
		Settings: o.set, Email: o.email}
	svc, err := connector.New(e.Settings, e.Deps(o.ids))
	if err != nil {
		t.Fatal(err)
	}
	e.Svc = svc
	return e
}

// Deps returns the service's parts in the environment, with upload ids
// from ids, for a test that builds a service of its own on them.
func (e *Env) Deps(ids func() (string, error)) connector.Deps {
	return connector.Deps{Store: e.Store, Publisher: e.Pub, Keys: e.Keys, Dropzone: dropzone.Codec{},
		NewID: ids, Now: e.Clock.Now, Sleep: e.Clock.Sleep}
}

// SequentialIDs returns predictable UUIDs, 00000000-0000-4000-8000-000000000001
// and on; predictability is the test's, not the product's (which uses
// random v4 UUIDs). It is not safe for concurrent use.
func SequentialIDs() func() (string, error) {
	n := 0
	return func() (string, error) {
		n++
		return fmt.Sprintf("00000000-0000-4000-8000-%012d", n), nil
	}
}

// FixtureIDs returns FixtureID first, as the event files expect, then
// random ids. It is safe for concurrent use.
func FixtureIDs() func() (string, error) {
	ch := make(chan struct{}, 1)
	ch <- struct{}{}
	return func() (string, error) {
		select {
		case <-ch:
			return FixtureID, nil
		default:
			return uuid.NewString(), nil
		}
	}
}

// RandomIDs returns random (version 4) UUIDs.
func RandomIDs() (string, error) { return uuid.NewString(), nil }

// Generate creates an upload for email and returns its id.
func (e *Env) Generate(t testing.TB, email connector.Email) string {
	t.Helper()
	up, err := e.Svc.GenerateID(context.Background(), connector.GenerateRequest{Email: email, ConversationID: "conv-1"})
	if err != nil {
		t.Fatalf("GenerateID: %v", err)
	}
	return up.ID
}

// Payload is the signed data of a notification for a package of an upload,
// submitted a minute ago.
func (e *Env) Payload(uploadID, packageID string) dropzone.Payload {
	return dropzone.Payload{UploadID: uploadID, Email: e.Email, PackageID: packageID, PackageCode: "code-" + packageID,
		DropzoneID: e.Settings.DropzoneID, SubmittedAt: e.Clock.Now().Add(-time.Minute).Format(time.RFC3339)}
}

// Link is the secure link of a package on host, with key code LinkKey.
func Link(host, packageID, code string) connector.Link {
	return connector.Link(dropzone.Link(host, packageID, code, LinkKey))
}

// Sign builds a notice for p, signed with key, and its matching link on
// Host.
func Sign(t testing.TB, p dropzone.Payload, key string) connector.Notice {
	t.Helper()
	data, digest := dropzone.Encode(p, []byte(key))
	return connector.Notice{Data: data, Digest: digest, SecureLink: Link(Host, p.PackageID, p.PackageCode)}
}

// Discard is a Publisher that keeps nothing, so a long benchmark does not
// measure the growth of a slice of events.
type Discard struct{}

// Publish does nothing.
func (Discard) Publish(context.Context, connector.Event) error { return nil }

// SyncBuffer is a bytes.Buffer that servers may write to concurrently.
type SyncBuffer = motoserver.SyncBuffer
