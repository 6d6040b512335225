package connector

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
)

// ErrGone means the receiver of a delivery said it will never take it (a
// callback receiver's 410 Gone, an Amazon Connect contact that does not
// exist): retrying is pointless. Deliver absorbs it into its Delivery
// report, so it never reaches the HTTP edge and has no status there.
var ErrGone = errors.New("gone")

// Callbacks posts events to the operator's callback receiver.
type Callbacks interface {
	// Send posts ev, which carries its SecureLink, once, signed with
	// secret (a Standard Webhooks "whsec_…" secret). It returns ErrGone if
	// the receiver answered 410 Gone, and ErrUnavailable if it answered
	// anything else but 2xx, did not answer in time, could not be
	// reached, or secret is malformed; then the event may or may not have
	// arrived.
	Send(ctx context.Context, ev Event, secret Secret) error
}

// Contacts attaches secure links to Amazon Connect contacts.
type Contacts interface {
	// AttachLink adds link to the contact named by contactARN as a URL
	// reference named "Secure upload", replacing one of that name, and
	// files, when not "", as a STRING reference named "Files" (cut to
	// what Amazon Connect takes). It returns ErrGone if the contact does
	// not exist, ErrInvalid if Amazon Connect refuses the request as
	// malformed, and ErrUnavailable if it throttles, fails or cannot be
	// reached.
	AttachLink(ctx context.Context, contactARN string, link Link, files string) error
}

// Handoff configures where Deliver hands submitted links to agents. Each
// target is optional; a zero Handoff delivers nothing.
type Handoff struct {
	// Callbacks, when set, gets every upload.submitted with its link,
	// signed with the KeySet's CallbackSecret.
	Callbacks Callbacks
	// Contacts, when set with ConnectInstanceARN, gets the link of every
	// upload.submitted whose conversation id is the ARN of a contact of
	// that instance.
	Contacts Contacts
	// ConnectInstanceARN is the Amazon Connect instance,
	// arn:<partition>:connect:<region>:<account>:instance/<id>.
	ConnectInstanceARN string
	// Files, when set, gets every stored file once it is Ready, signed
	// with the KeySet's CallbackSecret, from the deliveries of
	// upload.stored and upload.scanned (filecallback.go). FileMaxSize
	// bounds the files sent; 0 means DefaultFileCallbackMaxSize.
	Files       FileCallbacks
	FileMaxSize int64
}

// Deliverer hands submitted links to where agents work: the callback
// receiver and Amazon Connect. It reads links from the store, so events
// need not carry them.
type Deliverer struct {
	s *Service
	h Handoff
}

// Deliverer returns the deliverer of s's uploads to the targets of h, or an
// error if h.ConnectInstanceARN is set but is not an instance ARN, or is
// set without Contacts (or Contacts without it).
func (s *Service) Deliverer(h Handoff) (*Deliverer, error) {
	if (h.Contacts == nil) != (h.ConnectInstanceARN == "") {
		return nil, errors.New("connector: amazon connect needs both an instance arn and a client")
	}
	if h.ConnectInstanceARN != "" && !validInstanceARN(h.ConnectInstanceARN) {
		return nil, errors.New("connector: the amazon connect instance arn is not arn:<partition>:connect:<region>:<account>:instance/<id>")
	}
	if h.Files != nil && s.objs == nil {
		return nil, errors.New("connector: the file callback needs the object store of retrieval")
	}
	if h.FileMaxSize <= 0 {
		h.FileMaxSize = DefaultFileCallbackMaxSize
	}
	return &Deliverer{s: s, h: h}, nil
}

// Why Deliver skipped an event altogether.
const (
	SkipNotSubmitted = "not-submitted" // not an upload.submitted event
	SkipNoTarget     = "no-target"     // neither target applies to it
	SkipExpired      = "expired"       // the upload or its package is gone
	SkipNoReadyFile  = "no-ready-file" // no file of the package is Ready and unsent
)

// Outcomes of one target of a delivery.
const (
	TargetSent    = "sent"    // the target took it
	TargetRefused = "refused" // the target will never take it (ErrGone, ErrInvalid)
	TargetFailed  = "failed"  // to be tried again
)

// Delivery says what Deliver did, for the log line: why it skipped the
// event, or each target's outcome ("" for a target that does not apply).
type Delivery struct {
	Skipped  string
	Callback string
	Contact  string
	// Files counts the file callback's files (filecallback.go).
	Files FilesDelivery
}

// FilesDelivery counts what the file callback did with a package's Ready
// files: sent (the receiver took them), refused (the receiver refused
// them, or they were not sent: too large, changed), failed (to be tried
// again).
type FilesDelivery struct {
	Sent, Refused, Failed int
}

// LogValue lists the outcomes; a Delivery holds nothing secret.
func (d Delivery) LogValue() slog.Value {
	return slog.GroupValue(slog.String("skipped", d.Skipped),
		slog.String("callback", d.Callback), slog.String("contact", d.Contact),
		slog.Int("filesSent", d.Files.Sent), slog.Int("filesRefused", d.Files.Refused), slog.Int("filesFailed", d.Files.Failed))
}

// Deliver hands the link of a submitted upload to every target that
// applies: the callback receiver, and the Amazon Connect contact when the
// upload's conversation id is a contact of the configured instance. Only
// ids are taken from ev: the event delivered (its conversation, email,
// time, source) and the link are rebuilt from the store by ev.UploadID and
// ev.PackageID, so that a message put into the queue by someone else
// cannot send a link elsewhere; ev.ID, when set (events published before
// ids existed have none), must be the stored submission's, else ErrInvalid
// and nothing is delivered. upload.stored and upload.scanned go to the
// file callback (deliverFiles). An event of another type, or of an upload
// that has expired, is skipped. A target
// that refuses (ErrGone, ErrInvalid) is given up. Deliver returns
// ErrUnavailable if the store or keys cannot be read, or if a target
// failed in a way worth retrying: then the whole delivery is to be tried
// again later, and targets that took it get it again (receivers
// deduplicate by the event id). It returns ErrInvalid for an event
// without a well-formed upload id or package id.
func (d *Deliverer) Deliver(ctx context.Context, ev Event) (Delivery, error) {
	if ev.Type == EventStored || ev.Type == EventScanned {
		return d.deliverFiles(ctx, ev)
	}
	if ev.Type != EventSubmitted {
		return Delivery{Skipped: SkipNotSubmitted}, nil
	}
	id, ok := canonicalID(strings.TrimSpace(ev.UploadID))
	if !ok || ev.PackageID == "" {
		return Delivery{}, fmt.Errorf("%w: deliver: the event names no upload id or package id", ErrInvalid)
	}
	if d.h.Callbacks == nil && d.h.Contacts == nil {
		return Delivery{Skipped: SkipNoTarget}, nil
	}
	u, err := d.s.load(ctx, id)
	if isNotFound(err) {
		return Delivery{Skipped: SkipExpired}, nil
	}
	if err != nil {
		return Delivery{}, fmt.Errorf("deliver: %w", err)
	}
	i := u.st.find(ev.PackageID)
	if i < 0 {
		return Delivery{Skipped: SkipExpired}, nil
	}
	p := u.st.Packages[i]
	if p.eventType() != EventSubmitted {
		// Every file was rejected: nothing is handed off.
		return Delivery{Skipped: SkipNotSubmitted}, nil
	}
	stored := d.s.event(u.keys.eventID(EventSubmitted, p.PackageID), EventSubmitted, u.id, u.st.ConversationID, p)
	if ev.ID != "" && ev.ID != stored.ID {
		return Delivery{}, fmt.Errorf("%w: deliver: the event's id is not that of the stored submission", ErrInvalid)
	}
	stored.SecureLink = p.Link
	// The callback receiver gets the full manifest, names too: it gets
	// the link already, which opens the files themselves.
	withFiles(&stored, p, true)
	contact, toContact := d.contactOf(u.st.ConversationID)
	if d.h.Callbacks == nil && !toContact {
		return Delivery{Skipped: SkipNoTarget}, nil
	}

	var out Delivery
	var errs []error
	if d.h.Callbacks != nil {
		err := d.callback(ctx, stored)
		out.Callback = outcome(err)
		errs = append(errs, retryable(err))
	}
	if toContact {
		err := d.h.Contacts.AttachLink(ctx, contact, p.Link, filesSummary(p.Files))
		out.Contact = outcome(err)
		errs = append(errs, retryable(err))
	}
	if err := errors.Join(errs...); err != nil {
		return out, fmt.Errorf("%w: deliver: %w", ErrUnavailable, err)
	}
	return out, nil
}

// callback sends ev, built from the store with its link, signed with the
// current secret.
func (d *Deliverer) callback(ctx context.Context, ev Event) error {
	ks, err := d.s.keySet(ctx)
	if err != nil {
		return err
	}
	if ks.CallbackSecret == "" {
		return fmt.Errorf("%w: the callback secret is not configured", ErrUnavailable)
	}
	return d.h.Callbacks.Send(ctx, ev, ks.CallbackSecret)
}

// outcome names the result of one target.
func outcome(err error) string {
	switch {
	case err == nil:
		return TargetSent
	case retryable(err) == nil:
		return TargetRefused
	default:
		return TargetFailed
	}
}

// retryable returns err if trying again may help, and nil if the target
// took the delivery or will never take it. Unclassified errors are
// retried: the retry budget bounds them.
func retryable(err error) error {
	if err == nil || errors.Is(err, ErrGone) || errors.Is(err, ErrInvalid) {
		return nil
	}
	return err
}

// contactOf returns conversationID as a contact ARN, and reports whether
// it names a contact of the configured instance:
// <instance arn>/contact/<contact id>.
func (d *Deliverer) contactOf(conversationID string) (string, bool) {
	if d.h.Contacts == nil {
		return "", false
	}
	c := strings.TrimSpace(conversationID)
	rest, ok := strings.CutPrefix(c, d.h.ConnectInstanceARN+"/contact/")
	if !ok || !validARNID(rest) {
		return "", false
	}
	return c, true
}

// validInstanceARN reports whether arn is
// arn:<partition>:connect:<region>:<account>:instance/<id>.
func validInstanceARN(arn string) bool {
	f := strings.SplitN(arn, ":", 6)
	if len(f) != 6 || f[0] != "arn" || f[1] == "" || f[2] != "connect" || f[3] == "" || f[4] == "" {
		return false
	}
	id, ok := strings.CutPrefix(f[5], "instance/")
	return ok && validARNID(id)
}

// validARNID reports whether id is a non-empty resource id of letters,
// digits and hyphens, as Amazon Connect's instance and contact ids are.
func validARNID(id string) bool {
	if id == "" || len(id) > 256 {
		return false
	}
	for _, r := range id {
		if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}
