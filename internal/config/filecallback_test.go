package config_test

import (
	"strings"
	"testing"

	"github.com/sendsafely/chatbot-connector/internal/config"
)

func TestLoadFileCallback(t *testing.T) {
	for _, tt := range []struct {
		name    string
		set     map[string]string
		want    config.FileCallback
		wantErr string // the variable named, "" for none
	}{
		{"off", map[string]string{}, config.FileCallback{MaxSize: config.DefaultFileCallbackMaxSize}, ""},
		{"on with the default size", map[string]string{config.FilesDir: "/tmp",
			config.FileCallbackURL: "https://receiver.example.com/files"},
			config.FileCallback{URL: "https://receiver.example.com/files", MaxSize: 100_000_000}, ""},
		{"own size", map[string]string{config.FilesDir: "/tmp",
			config.FileCallbackURL: "https://receiver.example.com/files", config.FileCallbackMaxSize: "5MiB"},
			config.FileCallback{URL: "https://receiver.example.com/files", MaxSize: 5 << 20}, ""},
		{"http to a public host", map[string]string{config.FilesDir: "/tmp",
			config.FileCallbackURL: "http://receiver.example.com/files"}, config.FileCallback{}, config.FileCallbackURL},
		{"bad size", map[string]string{config.FilesDir: "/tmp",
			config.FileCallbackURL: "https://receiver.example.com/files", config.FileCallbackMaxSize: "10 parsecs"},
			config.FileCallback{}, config.FileCallbackMaxSize},
		{"without retrieval", map[string]string{
			config.FileCallbackURL: "https://receiver.example.com/files"}, config.FileCallback{}, config.FileCallbackURL},
		{"without the delivery queue: it runs on the files queue", map[string]string{config.FilesDir: "/tmp",
			config.FileCallbackURL: "https://receiver.example.com/files"},
			config.FileCallback{URL: "https://receiver.example.com/files", MaxSize: 100_000_000}, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m := base()
			for k, v := range tt.set {
				m[k] = v
			}
			got, err := config.Load(env(m))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr+":") {
					t.Errorf("got %v, want an error naming %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.FileCallback != tt.want {
				t.Errorf("got %+v, want %+v", got.FileCallback, tt.want)
			}
		})
	}
}
