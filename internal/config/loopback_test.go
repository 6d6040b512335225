package config_test

import (
	"strings"
	"testing"

	"github.com/sendsafely/chatbot-connector/internal/config"
)

// TestPlainHTTPOnlyOnLoopback: a URL may be plain http only when its host
// is a loopback IP address or localhost, read as an address, not as text.
func TestPlainHTTPOnlyOnLoopback(t *testing.T) {
	for _, key := range []string{config.UploadPageURL, config.SendSafelyAPIURL, config.CallbackURL} {
		for _, tt := range []struct {
			url string
			ok  bool
		}{
			{"http://127.0.0.1:8081/x", true},
			{"http://127.1.2.3/x", true},
			{"http://[::1]:8081/x", true},
			{"http://localhost:8081/x", true},
			{"http://LocalHost/x", true},
			{"http://127.attacker.example/x", false},
			{"http://127.0.0.1.attacker.example/x", false},
			{"http://localhost.attacker.example/x", false},
			{"http://[::ffff:10.0.0.1]/x", false},
			{"http://10.0.0.1/x", false},
			{"https://127.attacker.example/x", true},
		} {
			t.Run(key+" "+tt.url, func(t *testing.T) {
				m := map[string]string{config.SendSafelyHost: "acme.sendsafely.com", config.DropzoneID: "DZ1", key: tt.url}
				_, err := config.LoadOptions(func(k string) string { return m[k] })
				if tt.ok && err != nil {
					t.Errorf("got %v, want accepted", err)
				}
				if !tt.ok && (err == nil || !strings.Contains(err.Error(), key)) {
					t.Errorf("got %v, want an error naming %s", err, key)
				}
			})
		}
	}
}
