// Package guardduty reads the verdicts of Amazon GuardDuty Malware
// Protection for S3 from the EventBridge events it publishes ("GuardDuty
// Malware Protection Object Scan Result"; testdata/README.md names AWS's
// pages). It knows the event's format only: what a verdict does is the
// domain's (connector.Retriever.RecordScan).
package guardduty

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// The event's source and detail type, as EventBridge rules match them.
const (
	Source     = "aws.guardduty"
	DetailType = "GuardDuty Malware Protection Object Scan Result"
)

// Scan statuses and result statuses of an S3 object scan.
const (
	StatusCompleted = "COMPLETED"
	NoThreatsFound  = "NO_THREATS_FOUND"
	ThreatsFound    = "THREATS_FOUND"
	Unsupported     = "UNSUPPORTED"
	AccessDenied    = "ACCESS_DENIED"
	Failed          = "FAILED"
)

// ErrOtherEvent means the event is not an S3 object scan result (another
// GuardDuty event, such as a plan's status change). It wraps
// connector.ErrInvalid.
var ErrOtherEvent = fmt.Errorf("%w: not a GuardDuty Malware Protection object scan result", connector.ErrInvalid)

// Verdict is a scan result: the object's bucket and the verdict on it.
type Verdict struct {
	Bucket string
	connector.ScanVerdict
}

// event is the part of the EventBridge event read.
type event struct {
	Source     string `json:"source"`
	DetailType string `json:"detail-type"`
	Detail     struct {
		ScanStatus      string `json:"scanStatus"`
		ResourceType    string `json:"resourceType"`
		S3ObjectDetails struct {
			BucketName string `json:"bucketName"`
			ObjectKey  string `json:"objectKey"`
		} `json:"s3ObjectDetails"`
		ScanResultDetails struct {
			ScanResultStatus string `json:"scanResultStatus"`
		} `json:"scanResultDetails"`
	} `json:"detail"`
}

// Parse reads the verdict of a scan result event. Only a scan COMPLETED
// with NO_THREATS_FOUND is clean; THREATS_FOUND is a threat, UNSUPPORTED
// unsupported, and ACCESS_DENIED, FAILED or any other value failed. It
// returns ErrOtherEvent for an event of another source or type, and
// connector.ErrInvalid for one that is not JSON or names no object.
func Parse(raw []byte) (Verdict, error) {
	var ev event
	if err := json.Unmarshal(raw, &ev); err != nil {
		return Verdict{}, fmt.Errorf("%w: guardduty: event: %w", connector.ErrInvalid, err)
	}
	if ev.Source != Source || ev.DetailType != DetailType {
		return Verdict{}, ErrOtherEvent
	}
	d := ev.Detail
	o := d.S3ObjectDetails
	if o.BucketName == "" || o.ObjectKey == "" {
		return Verdict{}, fmt.Errorf("%w: guardduty: the scan result names no bucket or object", connector.ErrInvalid)
	}
	return Verdict{Bucket: o.BucketName,
		ScanVerdict: connector.ScanVerdict{Key: o.ObjectKey, Scan: verdict(d.ScanStatus, d.ScanResultDetails.ScanResultStatus)}}, nil
}

// verdict maps a scan's status and result to the connector's verdict.
func verdict(status, result string) string {
	switch {
	case result == NoThreatsFound && status == StatusCompleted:
		return connector.ScanClean
	case result == ThreatsFound:
		return connector.ScanThreat
	case result == Unsupported:
		return connector.ScanUnsupported
	default:
		return connector.ScanFailed
	}
}

// IsOther reports whether err means the event is not a scan result.
func IsOther(err error) bool { return errors.Is(err, ErrOtherEvent) }
