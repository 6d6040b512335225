package main

import (
	"context"
	"fmt"
	"io"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/sendsafely/chatbot-connector/internal/lambdaentry"
)

// instance builds another function instance from the cloud's environment:
// its own SDK clients, secret cache and real clock, as Lambda starts one;
// awsOptions are added to its SDK configuration.
func (c *cloud) instance(t testing.TB, awsOptions ...func(*aws.Config)) *lambdaentry.Entry {
	t.Helper()
	h, err := newHandler(context.Background(), platform{getenv: func(k string) string { return c.vars[k] }, logs: io.Discard,
		awsOptions: awsOptions})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// post sends one webhook form through h and returns the status.
func post(h *lambdaentry.Entry, form string) (int, error) {
	resp, err := send(h, "POST", "/webhook", form, map[string]string{"content-type": "application/x-www-form-urlencoded"})
	return resp.StatusCode, err
}

// TestParallelDeliveriesOnMoto: 50 identical notifications posted at the
// same moment to four function instances store one link and publish
// exactly one upload.submitted, counted on the SQS subscriber, retries of
// any that were answered 503 included; every delivery ends in 200.
func TestParallelDeliveriesOnMoto(t *testing.T) {
	const deliveries, instances, rounds = 50, 4, 2
	c := newCloud(t)
	hs := make([]*lambdaentry.Entry, instances)
	for i := range hs {
		hs[i] = c.instance(t)
	}
	for round := range rounds {
		st, up := c.chat(t, `{"action":"generateId","email":"customer@example.com"}`)
		if st != 200 {
			t.Fatalf("generateId: %d %v", st, up)
		}
		n := notice{uploadID: up["UploadId"].(string), email: "customer@example.com", packageID: fmt.Sprintf("PAR-%04d", round),
			keyCode: "KeyPar-0123456789abcdef", key: itKey, submittedAt: time.Now()}
		form := n.form()
		statuses := make([]int, deliveries)
		errs := make([]error, deliveries)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i := range deliveries {
			wg.Go(func() {
				<-start
				statuses[i], errs[i] = post(hs[i%instances], form)
			})
		}
		close(start)
		wg.Wait()
		// Each is answered 200, or 503 when the emulator, busy with fifty
		// requests on two cores, makes one wait past its bound: then the
		// sender retries, as the contract tells it to, and gets 200.
		retried := 0
		for i := range deliveries {
			for try := 0; errs[i] == nil && statuses[i] == 503 && try < 3; try++ {
				retried++
				statuses[i], errs[i] = post(hs[i%instances], form)
			}
			if errs[i] != nil || statuses[i] != 200 {
				t.Errorf("round %d: delivery %d: %d, %v; want 200", round, i, statuses[i], errs[i])
			}
		}
		if retried > 0 {
			t.Logf("round %d: %d deliveries answered 503 under load and were retried", round, retried)
		}
		evs := c.drain(t)
		if len(evs) != 1 || evs[0].Type != "upload.submitted" {
			t.Errorf("round %d: subscriber got %d events %v, want one upload.submitted", round, len(evs), evs)
		}
	}
}

// TestPausedDependency: with the emulator stopped (SIGSTOP: connections
// accepted, never answered), requests answer 503 with Retry-After within
// the contract's 10 s instead of hanging until the function's deadline;
// once it runs again, a retry completes what was missed.
func TestPausedDependency(t *testing.T) {
	c := newCloud(t)
	h := c.instance(t)
	st, up := c.chat(t, `{"action":"generateId","email":"customer@example.com"}`)
	if st != 200 {
		t.Fatalf("generateId: %d %v", st, up)
	}
	id := up["UploadId"].(string)
	n := notice{uploadID: id, email: "customer@example.com", packageID: "PAUS-0001", keyCode: "KeyPause-0123456789abcdef", key: itKey, submittedAt: time.Now()}
	if err := c.srv.Pause(); err != nil {
		t.Fatal(err)
	}
	resumed := false
	resume := func() {
		if !resumed {
			resumed = true
			if err := c.srv.Resume(); err != nil {
				t.Fatal(err)
			}
		}
	}
	t.Cleanup(resume)
	for _, tt := range []struct {
		name string
		call func() (int, error)
	}{
		{"webhook", func() (int, error) { return post(h, n.form()) }},
		{"getLink", func() (int, error) {
			resp, err := send(h, "POST", "/", `{"action":"getLink","uploadId":"`+id+`","email":"customer@example.com"}`, bearer)
			return resp.StatusCode, err
		}},
	} {
		began := time.Now()
		st, err := tt.call()
		took := time.Since(began)
		if err != nil || st != 503 {
			t.Errorf("%s with the emulator paused: got %d, %v; want 503", tt.name, st, err)
		}
		// The contract's bound, not a performance figure: a request is
		// answered within 10 s of when it would otherwise have ended.
		if took > 10*time.Second {
			t.Errorf("%s answered after %v, want within 10s", tt.name, took)
		}
	}
	resume()
	if st, err := post(h, n.form()); err != nil || st != 200 {
		t.Fatalf("retry after resuming: %d, %v; want 200", st, err)
	}
	if evs := c.drain(t); len(evs) != 1 || evs[0].Type != "upload.submitted" {
		t.Errorf("subscriber: got %v, want one upload.submitted", evs)
	}
}

// TestSecretUpdatedMidRun: a validation key put into the secret while the
// function is warm works on the next notification, not after the cache's
// five minutes.
func TestSecretUpdatedMidRun(t *testing.T) {
	c := newCloud(t)
	h := c.instance(t)
	st, up := c.chat(t, `{"action":"generateId","email":"customer@example.com"}`)
	if st != 200 {
		t.Fatalf("generateId: %d %v", st, up)
	}
	id := up["UploadId"].(string)
	warm := notice{uploadID: id, email: "customer@example.com", packageID: "ROT-0001", keyCode: "KeyRot1-0123456789abcdef", key: itKey, submittedAt: time.Now()}
	if st, err := post(h, warm.form()); err != nil || st != 200 {
		t.Fatalf("before the rotation: %d, %v", st, err)
	}
	const rotated = "it-rotated-key"
	if _, err := c.sm.PutSecretValue(context.Background(), &secretsmanager.PutSecretValueInput{SecretId: aws.String(c.vars["SECRET_ARN"]),
		SecretString: aws.String(fmt.Sprintf(`{"validationKey":%q,"previousValidationKey":%q,"apiToken":%q}`, rotated, itKey, itToken))}); err != nil {
		t.Fatal(err)
	}
	n := notice{uploadID: id, email: "customer@example.com", packageID: "ROT-0002", keyCode: "KeyRot2-0123456789abcdef", key: rotated, submittedAt: time.Now()}
	if st, err := post(h, n.form()); err != nil || st != 200 {
		t.Fatalf("signed with the key just put into the secret: %d, %v; want 200", st, err)
	}
}
