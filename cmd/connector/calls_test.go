package main

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/smithy-go/middleware"
	"github.com/google/go-cmp/cmp"
)

// TestAWSCallsPerRoute counts, through a middleware on the function's own
// SDK clients, the requests each route sends to AWS on moto_server: what
// an invocation costs in round trips and in DynamoDB, SNS and Secrets
// Manager charges. The counts are the design, so a change is a decision
// (docs/performance.md explains them): a first webhook delivery writes
// twice, storing the package and then marking its event published, so
// that a crash between the two cannot lose the event and a repeat is not
// published again.
func TestAWSCallsPerRoute(t *testing.T) {
	var calls callCounter
	c := newCloud(t, calls.option())
	const email = "customer@example.com"
	var id string
	n := func(pkg string) notice {
		return notice{uploadID: id, email: email, packageID: pkg, keyCode: "KeyCode-0123456789-" + pkg, key: itKey, submittedAt: c.clock.Now()}
	}
	getLink := func() string { return `{"action":"getLink","uploadId":"` + id + `","email":"` + email + `"}` }

	for _, tt := range []struct {
		name   string
		do     func(t *testing.T) int // returns the status
		status int
		want   map[string]int
	}{
		{"generateId, secret not yet cached", func(t *testing.T) int {
			st, m := c.chat(t, `{"action":"generateId","email":"`+email+`"}`)
			id, _ = m["UploadId"].(string)
			return st
		}, 200, map[string]int{"Secrets Manager.GetSecretValue": 1, "DynamoDB.PutItem": 1}},
		{"generateId", func(t *testing.T) int {
			st, _ := c.chat(t, `{"action":"generateId","email":"`+email+`"}`)
			return st
		}, 200, map[string]int{"DynamoDB.PutItem": 1}},
		{"getLink, pending", func(t *testing.T) int { st, _ := c.chat(t, getLink()); return st },
			200, map[string]int{"DynamoDB.GetItem": 1}},
		{"webhook, first delivery", func(t *testing.T) int { st, _ := c.webhook(t, n("AAAA-1111").form()); return st },
			200, map[string]int{"DynamoDB.GetItem": 1, "DynamoDB.PutItem": 2, "SNS.Publish": 1}},
		{"webhook, repeat", func(t *testing.T) int { st, _ := c.webhook(t, n("AAAA-1111").form()); return st },
			200, map[string]int{"DynamoDB.GetItem": 1}},
		{"getLink, ready", func(t *testing.T) int { st, _ := c.chat(t, getLink()); return st },
			200, map[string]int{"DynamoDB.GetItem": 1}},
		{"webhook, unknown upload", func(t *testing.T) int {
			u := n("BBBB-2222")
			u.uploadID = "11111111-2222-4333-8444-555555555555"
			st, _ := c.webhook(t, u.form())
			return st
		}, 404, map[string]int{"DynamoDB.GetItem": 1, "SNS.Publish": 1}},
		{"generateId, cache expired", func(t *testing.T) int {
			c.clock.Advance(5*time.Minute + time.Second)
			st, _ := c.chat(t, `{"action":"generateId"}`)
			return st
		}, 200, map[string]int{"Secrets Manager.GetSecretValue": 1, "DynamoDB.PutItem": 1}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			calls.reset()
			if st := tt.do(t); st != tt.status {
				t.Fatalf("status: got %d, want %d", st, tt.status)
			}
			if diff := cmp.Diff(tt.want, calls.reset()); diff != "" {
				t.Errorf("AWS calls (-want +got):\n%s", diff)
			}
		})
	}
}

// callCounter counts AWS requests by "service.operation".
type callCounter struct {
	mu sync.Mutex
	n  map[string]int
}

// option adds the counting middleware to every client built from the
// configuration. It sits in the finalize step after the retry middleware,
// so it counts each attempt that goes on the wire: what AWS bills.
func (c *callCounter) option() func(*aws.Config) {
	count := middleware.FinalizeMiddlewareFunc("countCalls", func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
		c.mu.Lock()
		if c.n == nil {
			c.n = map[string]int{}
		}
		c.n[awsmiddleware.GetServiceID(ctx)+"."+awsmiddleware.GetOperationName(ctx)]++
		c.mu.Unlock()
		return next.HandleFinalize(ctx, in)
	})
	return func(cfg *aws.Config) {
		cfg.APIOptions = append(cfg.APIOptions, func(st *middleware.Stack) error {
			return st.Finalize.Add(count, middleware.After)
		})
	}
}

// reset returns the counts so far and starts again from zero.
func (c *callCounter) reset() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := c.n
	c.n = map[string]int{}
	if n == nil {
		n = map[string]int{}
	}
	return n
}
