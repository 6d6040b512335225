package callback

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// TestSignKnownAnswers checks Sign against the Standard Webhooks
// reference libraries' own vectors: standard-webhooks/standard-webhooks,
// libraries/go/webhook_test.go (TestWebhookSign; the same vector is in
// libraries/javascript/src/webhook.test.ts, "sign function works", and
// libraries/python/tests/test_webhooks.py).
func TestSignKnownAnswers(t *testing.T) {
	for _, tt := range []struct {
		name   string
		secret connector.Secret
		id     string
		at     time.Time
		body   string
		want   string
	}{
		{
			name:   "spec vector",
			secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
			id:     "msg_p5jXN8AQM9LWM0D4loKWxJek",
			at:     time.Unix(1614265330, 0),
			body:   `{"test": 2432232314}`,
			want:   "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
		},
		{
			name:   "spec vector, secret with surrounding space",
			secret: " whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n",
			id:     "msg_p5jXN8AQM9LWM0D4loKWxJek",
			at:     time.Unix(1614265330, 0),
			body:   `{"test": 2432232314}`,
			want:   "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
		},
		{
			// The same message one second later signs differently: the
			// timestamp is covered.
			name:   "timestamp is signed",
			secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
			id:     "msg_p5jXN8AQM9LWM0D4loKWxJek",
			at:     time.Unix(1614265331, 0),
			body:   `{"test": 2432232314}`,
			want:   "!v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Sign(tt.secret, tt.id, tt.at, []byte(tt.body))
			if err != nil {
				t.Fatalf("Sign: %v", err)
			}
			if not, ok := strings.CutPrefix(tt.want, "!"); ok {
				if got == not {
					t.Errorf("got %s, want anything else", got)
				}
				return
			}
			if got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

func TestSignRejectsMalformedSecrets(t *testing.T) {
	short := "whsec_" + base64.StdEncoding.EncodeToString(make([]byte, MinSecretBytes-1))
	for _, secret := range []connector.Secret{
		"", "whsec_", "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_not base64!", connector.Secret(short),
	} {
		_, err := Sign(secret, "msg_1", time.Unix(1, 0), []byte("{}"))
		if err == nil {
			t.Errorf("Sign with secret %q: got no error", string(secret))
			continue
		}
		if s := string(secret); len(s) > len("whsec_") && strings.Contains(err.Error(), s[len("whsec_"):]) {
			t.Errorf("error %q quotes the secret", err)
		}
	}
}

func TestNewSecret(t *testing.T) {
	a, err := NewSecret()
	if err != nil {
		t.Fatal(err)
	}
	b, err := NewSecret()
	if err != nil {
		t.Fatal(err)
	}
	if a == b {
		t.Errorf("two secrets are equal: %s", a)
	}
	k, err := key(a)
	if err != nil {
		t.Fatalf("NewSecret made a secret Sign refuses: %v", err)
	}
	if len(k) != 32 || !strings.HasPrefix(string(a), "whsec_") {
		t.Errorf("got a %d-byte key with prefix %q, want 32 bytes after whsec_", len(k), string(a)[:6])
	}
}
