package apigw_test

import (
	"context"
	"testing"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// TestWaitParsing holds getLink's wait to the contract: a JSON number from
// 0 to 25, or a string of plain decimal digits; anything else is 400.
func TestWaitParsing(t *testing.T) {
	for _, tt := range []struct {
		name, wait string
		status     int
	}{
		{"number", `3`, 200},
		{"fraction", `2.5`, 200},
		{"exponent", `1e1`, 200},
		{"zero", `0`, 200},
		{"largest", `25`, 200},
		{"null means the default", `null`, 200},
		{"digits string", `"8"`, 200},
		{"decimal string", `"2.5"`, 200},
		{"over the range", `26`, 400},
		{"negative", `-1`, 400},
		{"negative zero string", `"-0"`, 400},
		{"huge exponent", `1e400`, 400},
		{"underscore", `"1_0"`, 400},
		{"hex float", `"0x1p3"`, 400},
		{"hex", `"0x8"`, 400},
		{"NaN", `"NaN"`, 400},
		{"Infinity", `"Inf"`, 400},
		{"exponent in a string", `"1e1"`, 400},
		{"spaces", `" 5"`, 400},
		{"plus sign", `"+5"`, 400},
		{"empty string", `""`, 400},
		{"point alone", `"5."`, 400},
		{"boolean", `true`, 400},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := newStack(t)
			if _, err := s.svc.GenerateID(context.Background(), connector.GenerateRequest{Email: fixtureEmail}); err != nil {
				t.Fatal(err)
			}
			body := `{"action":"getLink","uploadId":"8e2b1c7e-2f0a-4a57-9d83-6c1f1d0c9a4e","email":"user@example.com","wait":` + tt.wait + `}`
			resp := s.invoke(t, event("POST", "/", body, map[string]string{"content-type": "application/json"}))
			if resp.StatusCode != tt.status {
				t.Fatalf("wait %s: got %d %s, want %d", tt.wait, resp.StatusCode, resp.Body, tt.status)
			}
		})
	}
}
