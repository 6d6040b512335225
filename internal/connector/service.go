package connector

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Limits of the contract.
const (
	// MaxWait is the longest getLink may hold a call open.
	MaxWait = 25 * time.Second
	// MaxPackages is how many packages one upload keeps.
	MaxPackages = 20
	// MaxConversationID is the longest conversation id, in characters.
	MaxConversationID = 256
	// maxFutureSkew is how far in the future a submittedAt may lie.
	maxFutureSkew = 5 * time.Minute
	// DefaultRequestBound is how long one request may wait for the
	// connector's dependencies (beyond a getLink's wait) before it answers
	// ErrUnavailable: the contract answers within 10 s, API Gateway cuts
	// at 30 s.
	DefaultRequestBound = 8 * time.Second
	// DefaultSweepLookback is how far back a sweep reads received packages.
	DefaultSweepLookback = 15 * time.Minute
	// claimMargin is how much longer a publication claim lasts than the
	// request that holds it can run, so a claim lapses only once its
	// holder has surely stopped.
	claimMargin = 2 * time.Second
	// claimPollFirst and claimPollMax pace a request that waits for
	// another to publish; maxClaimPolls bounds its loop whatever the clock.
	claimPollFirst = 25 * time.Millisecond
	claimPollMax   = 400 * time.Millisecond
	maxClaimPolls  = 200
	// writeAttempts bounds the optimistic-concurrency retries of one request.
	// A write loses only to another that succeeded, and an upload sees at
	// most MaxPackages package writes and as many publish marks; so this
	// many attempts always suffice, however many notifications race.
	writeAttempts = 2*MaxPackages + 1
)

// Settings are the non-secret options of the service.
type Settings struct {
	SendSafelyHost    string        // e.g. acme.sendsafely.com
	DropzoneID        string        // the Dropzone id
	UploadPageURL     string        // the upload page the UploadUrl points at
	UploadTTL         time.Duration // how long an upload stays open
	LinkTTL           time.Duration // how long a submitted link can be fetched
	WebhookMaxAge     time.Duration // oldest submittedAt accepted
	EventsIncludeLink bool          // put the secure link into events
	// RequestBound is how long one request may wait for dependencies
	// beyond a getLink's wait; 0 means DefaultRequestBound.
	RequestBound time.Duration
	// SweepLookback is how far back a sweep reads received packages; 0
	// means DefaultSweepLookback.
	SweepLookback time.Duration
	// Files is the file policy; it needs verified mode (the zero value
	// limits nothing).
	Files FilePolicy
	// EventsIncludeFileNames puts file names into events (names are often
	// personal data).
	EventsIncludeFileNames bool
}

// Deps are the collaborators of the service. Store, Publisher, Keys,
// Dropzone and NewID are required; Now and Sleep default to the real clock.
type Deps struct {
	Store     Store
	Publisher Publisher
	Keys      Keys
	Dropzone  Dropzone
	// SendSafely reads packages in verified mode; nil leaves verified mode
	// off whatever the secret holds (then a secret that turns it on is a
	// 503, as a misconfiguration).
	SendSafely SendSafely
	// Objects holds the retrieved files and Renderer renders them for
	// the agent tools list_files and read_file; both optional: without
	// Objects no file can be read, without Renderer a read gives the
	// download link only.
	Objects  ObjectStore
	Renderer Renderer
	// NewID returns a new random upload id (a version 4 UUID).
	NewID func() (string, error)
	// Now returns the current time.
	Now func() time.Time
	// Sleep waits for d or until ctx is done, whichever comes first, and
	// returns ctx.Err() in the second case.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Service implements the connector's operations.
type Service struct {
	set    Settings
	store  Store
	pub    Publisher
	keys   Keys
	dz     Dropzone
	ss     SendSafely
	objs   ObjectStore
	render Renderer
	newID  func() (string, error)
	now    func() time.Time
	sleep  func(ctx context.Context, d time.Duration) error
}

// New returns a Service, or an error naming what is missing.
func New(set Settings, d Deps) (*Service, error) {
	switch {
	case d.Store == nil:
		return nil, errors.New("connector: no store")
	case d.Publisher == nil:
		return nil, errors.New("connector: no publisher")
	case d.Keys == nil:
		return nil, errors.New("connector: no keys")
	case d.Dropzone == nil:
		return nil, errors.New("connector: no dropzone")
	case d.NewID == nil:
		return nil, errors.New("connector: no id source")
	case set.SendSafelyHost == "" || set.DropzoneID == "" || set.UploadPageURL == "":
		return nil, errors.New("connector: sendsafely host, dropzone id and upload page url are required")
	case set.UploadTTL <= 0 || set.LinkTTL <= 0 || set.WebhookMaxAge <= 0:
		return nil, errors.New("connector: ttls must be positive")
	case set.Files.Enabled() && d.SendSafely == nil:
		return nil, errors.New("connector: the file policy (ALLOWED_FILE_TYPES, MAX_FILE_SIZE, MAX_FILES) needs verified mode, and no SendSafely API is configured")
	}
	s := &Service{set: set, store: d.Store, pub: d.Publisher, keys: d.Keys, dz: d.Dropzone, ss: d.SendSafely,
		objs: d.Objects, render: d.Renderer,
		newID: d.NewID, now: d.Now, sleep: d.Sleep}
	if s.now == nil {
		s.now = time.Now
	}
	if s.sleep == nil {
		s.sleep = sleepContext
	}
	if s.set.RequestBound <= 0 {
		s.set.RequestBound = DefaultRequestBound
	}
	if s.set.SweepLookback <= 0 {
		s.set.SweepLookback = DefaultSweepLookback
	}
	return s, nil
}

// bound limits ctx to the request bound plus extra, so that a dependency
// that does not answer ends the request with ErrUnavailable in time.
func (s *Service) bound(ctx context.Context, extra time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, s.set.RequestBound+extra)
}

// claimLease is how long a request's claim to publish an event lasts.
func (s *Service) claimLease() time.Duration { return s.set.RequestBound + claimMargin }

// sleepContext waits for d or until ctx is done.
func sleepContext(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// keySet reads the keys, classifying a failure as ErrUnavailable.
func (s *Service) keySet(ctx context.Context) (KeySet, error) {
	ks, err := s.keys.Keys(ctx)
	if err != nil {
		if errors.Is(err, ErrUnavailable) {
			return KeySet{}, err
		}
		return KeySet{}, fmt.Errorf("%w: keys: %w", ErrUnavailable, err)
	}
	if err := s.checkKeySet(ks); err != nil {
		return KeySet{}, err
	}
	return ks, nil
}
