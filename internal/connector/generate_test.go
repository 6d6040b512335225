package connector_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

func TestGenerateID(t *testing.T) {
	for _, tt := range []struct {
		name    string
		req     connector.GenerateRequest
		wantURL string
		want    error
	}{
		{"no email", connector.GenerateRequest{},
			"https://files.sendsafely.com/html/cb_upload.htm?id=00000000-0000-4000-8000-000000000001&dz=DZ-TEST-1&h=acme.sendsafely.com", nil},
		{"email encoded", connector.GenerateRequest{Email: "user+tag@example.com"},
			"https://files.sendsafely.com/html/cb_upload.htm?id=00000000-0000-4000-8000-000000000001&e=user%2Btag%40example.com&dz=DZ-TEST-1&h=acme.sendsafely.com", nil},
		{"conversation id of 256 characters", connector.GenerateRequest{ConversationID: strings.Repeat("é", 256)},
			"https://files.sendsafely.com/html/cb_upload.htm?id=00000000-0000-4000-8000-000000000001&dz=DZ-TEST-1&h=acme.sendsafely.com", nil},
		{"conversation id too long", connector.GenerateRequest{ConversationID: strings.Repeat("a", 257)}, "", connector.ErrInvalid},
		{"malformed email", connector.GenerateRequest{Email: "no-at-sign"}, "", connector.ErrInvalid},
		{"email with space inside", connector.GenerateRequest{Email: "a b@example.com"}, "", connector.ErrInvalid},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			up, err := e.svc.GenerateID(context.Background(), tt.req)
			if tt.want != nil {
				if !errors.Is(err, tt.want) {
					t.Fatalf("got %v, want %v", err, tt.want)
				}
				if n := len(e.store.Records()); n != 0 {
					t.Errorf("stored %d records for a refused request", n)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if string(up.URL) != tt.wantURL {
				t.Errorf("URL:\n got %s\nwant %s", string(up.URL), tt.wantURL)
			}
			if !up.ExpiresAt.Equal(t0.Add(24 * time.Hour)) {
				t.Errorf("ExpiresAt: got %v, want now + UPLOAD_TTL", up.ExpiresAt)
			}
		})
	}
}

// collidingStore refuses the first Create, as if the id existed.
type collidingStore struct {
	connector.Store
	creates int
}

func (s *collidingStore) Create(ctx context.Context, rec connector.Record) error {
	if s.creates++; s.creates == 1 {
		return fmt.Errorf("test: %w", connector.ErrConflict)
	}
	return s.Store.Create(ctx, rec)
}

func TestGenerateIDNeverReusesAnID(t *testing.T) {
	e := newEnv(t)
	cs := &collidingStore{Store: e.store}
	svc, err := connector.New(e.set, connector.Deps{Store: cs, Publisher: e.pub, Keys: e.keys, Dropzone: fakeDZ{}, NewID: e.newID, Now: e.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	up, err := svc.GenerateID(context.Background(), connector.GenerateRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if up.ID != "00000000-0000-4000-8000-000000000002" {
		t.Errorf("got id %s, want the second one after a collision", up.ID)
	}
}

func TestGenerateIDStoreDown(t *testing.T) {
	e := newEnv(t)
	e.store.Err = errDown
	if _, err := e.svc.GenerateID(context.Background(), connector.GenerateRequest{}); !errors.Is(err, connector.ErrUnavailable) {
		t.Fatalf("got %v, want ErrUnavailable", err)
	}
}

func TestNewRequiresItsParts(t *testing.T) {
	e := newEnv(t)
	full := connector.Deps{Store: e.store, Publisher: e.pub, Keys: e.keys, Dropzone: fakeDZ{}, NewID: e.newID}
	for _, tt := range []struct {
		name string
		mod  func(*connector.Deps, *connector.Settings)
	}{
		{"store", func(d *connector.Deps, _ *connector.Settings) { d.Store = nil }},
		{"publisher", func(d *connector.Deps, _ *connector.Settings) { d.Publisher = nil }},
		{"keys", func(d *connector.Deps, _ *connector.Settings) { d.Keys = nil }},
		{"dropzone", func(d *connector.Deps, _ *connector.Settings) { d.Dropzone = nil }},
		{"ids", func(d *connector.Deps, _ *connector.Settings) { d.NewID = nil }},
		{"host", func(_ *connector.Deps, s *connector.Settings) { s.SendSafelyHost = "" }},
		{"ttl", func(_ *connector.Deps, s *connector.Settings) { s.LinkTTL = 0 }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d, s := full, settings()
			tt.mod(&d, &s)
			if _, err := connector.New(s, d); err == nil {
				t.Error("New accepted a missing part")
			}
		})
	}
}

// fakeDZ is a Dropzone for tests that never reach it.
type fakeDZ struct{}

func (fakeDZ) Verify(string, string, []byte) bool { return false }
func (fakeDZ) Decode(string) (connector.Submission, error) {
	return connector.Submission{}, connector.ErrInvalid
}
func (fakeDZ) ParseLink(connector.Link) (connector.LinkParts, error) {
	return connector.LinkParts{}, connector.ErrInvalid
}
func (fakeDZ) Link(string, string, connector.Secret, connector.Secret) connector.Link { return "" }
