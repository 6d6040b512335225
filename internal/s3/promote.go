package s3

import (
	"context"
	"fmt"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// Promote copies the object under staging to final with meta replacing its
// metadata and content type, encrypted as every write is, then deletes
// staging. An object above the copy limit (5 GB) is copied in parts, server
// side. Once staging is gone and final exists, Promote is no error; with
// neither it returns ErrNotFound.
func (s *Store) Promote(ctx context.Context, staging, final string, meta connector.ObjectMeta) error {
	head, err := s.api.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(s.bucket), Key: aws.String(staging)})
	if err = translate("promote: stat staging", err); isNotFound(err) {
		return s.promoted(ctx, final)
	}
	if err != nil {
		return err
	}
	if size := aws.ToInt64(head.ContentLength); size > s.copyLimit {
		err = s.copyParts(ctx, staging, final, size, meta)
	} else {
		err = s.copy(ctx, staging, final, meta)
	}
	if isNotFound(err) {
		// Staging went away since its HeadObject: another Promote of
		// the same file finished first.
		return s.promoted(ctx, final)
	}
	if err != nil {
		return err
	}
	if _, err := s.api.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(s.bucket), Key: aws.String(staging)}); err != nil {
		return translate("promote: delete staging", err)
	}
	return nil
}

// promoted answers a Promote whose staging object is gone: done if final
// exists, ErrNotFound if not. It asks for final's tags, not its head: with
// malware scanning on, the bucket denies s3:GetObject (which HeadObject
// needs) on an object until it is tagged clean, for ever if it is not.
func (s *Store) promoted(ctx context.Context, final string) error {
	_, err := s.api.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: aws.String(s.bucket), Key: aws.String(final)})
	if err = translate("promote: stat final", err); isNotFound(err) {
		return fmt.Errorf("s3: promote: %w: neither the staging nor the final object exists", connector.ErrNotFound)
	}
	return err
}

// copy copies staging to final in one CopyObject.
func (s *Store) copy(ctx context.Context, staging, final string, meta connector.ObjectMeta) error {
	in := &s3.CopyObjectInput{
		Bucket:            aws.String(s.bucket),
		Key:               aws.String(final),
		CopySource:        aws.String(s.copySource(staging)),
		MetadataDirective: types.MetadataDirectiveReplace,
		Metadata:          meta.Metadata,
		ContentType:       contentType(meta),
	}
	in.ServerSideEncryption, in.SSEKMSKeyId, in.BucketKeyEnabled = s.sse()
	_, err := s.api.CopyObject(ctx, in)
	return translate("promote: copy", err)
}

// copyParts copies staging (size bytes) to final as a multipart upload of
// UploadPartCopy ranges, the parts as large as 10,000 of them must be and
// at least s.copyPart. A failed copy is aborted.
func (s *Store) copyParts(ctx context.Context, staging, final string, size int64, meta connector.ObjectMeta) error {
	in := &s3.CreateMultipartUploadInput{
		Bucket:      aws.String(s.bucket),
		Key:         aws.String(final),
		Metadata:    meta.Metadata,
		ContentType: contentType(meta),
	}
	in.ServerSideEncryption, in.SSEKMSKeyId, in.BucketKeyEnabled = s.sse()
	up, err := s.api.CreateMultipartUpload(ctx, in)
	if err != nil {
		return translate("promote: begin copy", err)
	}
	id := aws.ToString(up.UploadId)
	parts, err := s.copyRanges(ctx, staging, final, id, size)
	if err == nil {
		_, err = s.api.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{
			Bucket: aws.String(s.bucket), Key: aws.String(final), UploadId: aws.String(id),
			MultipartUpload: &types.CompletedMultipartUpload{Parts: parts},
		})
		err = translate("promote: finish copy", err)
	}
	if err != nil {
		// The parts of an unfinished copy cost storage until aborted;
		// abort even when the caller's context is done.
		_ = s.Abort(context.WithoutCancel(ctx), final, id)
	}
	return err
}

// copyRanges copies staging in parts into upload id of final.
func (s *Store) copyRanges(ctx context.Context, staging, final, id string, size int64) ([]types.CompletedPart, error) {
	part := max(s.copyPart, (size+maxParts-1)/maxParts)
	var parts []types.CompletedPart
	for n, off := int32(1), int64(0); off < size; n, off = n+1, off+part {
		end := min(off+part, size) - 1
		out, err := s.api.UploadPartCopy(ctx, &s3.UploadPartCopyInput{
			Bucket:          aws.String(s.bucket),
			Key:             aws.String(final),
			UploadId:        aws.String(id),
			PartNumber:      aws.Int32(n),
			CopySource:      aws.String(s.copySource(staging)),
			CopySourceRange: aws.String("bytes=" + strconv.FormatInt(off, 10) + "-" + strconv.FormatInt(end, 10)),
		})
		if err != nil {
			return nil, translate("promote: copy part", err)
		}
		parts = append(parts, types.CompletedPart{PartNumber: aws.Int32(n), ETag: out.CopyPartResult.ETag})
	}
	return parts, nil
}

// contentType is meta's content type for the SDK: nil when unset, so that
// S3 applies its default.
func contentType(meta connector.ObjectMeta) *string {
	if meta.ContentType == "" {
		return nil
	}
	return aws.String(meta.ContentType)
}
