package config_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sendsafely/chatbot-connector/internal/config"
)

func TestLoadFiles(t *testing.T) {
	const queue = "https://sqs.us-east-1.amazonaws.com/123456789012/files"
	for _, tt := range []struct {
		name    string
		set     map[string]string
		want    config.Files
		wantErr string // the variable named, "" for none
	}{
		{"bucket", map[string]string{config.FilesBucket: "acme-files", config.FilesQueueURL: queue, config.FilesKMSKeyID: "alias/files"},
			config.Files{Bucket: "acme-files", QueueURL: queue, Prefix: "uploads/", RangeParts: 400, KMSKeyID: "alias/files"}, ""},
		{"directory, own prefix and range", map[string]string{config.FilesDir: "/tmp/files", config.FilesPrefix: "in/", config.FilesRangeParts: "25"},
			config.Files{Dir: "/tmp/files", Prefix: "in/", RangeParts: 25}, ""},
		{"both", map[string]string{config.FilesBucket: "acme-files", config.FilesDir: "/tmp", config.FilesQueueURL: queue}, config.Files{}, config.FilesDir},
		{"bucket without queue", map[string]string{config.FilesBucket: "acme-files"}, config.Files{}, config.FilesQueueURL},
		{"bad bucket", map[string]string{config.FilesBucket: "Acme_Files", config.FilesQueueURL: queue}, config.Files{}, config.FilesBucket},
		{"bucket of 3 characters", map[string]string{config.FilesBucket: "a.1", config.FilesQueueURL: queue},
			config.Files{Bucket: "a.1", QueueURL: queue, Prefix: "uploads/", RangeParts: 400}, ""},
		{"bucket of 63 characters", map[string]string{config.FilesBucket: strings.Repeat("b", 63), config.FilesQueueURL: queue},
			config.Files{Bucket: strings.Repeat("b", 63), QueueURL: queue, Prefix: "uploads/", RangeParts: 400}, ""},
		{"bucket of 64 characters", map[string]string{config.FilesBucket: strings.Repeat("b", 64), config.FilesQueueURL: queue}, config.Files{}, config.FilesBucket},
		{"bucket of 2 characters", map[string]string{config.FilesBucket: "ab", config.FilesQueueURL: queue}, config.Files{}, config.FilesBucket},
		{"bucket ending in a hyphen", map[string]string{config.FilesBucket: "acme-", config.FilesQueueURL: queue}, config.Files{}, config.FilesBucket},
		{"bucket starting with a dot", map[string]string{config.FilesBucket: ".acme", config.FilesQueueURL: queue}, config.Files{}, config.FilesBucket},
		{"prefix without slash", map[string]string{config.FilesDir: "/tmp", config.FilesPrefix: "uploads"}, config.Files{}, config.FilesPrefix},
		{"prefix from the root", map[string]string{config.FilesDir: "/tmp", config.FilesPrefix: "/uploads/"}, config.Files{}, config.FilesPrefix},
		{"range of no parts", map[string]string{config.FilesDir: "/tmp", config.FilesRangeParts: "0"}, config.Files{}, config.FilesRangeParts},
		{"range not a number", map[string]string{config.FilesDir: "/tmp", config.FilesRangeParts: "1e3"}, config.Files{}, config.FilesRangeParts},
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
			if diff := cmp.Diff(tt.want, got.Files); diff != "" || !got.Files.On() {
				t.Errorf("Files (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLoadScan(t *testing.T) {
	const queue = "https://sqs.us-east-1.amazonaws.com/123456789012/files"
	bucket := map[string]string{config.FilesBucket: "acme-files", config.FilesQueueURL: queue}
	for _, tt := range []struct {
		name    string
		set     map[string]string
		files   bool
		want    config.Scan
		wantErr string // the variable named, "" for none
	}{
		{"off by default", nil, false, config.Scan{Tag: "GuardDutyMalwareScanStatus", CleanValue: "NO_THREATS_FOUND"}, ""},
		{"on with a bucket", map[string]string{config.MalwareScan: "true"}, true,
			config.Scan{On: true, Tag: "GuardDutyMalwareScanStatus", CleanValue: "NO_THREATS_FOUND"}, ""},
		{"another scanner's tag", map[string]string{config.MalwareScan: "true", config.MalwareScanTag: "scan-status", config.MalwareCleanValue: "CLEAN"}, true,
			config.Scan{On: true, Tag: "scan-status", CleanValue: "CLEAN"}, ""},
		{"on without retrieval", map[string]string{config.MalwareScan: "true"}, false, config.Scan{}, config.MalwareScan},
		{"not a boolean", map[string]string{config.MalwareScan: "yes please"}, true, config.Scan{}, config.MalwareScan},
		{"bad tag", map[string]string{config.MalwareScan: "true", config.MalwareScanTag: "a,b"}, true, config.Scan{}, config.MalwareScanTag},
		{"bad value", map[string]string{config.MalwareScan: "true", config.MalwareCleanValue: "clean!"}, true, config.Scan{}, config.MalwareCleanValue},
		{"a tag of letters of any script", map[string]string{config.MalwareScan: "true", config.MalwareScanTag: "prüfung:état/扫描@v1", config.MalwareCleanValue: "Sauber + OK"}, true,
			config.Scan{On: true, Tag: "prüfung:état/扫描@v1", CleanValue: "Sauber + OK"}, ""},
		{"a key of 128 characters", map[string]string{config.MalwareScan: "true", config.MalwareScanTag: strings.Repeat("é", 128)}, true,
			config.Scan{On: true, Tag: strings.Repeat("é", 128), CleanValue: "NO_THREATS_FOUND"}, ""},
		{"a key of 129 characters", map[string]string{config.MalwareScan: "true", config.MalwareScanTag: strings.Repeat("k", 129)}, true, config.Scan{}, config.MalwareScanTag},
		{"a value of 257 characters", map[string]string{config.MalwareScan: "true", config.MalwareCleanValue: strings.Repeat("v", 257)}, true, config.Scan{}, config.MalwareCleanValue},
		{"an empty-looking value is the default", map[string]string{config.MalwareScan: "true", config.MalwareCleanValue: ""}, true,
			config.Scan{On: true, Tag: "GuardDutyMalwareScanStatus", CleanValue: "NO_THREATS_FOUND"}, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m := base()
			if tt.files {
				for k, v := range bucket {
					m[k] = v
				}
			}
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
			if diff := cmp.Diff(tt.want, got.Scan); diff != "" {
				t.Errorf("Scan (-want +got):\n%s", diff)
			}
		})
	}
}
