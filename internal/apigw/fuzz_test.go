package apigw_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// FuzzChatRequest sends arbitrary bodies to POST /: every answer is a JSON
// body of the contract's shape with a 200, 400 or 404, never a 500.
// Seeds are in testdata/fuzz/FuzzChatRequest.
func FuzzChatRequest(f *testing.F) {
	f.Add(`{"action":"generateId","email":"a@b.c","conversationId":"c"}`)
	f.Add(`{"action":"getLink","uploadId":"8e2b1c7e-2f0a-4a57-9d83-6c1f1d0c9a4e","email":"user@example.com","wait":0}`)
	s := newStack(f)
	if _, err := s.svc.GenerateID(context.Background(), connector.GenerateRequest{Email: fixtureEmail}); err != nil {
		f.Fatal(err)
	}
	h := lambda.NewHandler(s.h)
	f.Fuzz(func(t *testing.T, body string) {
		out, err := h.Invoke(context.Background(), event("POST", "/", body, nil))
		if err != nil {
			t.Fatal(err)
		}
		var resp struct {
			StatusCode int    `json:"statusCode"`
			Body       string `json:"body"`
		}
		if err := json.Unmarshal(out, &resp); err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(resp.Body), &m); err != nil {
			t.Fatalf("body not JSON: %q", resp.Body)
		}
		switch resp.StatusCode {
		case 200:
			if m["Result"] != "Success" && m["Result"] != "Pending" {
				t.Fatalf("200 with %v", m)
			}
		case 400, 404:
			if m["Result"] != "Error" || m["Message"] == "" {
				t.Fatalf("%d with %v", resp.StatusCode, m)
			}
		default:
			t.Fatalf("status %d for %q: %s", resp.StatusCode, body, resp.Body)
		}
	})
}
