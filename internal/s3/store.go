// Package s3 keeps retrieved files in one S3 bucket: a connector.ObjectStore
// on the S3 API, written through multipart uploads, encrypted with SSE-KMS
// (a key of ours, or the bucket's default) with the bucket key on.
package s3

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// API is the part of the S3 client that Store calls. *s3.Client
// implements it.
type API interface {
	CreateMultipartUpload(ctx context.Context, in *s3.CreateMultipartUploadInput, optFns ...func(*s3.Options)) (*s3.CreateMultipartUploadOutput, error)
	UploadPart(ctx context.Context, in *s3.UploadPartInput, optFns ...func(*s3.Options)) (*s3.UploadPartOutput, error)
	UploadPartCopy(ctx context.Context, in *s3.UploadPartCopyInput, optFns ...func(*s3.Options)) (*s3.UploadPartCopyOutput, error)
	CompleteMultipartUpload(ctx context.Context, in *s3.CompleteMultipartUploadInput, optFns ...func(*s3.Options)) (*s3.CompleteMultipartUploadOutput, error)
	AbortMultipartUpload(ctx context.Context, in *s3.AbortMultipartUploadInput, optFns ...func(*s3.Options)) (*s3.AbortMultipartUploadOutput, error)
	CopyObject(ctx context.Context, in *s3.CopyObjectInput, optFns ...func(*s3.Options)) (*s3.CopyObjectOutput, error)
	HeadObject(ctx context.Context, in *s3.HeadObjectInput, optFns ...func(*s3.Options)) (*s3.HeadObjectOutput, error)
	GetObject(ctx context.Context, in *s3.GetObjectInput, optFns ...func(*s3.Options)) (*s3.GetObjectOutput, error)
	GetObjectTagging(ctx context.Context, in *s3.GetObjectTaggingInput, optFns ...func(*s3.Options)) (*s3.GetObjectTaggingOutput, error)
	DeleteObject(ctx context.Context, in *s3.DeleteObjectInput, optFns ...func(*s3.Options)) (*s3.DeleteObjectOutput, error)
}

// PresignAPI is the part of the S3 presign client that Store calls.
// *s3.PresignClient implements it.
type PresignAPI interface {
	PresignGetObject(ctx context.Context, in *s3.GetObjectInput, optFns ...func(*s3.PresignOptions)) (*v4.PresignedHTTPRequest, error)
}

// Store is a connector.ObjectStore on one S3 bucket.
type Store struct {
	api     API
	presign PresignAPI
	bucket  string
	kmsKey  string
	// copyLimit is the largest object Promote copies in one CopyObject;
	// a larger one is copied in parts of copyPart bytes.
	copyLimit, copyPart int64
}

var _ connector.ObjectStore = (*Store)(nil)

// S3's limits: one CopyObject copies at most 5 GB; a multipart upload has
// at most 10,000 parts of at most 5 GiB each.
const (
	maxCopy     = 5_000_000_000
	maxParts    = 10_000
	minCopyPart = 512 << 20
	maxPresign  = 7 * 24 * time.Hour
)

// Option configures a Store.
type Option func(*Store)

// WithKMSKey encrypts every object the Store writes with SSE-KMS under
// keyID (a key id, ARN or alias) with the bucket key on. Without it,
// objects get the bucket's default encryption.
func WithKMSKey(keyID string) Option { return func(s *Store) { s.kmsKey = keyID } }

// WithCopyLimit makes Promote copy objects larger than limit bytes in parts
// of part bytes (S3's own limit, 5 GB, is the default; parts grow beyond
// part as 10,000 parts require). Tests lower it to reach the multipart copy
// with small objects.
func WithCopyLimit(limit, part int64) Option {
	return func(s *Store) { s.copyLimit, s.copyPart = limit, part }
}

// New returns a Store on bucket, reached through api and presigning
// through presign.
func New(api API, presign PresignAPI, bucket string, opts ...Option) *Store {
	s := &Store{api: api, presign: presign, bucket: bucket, copyLimit: maxCopy, copyPart: minCopyPart}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Location names key as s3://bucket/key.
func (s *Store) Location(key string) string { return "s3://" + s.bucket + "/" + key }

// Begin starts a multipart upload of key, encrypted as the Store's
// options say, and returns its upload id.
func (s *Store) Begin(ctx context.Context, key string) (string, error) {
	in := &s3.CreateMultipartUploadInput{Bucket: aws.String(s.bucket), Key: aws.String(key)}
	in.ServerSideEncryption, in.SSEKMSKeyId, in.BucketKeyEnabled = s.sse()
	out, err := s.api.CreateMultipartUpload(ctx, in)
	if err != nil {
		return "", translate("begin write", err)
	}
	return aws.ToString(out.UploadId), nil
}

// WritePart uploads part n of upload writeID from r, which holds exactly
// size bytes. It returns ErrNotFound if the upload is unknown.
func (s *Store) WritePart(ctx context.Context, key, writeID string, n int, r io.Reader, size int64) (connector.ObjectPart, error) {
	if n < 1 || n > maxParts {
		return connector.ObjectPart{}, fmt.Errorf("s3: write part: %w: part number %d outside 1 to %d", connector.ErrInvalid, n, maxParts)
	}
	out, err := s.api.UploadPart(ctx, &s3.UploadPartInput{
		Bucket:        aws.String(s.bucket),
		Key:           aws.String(key),
		UploadId:      aws.String(writeID),
		PartNumber:    aws.Int32(int32(n)),
		Body:          r,
		ContentLength: aws.Int64(size),
	})
	if err != nil {
		return connector.ObjectPart{}, translate("write part", err)
	}
	return connector.ObjectPart{Number: n, ETag: aws.ToString(out.ETag), Size: size}, nil
}

// Finish completes upload writeID from parts. It returns ErrNotFound if
// the upload is unknown and ErrInvalid if S3 refuses the parts (a part
// but the last under 5 MiB, one not written, or out of order).
func (s *Store) Finish(ctx context.Context, key, writeID string, parts []connector.ObjectPart) error {
	done := make([]types.CompletedPart, len(parts))
	for i, p := range parts {
		done[i] = types.CompletedPart{PartNumber: aws.Int32(int32(p.Number)), ETag: aws.String(p.ETag)}
	}
	_, err := s.api.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{
		Bucket:          aws.String(s.bucket),
		Key:             aws.String(key),
		UploadId:        aws.String(writeID),
		MultipartUpload: &types.CompletedMultipartUpload{Parts: done},
	})
	if err != nil {
		return translate("finish write", err)
	}
	return nil
}

// Abort discards upload writeID and its parts; an unknown upload is no
// error.
func (s *Store) Abort(ctx context.Context, key, writeID string) error {
	_, err := s.api.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{
		Bucket: aws.String(s.bucket), Key: aws.String(key), UploadId: aws.String(writeID),
	})
	if err = translate("abort write", err); err != nil && !isNotFound(err) {
		return err
	}
	return nil
}

// Delete removes the object under key; a missing object is no error.
func (s *Store) Delete(ctx context.Context, key string) error {
	_, err := s.api.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(s.bucket), Key: aws.String(key)})
	if err = translate("delete object", err); err != nil && !isNotFound(err) {
		return err
	}
	return nil
}

// Presign returns a URL that reads the object under key with a plain GET
// for ttl; S3 takes 1 second to 7 days, and ErrInvalid answers another
// ttl. The URL is a bearer credential: it never reaches a log line.
func (s *Store) Presign(ctx context.Context, key string, ttl time.Duration) (string, error) {
	if ttl < time.Second || ttl > maxPresign {
		return "", fmt.Errorf("s3: presign: %w: validity %v outside 1s to 7 days", connector.ErrInvalid, ttl)
	}
	req, err := s.presign.PresignGetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(s.bucket), Key: aws.String(key)},
		s3.WithPresignExpires(ttl))
	if err != nil {
		return "", translate("presign", err)
	}
	return req.URL, nil
}

// sse returns the encryption fields of every write: SSE-KMS under the
// Store's key with the bucket key on, or none, so that the bucket's default
// encryption (and its own bucket key setting) applies: S3 takes the bucket
// key header only beside SSE-KMS.
func (s *Store) sse() (types.ServerSideEncryption, *string, *bool) {
	if s.kmsKey == "" {
		return "", nil, nil
	}
	return types.ServerSideEncryptionAwsKms, aws.String(s.kmsKey), aws.Bool(true)
}

// copySource is the CopySource of key: bucket/key, URL-encoded segment by
// segment.
func (s *Store) copySource(key string) string {
	segs := strings.Split(key, "/")
	for i, seg := range segs {
		segs[i] = url.PathEscape(seg)
	}
	return s.bucket + "/" + strings.Join(segs, "/")
}
