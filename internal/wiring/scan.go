package wiring

import (
	"context"
	"errors"
	"fmt"

	"github.com/sendsafely/chatbot-connector/internal/config"
	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/guardduty"
	"github.com/sendsafely/chatbot-connector/internal/lambdaentry"
	"github.com/sendsafely/chatbot-connector/internal/s3events"
)

// tagReader reads an object's tags without reading the object (the S3
// store's Tags).
type tagReader interface {
	Tags(ctx context.Context, key string) (map[string]string, error)
}

// scanParser reads the verdicts of the entry's scan events. GuardDuty
// Malware Protection's scan results are read always. With another
// scanner's tag (MALWARE_SCAN_TAG other than GuardDuty's own, and tags,
// the store of bucket, to read it), S3's "Object Tags Added" events of
// bucket are read too: the event names the object only, so its tags are
// read, and TagScan gives the verdict (MALWARE_CLEAN_VALUE is clean, any
// other value a threat). An object without that tag (another tag
// changed) or gone is no verdict. The key is tried decoded first, then as
// the event wrote it (s3events.Object.Keys).
func scanParser(cfg config.Scan, bucket string, tags tagReader) lambdaentry.ScanParser {
	tagged := tags != nil && cfg.Tag != config.DefaultMalwareScanTag
	return func(ctx context.Context, raw []byte) (string, connector.ScanVerdict, error) {
		v, err := guardduty.Parse(raw)
		if !tagged || !guardduty.IsOther(err) {
			return v.Bucket, v.ScanVerdict, err
		}
		o, err := s3events.ParseTagsAdded(raw)
		if err != nil {
			return "", connector.ScanVerdict{}, err
		}
		if o.Bucket != bucket {
			return o.Bucket, connector.ScanVerdict{}, nil // the entry ignores it
		}
		for _, key := range o.Keys() {
			t, err := tags.Tags(ctx, key)
			if errors.Is(err, connector.ErrNotFound) {
				continue
			}
			if err != nil {
				return o.Bucket, connector.ScanVerdict{}, fmt.Errorf("scan: read the object's tags: %w", err)
			}
			scan, ok := connector.TagScan(t, cfg.Tag, cfg.CleanValue)
			if !ok {
				return o.Bucket, connector.ScanVerdict{}, fmt.Errorf("%w: the object has no tag %s (another tag changed)", connector.ErrInvalid, cfg.Tag)
			}
			return o.Bucket, connector.ScanVerdict{Key: key, Scan: scan}, nil
		}
		return o.Bucket, connector.ScanVerdict{}, fmt.Errorf("%w: no such object", connector.ErrInvalid)
	}
}
