package config

import (
	"slices"
	"testing"
)

// TestAllIsWhatLoadReads keeps All honest: the template is checked against
// it, so a variable Load reads but All omits would go unset in production.
func TestAllIsWhatLoadReads(t *testing.T) {
	var read []string
	env := map[string]string{
		TableName:      "uploads",
		TopicARN:       "arn:aws:sns:us-east-1:123456789012:events",
		SecretARN:      "arn:aws:secretsmanager:us-east-1:123456789012:secret:s",
		SendSafelyHost: "acme.sendsafely.com",
		DropzoneID:     "DZ1",
	}
	if _, err := Load(func(name string) string {
		read = append(read, name)
		return env[name]
	}); err != nil {
		t.Fatalf("Load: %v", err)
	}
	slices.Sort(read)
	read = slices.Compact(read)
	want := slices.Sorted(slices.Values(All))
	if !slices.Equal(read, want) {
		t.Errorf("Load read %v, want All = %v", read, want)
	}
}
