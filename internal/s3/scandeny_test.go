package s3_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"

	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/s3"
)

// scanDenied is moto's S3 behind the bucket policy of malware scanning:
// s3:GetObject, which HeadObject and GetObject need, is denied on the
// objects of uploads/ (none is tagged clean here); tags stay readable.
type scanDenied struct{ *awss3.Client }

var errDenied = &smithy.GenericAPIError{Code: "AccessDenied", Message: "Access Denied"}

func (c scanDenied) HeadObject(ctx context.Context, in *awss3.HeadObjectInput, opts ...func(*awss3.Options)) (*awss3.HeadObjectOutput, error) {
	if strings.HasPrefix(*in.Key, "uploads/") {
		return nil, errDenied
	}
	return c.Client.HeadObject(ctx, in, opts...)
}

func (c scanDenied) GetObject(ctx context.Context, in *awss3.GetObjectInput, opts ...func(*awss3.Options)) (*awss3.GetObjectOutput, error) {
	if strings.HasPrefix(*in.Key, "uploads/") {
		return nil, errDenied
	}
	return c.Client.GetObject(ctx, in, opts...)
}

// TestPromoteAgainUnderTheScanDeny: a Promote redelivered after its
// staging object is gone is done, even while the final object may not be
// read (scan pending, or a threat for ever); a Promote of nothing is
// still ErrNotFound.
func TestPromoteAgainUnderTheScanDeny(t *testing.T) {
	_, raw := onMoto(t)
	st := s3.New(scanDenied{raw}, awss3.NewPresignClient(raw), bucket)
	put(t, st, "uploads.staging/c/p/f", []byte("scanned later"))
	meta := connector.ObjectMeta{ContentType: "text/plain", Metadata: map[string]string{"file-id": "f"}}
	if err := st.Promote(t.Context(), "uploads.staging/c/p/f", "uploads/c/p/f", meta); err != nil {
		t.Fatalf("Promote: %v", err)
	}
	if err := st.Promote(t.Context(), "uploads.staging/c/p/f", "uploads/c/p/f", meta); err != nil {
		t.Errorf("Promote again, staging gone, final unreadable: %v, want done", err)
	}
	if err := st.Promote(t.Context(), "uploads.staging/c/p/none", "uploads/c/p/none", meta); !errors.Is(err, connector.ErrNotFound) {
		t.Errorf("Promote of nothing: %v, want ErrNotFound", err)
	}
}

// TestTagsUnderTheScanDeny: an object's tags are read while the object
// may not be (a scanner's verdict is read so); an object without tags has
// none, and one that is not there is ErrNotFound.
func TestTagsUnderTheScanDeny(t *testing.T) {
	_, raw := onMoto(t)
	st := s3.New(scanDenied{raw}, awss3.NewPresignClient(raw), bucket)
	ctx := t.Context()
	put(t, st, "uploads.staging/c/p/f", []byte("scanned"))
	if err := st.Promote(ctx, "uploads.staging/c/p/f", "uploads/c/p/f", connector.ObjectMeta{ContentType: "text/plain"}); err != nil {
		t.Fatalf("Promote: %v", err)
	}
	if _, err := st.Stat(ctx, "uploads/c/p/f"); err == nil {
		t.Fatal("Stat read the object under the deny: the test's deny is not in place")
	}
	if tags, err := st.Tags(ctx, "uploads/c/p/f"); err != nil || len(tags) != 0 {
		t.Errorf("Tags before the scanner's: %v, %v; want none", tags, err)
	}
	if _, err := raw.PutObjectTagging(ctx, &awss3.PutObjectTaggingInput{Bucket: aws.String(bucket), Key: aws.String("uploads/c/p/f"),
		Tagging: &s3types.Tagging{TagSet: []s3types.Tag{{Key: aws.String("scan-status"), Value: aws.String("INFECTED")}}}}); err != nil {
		t.Fatal(err)
	}
	if tags, err := st.Tags(ctx, "uploads/c/p/f"); err != nil || tags["scan-status"] != "INFECTED" || len(tags) != 1 {
		t.Errorf("Tags: %v, %v; want scan-status=INFECTED alone", tags, err)
	}
	if _, err := st.Tags(ctx, "uploads/c/p/none"); !errors.Is(err, connector.ErrNotFound) {
		t.Errorf("Tags of nothing: %v, want ErrNotFound", err)
	}
}
