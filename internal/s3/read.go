package s3

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// Stat describes the object under key, its tags included (a second
// request). It returns ErrNotFound if there is none.
func (s *Store) Stat(ctx context.Context, key string) (connector.ObjectInfo, error) {
	head, err := s.api.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(s.bucket), Key: aws.String(key)})
	if err != nil {
		return connector.ObjectInfo{}, translate("stat object", err)
	}
	tagging, err := s.api.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: aws.String(s.bucket), Key: aws.String(key)})
	if err != nil {
		return connector.ObjectInfo{}, translate("stat object tags", err)
	}
	info := connector.ObjectInfo{
		Key:        key,
		Size:       aws.ToInt64(head.ContentLength),
		ObjectMeta: connector.ObjectMeta{ContentType: aws.ToString(head.ContentType), Metadata: head.Metadata},
	}
	if len(tagging.TagSet) > 0 {
		info.Tags = make(map[string]string, len(tagging.TagSet))
		for _, t := range tagging.TagSet {
			info.Tags[aws.ToString(t.Key)] = aws.ToString(t.Value)
		}
	}
	return info, nil
}

// Open returns the object's content from byte offset off on, streamed
// from S3, and its description without tags. An offset at or past the
// end gives empty content. It returns ErrNotFound if there is no object.
func (s *Store) Open(ctx context.Context, key string, off int64) (io.ReadCloser, connector.ObjectInfo, error) {
	if off < 0 {
		return nil, connector.ObjectInfo{}, fmt.Errorf("s3: open object: %w: negative offset %d", connector.ErrInvalid, off)
	}
	in := &s3.GetObjectInput{Bucket: aws.String(s.bucket), Key: aws.String(key)}
	if off > 0 {
		in.Range = aws.String("bytes=" + strconv.FormatInt(off, 10) + "-")
	}
	out, err := s.api.GetObject(ctx, in)
	if isInvalidRange(err) {
		return s.openEnd(ctx, key)
	}
	if err != nil {
		return nil, connector.ObjectInfo{}, translate("open object", err)
	}
	size := aws.ToInt64(out.ContentLength)
	if total, ok := rangeTotal(aws.ToString(out.ContentRange)); ok {
		size = total
	}
	return out.Body, connector.ObjectInfo{
		Key:        key,
		Size:       size,
		ObjectMeta: connector.ObjectMeta{ContentType: aws.ToString(out.ContentType), Metadata: out.Metadata},
	}, nil
}

// openEnd answers an Open whose offset S3 refused as past the end: the
// object is there (S3 checks the key first), its content from there on is
// empty.
func (s *Store) openEnd(ctx context.Context, key string) (io.ReadCloser, connector.ObjectInfo, error) {
	head, err := s.api.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(s.bucket), Key: aws.String(key)})
	if err != nil {
		return nil, connector.ObjectInfo{}, translate("open object", err)
	}
	return io.NopCloser(strings.NewReader("")), connector.ObjectInfo{
		Key:        key,
		Size:       aws.ToInt64(head.ContentLength),
		ObjectMeta: connector.ObjectMeta{ContentType: aws.ToString(head.ContentType), Metadata: head.Metadata},
	}, nil
}

// isInvalidRange reports whether S3 refused a range as past the object's
// end (416).
func isInvalidRange(err error) bool {
	var api smithy.APIError
	return errors.As(err, &api) && api.ErrorCode() == "InvalidRange"
}

// rangeTotal returns the complete length of a Content-Range such as
// "bytes 5-99/100".
func rangeTotal(cr string) (int64, bool) {
	_, total, ok := strings.Cut(cr, "/")
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(total, 10, 64)
	return n, err == nil
}
