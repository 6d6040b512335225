package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	awssns "github.com/aws/aws-sdk-go-v2/service/sns"
)

// TestFlowOnMoto drives the function built from its environment, through
// the real SDK clients, against moto_server: every step of the contract a
// chatbot and the upload page go through, and what subscribers, the table
// and the logs see of it.
func TestFlowOnMoto(t *testing.T) {
	c := newCloud(t)
	const email = "Customer@Example.com"

	st, up := c.chat(t, `{"action":"generateId","email":"`+email+`","conversationId":"conv-7"}`)
	if st != 200 || up["Result"] != "Success" {
		t.Fatalf("generateId: %d %v", st, up)
	}
	id := up["UploadId"].(string)
	if !strings.Contains(up["UploadUrl"].(string), "id="+id+"&e=Customer%40Example.com&dz="+itDZ+"&h="+itHost) {
		t.Errorf("UploadUrl: %v", up["UploadUrl"])
	}
	getLink := `{"action":"getLink","uploadId":"` + id + `","email":"customer@example.com"}`

	if st, m := c.chat(t, getLink); st != 200 || m["Result"] != "Pending" {
		t.Fatalf("getLink before upload: %d %v", st, m)
	}
	p1 := notice{uploadID: id, email: email, packageID: "AAAA-1111", keyCode: "KeyOne-0123456789abcdef", key: itKey, submittedAt: c.clock.Now()}

	t.Run("submission stored and published", func(t *testing.T) {
		if st, m := c.webhook(t, p1.form()); st != 200 || m["result"] != "success" {
			t.Fatalf("webhook: %d %v", st, m)
		}
		evs := c.drain(t)
		if len(evs) != 1 || evs[0].Type != "upload.submitted" {
			t.Fatalf("events: %+v", evs)
		}
		b := evs[0].Body
		if b["uploadId"] != id || b["conversationId"] != "conv-7" || b["email"] != email || b["packageId"] != "AAAA-1111" ||
			b["dropzoneId"] != itDZ || b["type"] != "upload.submitted" || b["secureLink"] != nil {
			t.Errorf("event body: %v", b)
		}
		st, m := c.chat(t, getLink)
		if st != 200 || m["Result"] != "Success" || m["SecureLink"] != p1.link() {
			t.Fatalf("getLink: %d %v", st, m)
		}
	})

	t.Run("repeat stores and publishes nothing", func(t *testing.T) {
		if st, _ := c.webhook(t, p1.form()); st != 200 {
			t.Fatalf("repeat: %d", st)
		}
		if evs := c.drain(t); len(evs) != 0 {
			t.Errorf("repeat published %d events", len(evs))
		}
	})

	t.Run("other link for the package conflicts", func(t *testing.T) {
		other := p1
		other.keyCode = "Forged-0123456789abcdef"
		if st, m := c.webhook(t, other.form()); st != 409 || m["result"] != "error" {
			t.Fatalf("got %d %v, want 409", st, m)
		}
		if _, m := c.chat(t, getLink); m["SecureLink"] != p1.link() {
			t.Error("stored link changed")
		}
	})

	t.Run("previous key during rotation", func(t *testing.T) {
		p2 := notice{uploadID: id, email: email, packageID: "BBBB-2222", keyCode: "KeyTwo-0123456789abcdef", key: itPrevKey, submittedAt: c.clock.Now()}
		if st, m := c.webhook(t, p2.form()); st != 200 {
			t.Fatalf("got %d %v", st, m)
		}
		_, m := c.chat(t, getLink)
		if links, _ := m["SecureLinks"].([]any); len(links) != 2 || m["SecureLink"] != p2.link() {
			t.Errorf("getLink: %v", m)
		}
		c.drain(t)
	})

	t.Run("forged and stale notifications", func(t *testing.T) {
		forged := notice{uploadID: id, email: email, packageID: "CCCC-3333", keyCode: "KeyK-0123456789abcdef", key: "guess", submittedAt: c.clock.Now()}
		stale := notice{uploadID: id, email: email, packageID: "CCCC-3333", keyCode: "KeyK-0123456789abcdef", key: itKey, submittedAt: c.clock.Now().Add(-2 * time.Hour)}
		for _, n := range []notice{forged, stale} {
			if st, _ := c.webhook(t, n.form()); st != 401 {
				t.Errorf("got %d, want 401", st)
			}
		}
		if evs := c.drain(t); len(evs) != 0 {
			t.Errorf("refused notifications published %d events", len(evs))
		}
	})

	t.Run("wrong email", func(t *testing.T) {
		st, m := c.chat(t, `{"action":"getLink","uploadId":"`+id+`","email":"intruder@example.com"}`)
		if st != 404 || m["Error"] != "NotFound" {
			t.Fatalf("got %d %v", st, m)
		}
	})

	t.Run("unknown upload is published as unmatched", func(t *testing.T) {
		n := notice{uploadID: "11111111-2222-4333-8444-555555555555", email: email, packageID: "DDDD-4444", keyCode: "KeyK-0123456789abcdef", key: itKey, submittedAt: c.clock.Now()}
		if st, _ := c.webhook(t, n.form()); st != 404 {
			t.Fatalf("got %d, want 404", st)
		}
		evs := c.drain(t)
		if len(evs) != 1 || evs[0].Type != "upload.unmatched" || evs[0].Body["packageId"] != "DDDD-4444" {
			t.Fatalf("events: %+v", evs)
		}
	})

	t.Run("api token required", func(t *testing.T) {
		st, m, h := c.call(t, "POST", "/", `{"action":"generateId"}`, nil)
		if st != 401 || m["Error"] != "Unauthorized" || h["WWW-Authenticate"] == "" {
			t.Fatalf("got %d %v", st, m)
		}
	})

	t.Run("topic deleted mid-flow, then back", func(t *testing.T) {
		p3 := notice{uploadID: id, email: email, packageID: "EEEE-5555", keyCode: "KeyThree-0123456789abcdef", key: itKey, submittedAt: c.clock.Now()}
		if _, err := c.sns.DeleteTopic(context.Background(), &awssns.DeleteTopicInput{TopicArn: aws.String(c.topicARN)}); err != nil {
			t.Fatal(err)
		}
		st, m, h := c.call(t, "POST", "/webhook", p3.form(), map[string]string{"content-type": "application/x-www-form-urlencoded"})
		if st != 503 || h["Retry-After"] == "" || m["result"] != "error" {
			t.Fatalf("topic gone: got %d %v %v, want 503 with Retry-After", st, m, h)
		}
		c.createTopic(t)
		c.clock.Advance(10 * time.Minute)
		if st, m := c.webhook(t, p3.form()); st != 200 {
			t.Fatalf("retry: got %d %v", st, m)
		}
		if st, _ := c.webhook(t, p3.form()); st != 200 {
			t.Fatalf("second retry: got %d", st)
		}
		evs := c.drain(t)
		if len(evs) != 1 || evs[0].Body["packageId"] != "EEEE-5555" {
			t.Fatalf("events after retry: %+v, want exactly one for EEEE-5555", evs)
		}
		_, m = c.chat(t, getLink)
		if links, _ := m["SecureLinks"].([]any); len(links) != 3 {
			t.Errorf("links after retry: %v, want 3 (stored once)", m["SecureLinks"])
		}
	})

	t.Run("expired upload", func(t *testing.T) {
		_, m := c.chat(t, `{"action":"generateId","email":"late@example.com"}`)
		late := m["UploadId"].(string)
		c.clock.Advance(2*time.Hour + time.Minute)
		n := notice{uploadID: late, email: "late@example.com", packageID: "FFFF-6666", keyCode: "KeyK-0123456789abcdef", key: itKey, submittedAt: c.clock.Now()}
		if st, _ := c.webhook(t, n.form()); st != 404 {
			t.Errorf("webhook on a closed upload: got %d, want 404", st)
		}
		if evs := c.drain(t); len(evs) != 1 || evs[0].Type != "upload.unmatched" {
			t.Errorf("events: %+v", evs)
		}
		if st, _ := c.chat(t, `{"action":"getLink","uploadId":"`+late+`","email":"late@example.com"}`); st != 404 {
			t.Errorf("getLink on an expired upload: got %d, want 404", st)
		}
		// The submitted upload stays readable until LINK_TTL.
		if st, m := c.chat(t, getLink); st != 200 || m["Result"] != "Success" {
			t.Errorf("submitted upload after its window: %d %v", st, m)
		}
	})

	t.Run("the table holds nothing in the clear", func(t *testing.T) {
		out, err := c.ddb.Scan(context.Background(), &dynamodb.ScanInput{TableName: aws.String("uploads")})
		if err != nil {
			t.Fatal(err)
		}
		if out.Count < 2 {
			t.Fatalf("scan found %d items", out.Count)
		}
		dump := strings.ToLower(dumpItems(out.Items))
		for _, s := range []string{id, strings.ReplaceAll(id, "-", ""), "customer@example.com", "late@example.com", "conv-7", "aaaa-1111", "pc-aaaa-1111", "keycode", "KeyOne-0123456789abcdef", "sendsafely"} {
			if strings.Contains(dump, strings.ToLower(s)) {
				t.Errorf("table holds %q in the clear", s)
			}
		}
		for _, it := range out.Items {
			if _, ok := it["expiresAt"]; !ok {
				t.Errorf("item without the TTL attribute: %v", it)
			}
		}
	})

	t.Run("the logs hold no secret", func(t *testing.T) {
		logs := c.logs.String()
		if strings.Count(logs, "\n") < 15 {
			t.Fatalf("only %d log lines", strings.Count(logs, "\n"))
		}
		for _, s := range []string{id, "Customer@Example.com", "customer@example.com", "intruder@example.com", itKey, itPrevKey, itToken,
			"keyCode=", "KeyOne-0123456789abcdef", "pc-AAAA-1111", "conv-7"} {
			if strings.Contains(logs, s) {
				t.Errorf("log holds %q", s)
			}
		}
	})
}
