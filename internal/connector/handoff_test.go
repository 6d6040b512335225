package connector_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

const (
	testInstance  = "arn:aws:connect:eu-west-2:123456789012:instance/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
	testContact   = testInstance + "/contact/9a8b7c6d-5e4f-4031-9283-7a6b5c4d3e2f"
	testCBSecret  = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	otherInstance = "arn:aws:connect:eu-west-2:123456789012:instance/11111111-2222-3333-4444-555555555555"
)

// sent is one callback as the fake receiver got it.
type sent struct {
	Event  connector.Event
	Secret connector.Secret
}

// fakeCallbacks is a callback receiver that records what it is sent and
// answers err.
type fakeCallbacks struct {
	mu  sync.Mutex
	got []sent
	err error
}

func (f *fakeCallbacks) Send(_ context.Context, ev connector.Event, secret connector.Secret) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.got = append(f.got, sent{ev, secret})
	return f.err
}

// attached is one link attached to a contact.
type attached struct {
	Contact string
	Link    connector.Link
	Files   string
}

// fakeContacts is an Amazon Connect that records the links attached and
// answers err.
type fakeContacts struct {
	mu  sync.Mutex
	got []attached
	err error
}

func (f *fakeContacts) AttachLink(_ context.Context, contactARN string, link connector.Link, files string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.got = append(f.got, attached{contactARN, link, files})
	return f.err
}

// submitted stores a submission of package P1 on a new upload whose
// conversation id is conv, and returns the event published for it and the
// notice's link.
func submitted(t *testing.T, e *env, conv string) (connector.Event, connector.Link) {
	t.Helper()
	up, err := e.svc.GenerateID(context.Background(), connector.GenerateRequest{Email: testEmail, ConversationID: conv})
	if err != nil {
		t.Fatalf("GenerateID: %v", err)
	}
	n := sign(t, e.payload(up.ID, "P1"), testKey)
	if _, err := notify(t, e, n); err != nil {
		t.Fatalf("Notify: %v", err)
	}
	evs := e.pub.Events()
	if len(evs) == 0 || evs[len(evs)-1].Type != connector.EventSubmitted {
		t.Fatalf("no upload.submitted published: %v", evs)
	}
	return evs[len(evs)-1], n.SecureLink
}

func deliverer(t *testing.T, e *env, h connector.Handoff) *connector.Deliverer {
	t.Helper()
	d, err := e.svc.Deliverer(h)
	if err != nil {
		t.Fatalf("Deliverer: %v", err)
	}
	return d
}

func TestDeliver(t *testing.T) {
	for _, tt := range []struct {
		name         string
		conv         string
		callbacks    bool
		instance     string // "" for no Amazon Connect
		want         connector.Delivery
		wantCallback bool
		wantContact  bool
	}{
		{name: "callback only", conv: "conv-1", callbacks: true,
			want: connector.Delivery{Callback: connector.TargetSent}, wantCallback: true},
		{name: "callback and contact", conv: testContact, callbacks: true, instance: testInstance,
			want:         connector.Delivery{Callback: connector.TargetSent, Contact: connector.TargetSent},
			wantCallback: true, wantContact: true},
		{name: "contact only", conv: testContact, instance: testInstance,
			want: connector.Delivery{Contact: connector.TargetSent}, wantContact: true},
		{name: "conversation that is no contact calls nothing", conv: "conv-1", instance: testInstance,
			want: connector.Delivery{Skipped: connector.SkipNoTarget}},
		{name: "contact of another instance calls nothing", conv: testContact, instance: otherInstance,
			want: connector.Delivery{Skipped: connector.SkipNoTarget}},
		{name: "the instance itself is no contact", conv: testInstance, instance: testInstance,
			want: connector.Delivery{Skipped: connector.SkipNoTarget}},
		{name: "a contact arn with more path is no contact", conv: testContact + "/x", instance: testInstance,
			want: connector.Delivery{Skipped: connector.SkipNoTarget}},
		{name: "a contact of an instance whose id extends ours is no contact",
			conv: testInstance + "0/contact/9a8b7c6d", instance: testInstance,
			want: connector.Delivery{Skipped: connector.SkipNoTarget}},
		{name: "callback still goes when the conversation is no contact", conv: "conv-1", callbacks: true, instance: testInstance,
			want: connector.Delivery{Callback: connector.TargetSent}, wantCallback: true},
		{name: "nothing configured", conv: testContact,
			want: connector.Delivery{Skipped: connector.SkipNoTarget}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			e.keys.Set(connector.KeySet{ValidationKey: testKey, CallbackSecret: testCBSecret})
			ev, link := submitted(t, e, tt.conv)
			if ev.SecureLink != "" {
				t.Fatal("the published event carries the link: this test wants it read from the store")
			}
			cb, cc := &fakeCallbacks{}, &fakeContacts{}
			h := connector.Handoff{}
			if tt.callbacks {
				h.Callbacks = cb
			}
			if tt.instance != "" {
				h.Contacts, h.ConnectInstanceARN = cc, tt.instance
			}
			got, err := deliverer(t, e, h).Deliver(context.Background(), ev)
			if err != nil {
				t.Fatalf("Deliver: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("delivery (-want +got):\n%s", diff)
			}
			var wantSent []sent
			if tt.wantCallback {
				withLink := ev
				withLink.SecureLink = link
				wantSent = []sent{{withLink, testCBSecret}}
			}
			if diff := cmp.Diff(wantSent, cb.got); diff != "" {
				t.Errorf("callbacks (-want +got):\n%s", diff)
			}
			var wantAttached []attached
			if tt.wantContact {
				wantAttached = []attached{{testContact, link, ""}}
			}
			if diff := cmp.Diff(wantAttached, cc.got); diff != "" {
				t.Errorf("contacts (-want +got):\n%s", diff)
			}
		})
	}
}

// TestDeliverOutcomes: a refusal (ErrGone, ErrInvalid) is given up, a
// failure is retried as a whole; one target's failure does not keep the
// other from being tried.
func TestDeliverOutcomes(t *testing.T) {
	for _, tt := range []struct {
		name         string
		cbErr, ccErr error
		want         connector.Delivery
		wantErr      error
	}{
		{"both sent", nil, nil, connector.Delivery{Callback: connector.TargetSent, Contact: connector.TargetSent}, nil},
		{"callback gone", connector.ErrGone, nil,
			connector.Delivery{Callback: connector.TargetRefused, Contact: connector.TargetSent}, nil},
		{"contact gone", nil, connector.ErrGone,
			connector.Delivery{Callback: connector.TargetSent, Contact: connector.TargetRefused}, nil},
		{"contact invalid", nil, connector.ErrInvalid,
			connector.Delivery{Callback: connector.TargetSent, Contact: connector.TargetRefused}, nil},
		{"callback down", errDown, nil,
			connector.Delivery{Callback: connector.TargetFailed, Contact: connector.TargetSent}, connector.ErrUnavailable},
		{"contact down", nil, errDown,
			connector.Delivery{Callback: connector.TargetSent, Contact: connector.TargetFailed}, connector.ErrUnavailable},
		{"unclassified errors are retried", errors.New("boom"), nil,
			connector.Delivery{Callback: connector.TargetFailed, Contact: connector.TargetSent}, connector.ErrUnavailable},
		{"both gone", connector.ErrGone, connector.ErrGone,
			connector.Delivery{Callback: connector.TargetRefused, Contact: connector.TargetRefused}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			e.keys.Set(connector.KeySet{ValidationKey: testKey, CallbackSecret: testCBSecret})
			ev, _ := submitted(t, e, testContact)
			cb, cc := &fakeCallbacks{err: tt.cbErr}, &fakeContacts{err: tt.ccErr}
			d := deliverer(t, e, connector.Handoff{Callbacks: cb, Contacts: cc, ConnectInstanceARN: testInstance})
			got, err := d.Deliver(context.Background(), ev)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Errorf("got error %v, want %v", err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("delivery (-want +got):\n%s", diff)
			}
			if len(cb.got) != 1 || len(cc.got) != 1 {
				t.Errorf("got %d callbacks and %d contact updates, want 1 and 1", len(cb.got), len(cc.got))
			}
		})
	}
}

// TestDeliverNothingToDeliver: other event types and expired uploads are
// skipped without calling anyone and without an error (no retry).
func TestDeliverNothingToDeliver(t *testing.T) {
	for _, tt := range []struct {
		name string
		edit func(e *env, ev *connector.Event)
		want string
	}{
		{"unmatched", func(_ *env, ev *connector.Event) { ev.Type = connector.EventUnmatched }, connector.SkipNotSubmitted},
		{"unknown type", func(_ *env, ev *connector.Event) { ev.Type = "upload.other" }, connector.SkipNotSubmitted},
		{"upload expired", func(e *env, _ *connector.Event) { e.clock.Advance(e.set.LinkTTL + e.set.UploadTTL) }, connector.SkipExpired},
		{"unknown upload", func(_ *env, ev *connector.Event) { ev.UploadID = "00000000-0000-4000-8000-999999999999" }, connector.SkipExpired},
		{"unknown package", func(_ *env, ev *connector.Event) { ev.PackageID = "P-OTHER" }, connector.SkipExpired},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			e.keys.Set(connector.KeySet{ValidationKey: testKey, CallbackSecret: testCBSecret})
			ev, _ := submitted(t, e, testContact)
			tt.edit(e, &ev)
			cb, cc := &fakeCallbacks{}, &fakeContacts{}
			d := deliverer(t, e, connector.Handoff{Callbacks: cb, Contacts: cc, ConnectInstanceARN: testInstance})
			got, err := d.Deliver(context.Background(), ev)
			if err != nil {
				t.Fatalf("got error %v, want none", err)
			}
			if got != (connector.Delivery{Skipped: tt.want}) {
				t.Errorf("got %+v, want skipped %q", got, tt.want)
			}
			if len(cb.got)+len(cc.got) != 0 {
				t.Errorf("called %d callbacks and %d contacts, want none", len(cb.got), len(cc.got))
			}
		})
	}
}

func TestDeliverFailures(t *testing.T) {
	for _, tt := range []struct {
		name    string
		edit    func(e *env, ev *connector.Event)
		wantErr error
		want    connector.Delivery
	}{
		{"store down", func(e *env, _ *connector.Event) { e.store.Err = errDown }, connector.ErrUnavailable, connector.Delivery{}},
		{"keys down", func(e *env, _ *connector.Event) { e.keys.Fail(errDown) }, connector.ErrUnavailable,
			connector.Delivery{Callback: connector.TargetFailed, Contact: connector.TargetSent}},
		{"no callback secret", func(e *env, _ *connector.Event) { e.keys.Set(connector.KeySet{ValidationKey: testKey}) },
			connector.ErrUnavailable, connector.Delivery{Callback: connector.TargetFailed, Contact: connector.TargetSent}},
		{"no upload id", func(_ *env, ev *connector.Event) { ev.UploadID = "" }, connector.ErrInvalid, connector.Delivery{}},
		{"malformed upload id", func(_ *env, ev *connector.Event) { ev.UploadID = "not-an-id" }, connector.ErrInvalid, connector.Delivery{}},
		{"no package id", func(_ *env, ev *connector.Event) { ev.PackageID = "" }, connector.ErrInvalid, connector.Delivery{}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			e.keys.Set(connector.KeySet{ValidationKey: testKey, CallbackSecret: testCBSecret})
			ev, _ := submitted(t, e, testContact)
			tt.edit(e, &ev)
			cb, cc := &fakeCallbacks{}, &fakeContacts{}
			d := deliverer(t, e, connector.Handoff{Callbacks: cb, Contacts: cc, ConnectInstanceARN: testInstance})
			got, err := d.Deliver(context.Background(), ev)
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("got error %v, want %v", err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("delivery (-want +got):\n%s", diff)
			}
			if len(cb.got) != 0 {
				t.Errorf("sent %d callbacks, want none", len(cb.got))
			}
		})
	}
}

// TestDeliverEventWithoutID: an event published before events had ids is
// delivered under the id it would have had, so receivers can deduplicate.
func TestDeliverEventWithoutID(t *testing.T) {
	e := newEnv(t)
	e.keys.Set(connector.KeySet{ValidationKey: testKey, CallbackSecret: testCBSecret})
	ev, _ := submitted(t, e, "conv-1")
	want := ev.ID
	ev.ID, ev.Source = "", ""
	cb := &fakeCallbacks{}
	if _, err := deliverer(t, e, connector.Handoff{Callbacks: cb}).Deliver(context.Background(), ev); err != nil {
		t.Fatal(err)
	}
	if len(cb.got) != 1 || cb.got[0].Event.ID != want || cb.got[0].Event.Source != connector.SourceWebhook {
		t.Errorf("got %+v, want one callback with id %s and source webhook", cb.got, want)
	}
}

// TestDeliverRepeatKeepsID: each attempt sends the same event id.
func TestDeliverRepeatKeepsID(t *testing.T) {
	e := newEnv(t)
	e.keys.Set(connector.KeySet{ValidationKey: testKey, CallbackSecret: testCBSecret})
	ev, _ := submitted(t, e, "conv-1")
	cb := &fakeCallbacks{err: errDown}
	d := deliverer(t, e, connector.Handoff{Callbacks: cb})
	if _, err := d.Deliver(context.Background(), ev); !errors.Is(err, connector.ErrUnavailable) {
		t.Fatalf("first attempt: got %v, want ErrUnavailable", err)
	}
	e.clock.Advance(time.Hour)
	cb.err = nil
	if _, err := d.Deliver(context.Background(), ev); err != nil {
		t.Fatalf("second attempt: %v", err)
	}
	if len(cb.got) != 2 || cb.got[0].Event.ID != cb.got[1].Event.ID || cb.got[0].Event.ID != ev.ID {
		t.Errorf("got %+v, want two callbacks with id %s", cb.got, ev.ID)
	}
}

func TestDelivererChecksItsConfiguration(t *testing.T) {
	e := newEnv(t)
	for _, tt := range []struct {
		name string
		h    connector.Handoff
		ok   bool
	}{
		{"nothing", connector.Handoff{}, true},
		{"callbacks", connector.Handoff{Callbacks: &fakeCallbacks{}}, true},
		{"connect", connector.Handoff{Contacts: &fakeContacts{}, ConnectInstanceARN: testInstance}, true},
		{"china partition", connector.Handoff{Contacts: &fakeContacts{},
			ConnectInstanceARN: "arn:aws-cn:connect:cn-north-1:123456789012:instance/abc-123"}, true},
		{"instance without a client", connector.Handoff{ConnectInstanceARN: testInstance}, false},
		{"client without an instance", connector.Handoff{Contacts: &fakeContacts{}}, false},
		{"a contact, not an instance", connector.Handoff{Contacts: &fakeContacts{}, ConnectInstanceARN: testContact}, false},
		{"not connect", connector.Handoff{Contacts: &fakeContacts{},
			ConnectInstanceARN: "arn:aws:lex:eu-west-2:123456789012:instance/abc"}, false},
		{"no account", connector.Handoff{Contacts: &fakeContacts{},
			ConnectInstanceARN: "arn:aws:connect:eu-west-2::instance/abc"}, false},
		{"not an arn", connector.Handoff{Contacts: &fakeContacts{}, ConnectInstanceARN: "instance/abc"}, false},
	} {
		_, err := e.svc.Deliverer(tt.h)
		if (err == nil) != tt.ok {
			t.Errorf("%s: got error %v, want ok %v", tt.name, err, tt.ok)
		}
	}
}
