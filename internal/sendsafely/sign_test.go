package sendsafely_test

import (
	"testing"
	"time"

	"github.com/sendsafely/chatbot-connector/internal/sendsafely"
)

// The known answers of docs/dropzone.md.
func TestSign(t *testing.T) {
	for _, tt := range []struct {
		name, path, body, want string
	}{
		{"GET package", "/api/v2.0/package/ABCD-1234/", "", "f9f1c5d24198639e11ae7430ecd5387ee6fb05555021e14254e0ee8bd39b8a90"},
		{"POST with a body", "/api/v2.0/package/ABCD-1234/", `{"life":10}`, "401c4e53158f27bf0c219679892e5a5367914aa4af137885576039a925302074"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := sendsafely.Sign("test-api-key", "test-api-secret", tt.path, "2019-01-14T22:24:00+0000", tt.body)
			if got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

func TestTimestamp(t *testing.T) {
	for _, tt := range []struct {
		name string
		in   time.Time
		want string
	}{
		{"UTC", time.Date(2019, 1, 14, 22, 24, 0, 0, time.UTC), "2019-01-14T22:24:00+0000"},
		{"another zone is written in UTC", time.Date(2019, 1, 15, 0, 24, 0, 999, time.FixedZone("x", 2*3600)), "2019-01-14T22:24:00+0000"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := sendsafely.Timestamp(tt.in); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}
