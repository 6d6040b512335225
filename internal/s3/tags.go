package s3

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// Tags returns the tags of the object under key, with one
// GetObjectTagging: unlike Stat it needs no s3:GetObject, which the
// bucket policy of the malware scan denies on an object not tagged clean.
// It returns ErrNotFound if there is no object.
func (s *Store) Tags(ctx context.Context, key string) (map[string]string, error) {
	out, err := s.api.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: aws.String(s.bucket), Key: aws.String(key)})
	if err != nil {
		return nil, translate("object tags", err)
	}
	tags := make(map[string]string, len(out.TagSet))
	for _, t := range out.TagSet {
		tags[aws.ToString(t.Key)] = aws.ToString(t.Value)
	}
	return tags, nil
}
