package connector_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/sendsafely/chatbot-connector/internal/bolt"
	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/dropzone"
	"github.com/sendsafely/chatbot-connector/internal/memory"
)

// service returns another instance of e's service (another Lambda
// instance, say) on the given store and publisher, with e's keys and clock.
func (e *env) service(t testing.TB, store connector.Store, pub connector.Publisher) *connector.Service {
	t.Helper()
	svc, err := connector.New(e.set, connector.Deps{Store: store, Publisher: pub, Keys: e.keys,
		Dropzone: dropzone.Codec{}, NewID: e.newID, Now: e.clock.Now, Sleep: e.clock.Sleep})
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

// submittedEvents returns the upload.submitted events among evs.
func submittedEvents(evs []connector.Event) []connector.Event {
	var out []connector.Event
	for _, ev := range evs {
		if ev.Type == connector.EventSubmitted {
			out = append(out, ev)
		}
	}
	return out
}

// TestParallelDeliveriesPublishOnce: N identical notifications at the same
// moment, on several instances of the function, store the package once
// and publish exactly one upload.submitted; every one of them is answered
// 200. It runs on the real clock, as instances do.
func TestParallelDeliveriesPublishOnce(t *testing.T) {
	const deliveries, instances = 50, 4
	for _, tt := range []struct {
		name  string
		store func(t *testing.T) connector.Store
	}{
		{"memory", func(*testing.T) connector.Store { return &memory.Store{} }},
		{"bolt", func(t *testing.T) connector.Store {
			s, err := bolt.Open(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = s.Close() })
			return s
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			for round := range 3 {
				store, pub := tt.store(t), &memory.Publisher{}
				e := newEnv(t)
				svcs := make([]*connector.Service, instances)
				for i := range svcs {
					svc, err := connector.New(e.set, connector.Deps{Store: store, Publisher: pub, Keys: e.keys,
						Dropzone: dropzone.Codec{}, NewID: e.newID})
					if err != nil {
						t.Fatal(err)
					}
					svcs[i] = svc
				}
				up, err := svcs[0].GenerateID(t.Context(), connector.GenerateRequest{Email: testEmail})
				if err != nil {
					t.Fatal(err)
				}
				p := e.payload(up.ID, "P1")
				p.SubmittedAt = time.Now().UTC().Format(time.RFC3339)
				n := sign(t, p, testKey)
				var wg sync.WaitGroup
				errs := make([]error, deliveries)
				start := make(chan struct{})
				for i := range deliveries {
					wg.Go(func() {
						<-start
						_, errs[i] = svcs[i%instances].Notify(context.Background(), n)
					})
				}
				close(start)
				wg.Wait()
				for i, err := range errs {
					if err != nil {
						t.Errorf("round %d: delivery %d: %v", round, i, err)
					}
				}
				if got := len(submittedEvents(pub.Events())); got != 1 {
					t.Errorf("round %d: %d upload.submitted events, want 1", round, got)
				}
			}
		})
	}
}

// TestRepeatNamingAnotherEmail: check 5 comes before any look at what is
// stored, so a repeat of a stored package whose data names another email
// is 404 and published as upload.unmatched.
func TestRepeatNamingAnotherEmail(t *testing.T) {
	e := newEnv(t)
	id := e.generate(t, "")
	if _, err := e.svc.Notify(t.Context(), sign(t, e.payload(id, "P1"), testKey)); err != nil {
		t.Fatal(err)
	}
	p := e.payload(id, "P1")
	p.Email = "someone@else.example"
	rc, err := e.svc.Notify(t.Context(), sign(t, p, testKey))
	if !errors.Is(err, connector.ErrNotFound) || rc.Outcome != connector.OutcomeUnmatched {
		t.Fatalf("got %+v, %v; want unmatched, ErrNotFound", rc, err)
	}
	var types []string
	for _, ev := range e.pub.Events() {
		types = append(types, ev.Type)
	}
	if want := fmt.Sprint([]string{connector.EventSubmitted, connector.EventUnmatched}); fmt.Sprint(types) != want {
		t.Errorf("events: got %v, want %v", types, want)
	}
}

// flakyStore fails the Replace calls whose number (from 1) is in fail.
type flakyStore struct {
	connector.Store
	mu       sync.Mutex
	replaces int
	fail     map[int]error
}

func (s *flakyStore) Replace(ctx context.Context, rec connector.Record, prev int64) error {
	s.mu.Lock()
	s.replaces++
	err := s.fail[s.replaces]
	s.mu.Unlock()
	if err != nil {
		return err
	}
	return s.Store.Replace(ctx, rec, prev)
}

// dying is a publisher whose request dies (its goroutine ends, running
// nothing more of the service) before or after the event goes out: a
// function instance killed between two writes.
type dying struct {
	pub   *memory.Publisher
	after bool
}

func (d dying) Publish(ctx context.Context, ev connector.Event) error {
	if d.after {
		_ = d.pub.Publish(ctx, ev)
	}
	runtime.Goexit()
	return nil
}

// die runs a notification on svc until its request dies.
func die(svc *connector.Service, n connector.Notice) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, _ = svc.Notify(context.Background(), n)
	}()
	<-done
}

// TestPublishFaults walks every point where a delivery can fail between
// storing the package (its claim), publishing and recording the
// publication, and then retries: the event goes out at least once, and
// only a publish that failed or may not have been recorded goes out again.
func TestPublishFaults(t *testing.T) {
	for _, tt := range []struct {
		name string
		// first runs the first delivery against store and pub.
		first func(t *testing.T, e *env, store *flakyStore, n connector.Notice)
		// retryWaits says whether the retry must wait for a claim to lapse.
		retryWaits  bool
		wantOutcome string
		wantEvents  int
	}{
		{
			name: "publish fails: claim released, retry publishes at once",
			first: func(t *testing.T, e *env, store *flakyStore, n connector.Notice) {
				down := &memory.Publisher{Err: fmt.Errorf("topic: %w", connector.ErrUnavailable)}
				if _, err := e.service(t, store, down).Notify(t.Context(), n); !errors.Is(err, connector.ErrUnavailable) {
					t.Fatalf("first: got %v, want ErrUnavailable", err)
				}
			},
			wantOutcome: connector.OutcomeRepublish, wantEvents: 1,
		},
		{
			name: "publish fails and so does the release: retry waits for the claim to lapse",
			first: func(t *testing.T, e *env, store *flakyStore, n connector.Notice) {
				store.fail = map[int]error{2: errDown} // 1 stores and claims, 2 releases
				down := &memory.Publisher{Err: fmt.Errorf("topic: %w", connector.ErrUnavailable)}
				if _, err := e.service(t, store, down).Notify(t.Context(), n); !errors.Is(err, connector.ErrUnavailable) {
					t.Fatalf("first: got %v, want ErrUnavailable", err)
				}
			},
			retryWaits: true, wantOutcome: connector.OutcomeRepublish, wantEvents: 1,
		},
		{
			name: "dies between claim and publish: retry takes the lapsed claim over",
			first: func(t *testing.T, e *env, store *flakyStore, n connector.Notice) {
				die(e.service(t, store, dying{pub: e.pub}), n)
			},
			retryWaits: true, wantOutcome: connector.OutcomeRepublish, wantEvents: 1,
		},
		{
			name: "dies between publish and record: at least once, so twice",
			first: func(t *testing.T, e *env, store *flakyStore, n connector.Notice) {
				die(e.service(t, store, dying{pub: e.pub, after: true}), n)
			},
			retryWaits: true, wantOutcome: connector.OutcomeRepublish, wantEvents: 2,
		},
		{
			name: "record fails: success, and a retry publishes again once the claim lapses",
			first: func(t *testing.T, e *env, store *flakyStore, n connector.Notice) {
				store.fail = map[int]error{2: errDown}
				rc, err := e.service(t, store, e.pub).Notify(t.Context(), n)
				if err != nil || !rc.MarkFailed {
					t.Fatalf("first: got %+v, %v; want success with MarkFailed", rc, err)
				}
			},
			retryWaits: true, wantOutcome: connector.OutcomeRepublish, wantEvents: 2,
		},
		{
			name: "all well: a retry publishes nothing",
			first: func(t *testing.T, e *env, store *flakyStore, n connector.Notice) {
				if _, err := e.service(t, store, e.pub).Notify(t.Context(), n); err != nil {
					t.Fatal(err)
				}
			},
			wantOutcome: connector.OutcomeRepeat, wantEvents: 1,
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			id := e.generate(t, testEmail)
			n := sign(t, e.payload(id, "P1"), testKey)
			store := &flakyStore{Store: e.store}
			tt.first(t, e, store, n)
			before := e.clock.Now()
			rc, err := e.service(t, e.store, e.pub).Notify(t.Context(), n)
			if err != nil || rc.Outcome != tt.wantOutcome {
				t.Fatalf("retry: got %+v, %v; want %s", rc, err, tt.wantOutcome)
			}
			waited := e.clock.Now().Sub(before)
			if lease := connector.DefaultRequestBound; tt.retryWaits != (waited > lease) {
				t.Errorf("retry waited %v; want it to wait past the claim (%v): %v", waited, lease, tt.retryWaits)
			}
			if got := len(submittedEvents(e.pub.Events())); got != tt.wantEvents {
				t.Errorf("upload.submitted events: got %d, want %d", got, tt.wantEvents)
			}
			again, err := e.service(t, e.store, e.pub).Notify(t.Context(), n)
			if err != nil || again.Outcome != connector.OutcomeRepeat {
				t.Errorf("a third delivery: got %+v, %v; want repeat", again, err)
			}
		})
	}
}

// TestRepeatWaitsForThePublisher: a repeat that arrives while the first
// delivery is publishing waits for it and answers 200 without publishing.
func TestRepeatWaitsForThePublisher(t *testing.T) {
	e := newEnv(t)
	id := e.generate(t, testEmail)
	n := sign(t, e.payload(id, "P1"), testKey)
	release, publishing := make(chan struct{}), make(chan struct{})
	slow := &memory.Publisher{}
	first := make(chan error, 1)
	go func() {
		_, err := e.service(t, e.store, gate{slow, publishing, release}).Notify(context.Background(), n)
		first <- err
	}()
	<-publishing
	var once sync.Once
	e.clock.OnSleep(func(time.Duration) {
		once.Do(func() {
			close(release)
			if err := <-first; err != nil {
				t.Errorf("first delivery: %v", err)
			}
		})
	})
	rc, err := e.svc.Notify(t.Context(), n)
	if err != nil || rc.Outcome != connector.OutcomeRepeat {
		t.Fatalf("repeat: got %+v, %v; want repeat", rc, err)
	}
	if got := len(slow.Events()) + len(e.pub.Events()); got != 1 {
		t.Errorf("events: got %d, want 1", got)
	}
}

// gate is a publisher that signals publishing, then waits for release.
type gate struct {
	pub                 *memory.Publisher
	publishing, release chan struct{}
}

func (g gate) Publish(ctx context.Context, ev connector.Event) error {
	close(g.publishing)
	<-g.release
	return g.pub.Publish(ctx, ev)
}

// refusingStore refuses every Replace as DynamoDB refuses an item over its
// size limit: an error of no kind, which a retry would meet again.
type refusingStore struct{ connector.Store }

func (refusingStore) Replace(context.Context, connector.Record, int64) error {
	return errors.New("ValidationException: Item size has exceeded the maximum allowed size")
}

// TestStoreRefusalIsNotSilent: a valid submission the store refuses is
// published as upload.unmatched, and the answer is an error of no kind (a
// 500), not a success and not a 503 to retry forever.
func TestStoreRefusalIsNotSilent(t *testing.T) {
	e := newEnv(t)
	id := e.generate(t, testEmail)
	rc, err := e.service(t, refusingStore{e.store}, e.pub).Notify(t.Context(), sign(t, e.payload(id, "P1"), testKey))
	for _, kind := range []error{connector.ErrUnavailable, connector.ErrInvalid, connector.ErrNotFound, connector.ErrConflict} {
		if errors.Is(err, kind) {
			t.Fatalf("got %v, want an error of no kind", err)
		}
	}
	if err == nil || rc.Outcome != connector.OutcomeUnmatched {
		t.Fatalf("got %+v, %v; want unmatched and an error", rc, err)
	}
	evs := e.pub.Events()
	if len(evs) != 1 || evs[0].Type != connector.EventUnmatched || evs[0].UploadID != id {
		t.Errorf("events: got %+v, want one upload.unmatched for the upload", evs)
	}
}
