package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadOrCreateKey(t *testing.T) {
	dir := filepath.Join(t.TempDir(), ".data")
	first, path, err := loadOrCreateKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(first) != 43 || strings.ContainsAny(string(first), "+/=") {
		t.Errorf("key %q: want 43 base64url characters", string(first))
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v, want 0600", fi.Mode().Perm())
	}
	for _, tt := range []struct {
		name    string
		content string // "" leaves the file as it is
		want    string
		wantErr string
	}{
		{"kept", "", string(first), ""},
		{"edited by hand, white space trimmed", "my-own-key\n\n", "my-own-key", ""},
		{"empty", " \n", "", "is empty"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if tt.content != "" {
				if err := os.WriteFile(path, []byte(tt.content), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			got, _, err := loadOrCreateKey(dir)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("got %v, want an error saying %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || string(got) != tt.want {
				t.Fatalf("got %q, %v; want %q", string(got), err, tt.want)
			}
		})
	}
	other, _, err := loadOrCreateKey(t.TempDir())
	if err != nil || other == first {
		t.Errorf("a new folder got key %v (err %v); want a fresh key", other == first, err)
	}
}
