package wiring

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"testing"

	"github.com/sendsafely/chatbot-connector/internal/config"
	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// fakeTags are objects' tags by key; err, when set, is every answer.
type fakeTags struct {
	objects map[string]map[string]string
	err     error
	asked   []string
}

func (f *fakeTags) Tags(_ context.Context, key string) (map[string]string, error) {
	f.asked = append(f.asked, key)
	if f.err != nil {
		return nil, f.err
	}
	t, ok := f.objects[key]
	if !ok {
		return nil, fmt.Errorf("fake: %w", connector.ErrNotFound)
	}
	return t, nil
}

// sampleEvent is the documented sample event at path with bucket and key
// set where edit puts them.
func sampleEvent(t *testing.T, path string, edit func(d map[string]any)) []byte {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var ev map[string]any
	if err := json.Unmarshal(raw, &ev); err != nil {
		t.Fatal(err)
	}
	edit(ev["detail"].(map[string]any))
	out, _ := json.Marshal(ev)
	return out
}

func tagsAdded(t *testing.T, bucket, key string) []byte {
	return sampleEvent(t, "../s3events/testdata/object-tags-added.json", func(d map[string]any) {
		d["bucket"].(map[string]any)["name"], d["object"].(map[string]any)["key"] = bucket, key
	})
}

func TestScanParser(t *testing.T) {
	const bucket = "customer-files"
	clamscan := config.Scan{On: true, Tag: "scan-status", CleanValue: "CLEAN"}
	guardDuty := config.Scan{On: true, Tag: config.DefaultMalwareScanTag, CleanValue: config.DefaultMalwareCleanValue}
	objects := map[string]map[string]string{
		"uploads/c/P/a.txt":         {"scan-status": "CLEAN"},
		"uploads/c/P/my file.txt":   {"scan-status": "INFECTED", "owner": "x"},
		"uploads/c/P/caf%C3%A9.txt": {"scan-status": "CLEAN"},
		"uploads/c/P/other.txt":     {"owner": "x"},
		"uploads/c/P/gd.txt":        {config.DefaultMalwareScanTag: "NO_THREATS_FOUND"},
	}
	for _, tt := range []struct {
		name    string
		cfg     config.Scan
		raw     []byte
		err     error // of the tag reader
		want    connector.ScanVerdict
		bucket  string
		invalid bool // the entry ignores it
		failed  bool // the entry has it delivered again
		asked   []string
	}{
		{name: "clean", cfg: clamscan, raw: tagsAdded(t, bucket, "uploads/c/P/a.txt"), bucket: bucket,
			want: connector.ScanVerdict{Key: "uploads/c/P/a.txt", Scan: connector.ScanClean}, asked: []string{"uploads/c/P/a.txt"}},
		{name: "infected, the key encoded", cfg: clamscan, raw: tagsAdded(t, bucket, "uploads/c/P/my+file.txt"), bucket: bucket,
			want: connector.ScanVerdict{Key: "uploads/c/P/my file.txt", Scan: connector.ScanThreat}, asked: []string{"uploads/c/P/my file.txt"}},
		{name: "a percent sequence of the key, not encoded", cfg: clamscan, raw: tagsAdded(t, bucket, "uploads/c/P/caf%C3%A9.txt"), bucket: bucket,
			want:  connector.ScanVerdict{Key: "uploads/c/P/caf%C3%A9.txt", Scan: connector.ScanClean},
			asked: []string{"uploads/c/P/café.txt", "uploads/c/P/caf%C3%A9.txt"}},
		{name: "another tag changed", cfg: clamscan, raw: tagsAdded(t, bucket, "uploads/c/P/other.txt"), bucket: bucket, invalid: true,
			asked: []string{"uploads/c/P/other.txt"}},
		{name: "no such object", cfg: clamscan, raw: tagsAdded(t, bucket, "uploads/c/P/gone.txt"), bucket: bucket, invalid: true,
			asked: []string{"uploads/c/P/gone.txt"}},
		{name: "another bucket: its tags not read", cfg: clamscan, raw: tagsAdded(t, "elsewhere", "uploads/c/P/a.txt"), bucket: "elsewhere"},
		{name: "S3 unavailable", cfg: clamscan, raw: tagsAdded(t, bucket, "uploads/c/P/a.txt"), bucket: bucket,
			err: fmt.Errorf("s3: %w", connector.ErrUnavailable), failed: true, asked: []string{"uploads/c/P/a.txt"}},
		{name: "GuardDuty's tag: tag events are no verdict", cfg: guardDuty, raw: tagsAdded(t, bucket, "uploads/c/P/gd.txt"), invalid: true},
		{name: "GuardDuty's result with another scanner's tag", cfg: clamscan, bucket: bucket,
			raw: sampleEvent(t, "../guardduty/testdata/scan-result.json", func(d map[string]any) {
				d["s3ObjectDetails"].(map[string]any)["bucketName"] = bucket
				d["s3ObjectDetails"].(map[string]any)["objectKey"] = "uploads/c/P/a.txt"
			}),
			want: connector.ScanVerdict{Key: "uploads/c/P/a.txt", Scan: connector.ScanClean}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tags := &fakeTags{objects: objects, err: tt.err}
			got, v, err := scanParser(tt.cfg, bucket, tags)(context.Background(), tt.raw)
			if errors.Is(err, connector.ErrInvalid) != tt.invalid || (err != nil && !tt.invalid) != tt.failed {
				t.Fatalf("err %v, want invalid %v, failed %v", err, tt.invalid, tt.failed)
			}
			if got != tt.bucket || v != tt.want {
				t.Errorf("got %q %+v, want %q %+v", got, v, tt.bucket, tt.want)
			}
			if !slices.Equal(tags.asked, tt.asked) {
				t.Errorf("tags read of %q, want %q", tags.asked, tt.asked)
			}
		})
	}
}
