package s3

import (
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// NewFromConfig returns a Store on bucket with an S3 client made from cfg,
// for the wiring. Making it costs no network call and no file read.
//
// The client's HTTP attempts have no timeout of their own, whatever cfg
// sets: a part streams its body as the caller produces it (decrypted parts
// as they arrive), which no fixed attempt bound fits; the caller's context
// bounds them. An endpoint of its own (AWS_ENDPOINT_URL, an emulator) is
// addressed path-style (http://host/bucket/key), as emulators require; a
// plain-http one is sent payloads unsigned and without checksums, since the
// SDK streams a body it cannot rewind only over TLS (with a trailing
// checksum, as it does on AWS).
func NewFromConfig(cfg aws.Config, bucket string, opts ...Option) *Store {
	cfg.HTTPClient = awshttp.NewBuildableClient()
	client := s3.NewFromConfig(cfg, func(o *s3.Options) {
		// A ranged GET has no checksum to validate; the SDK would say so
		// in a plain-text line on stderr for every Open at an offset.
		o.DisableLogOutputChecksumValidationSkipped = true
		ep := aws.ToString(o.BaseEndpoint)
		if ep == "" {
			return
		}
		o.UsePathStyle = true
		if strings.HasPrefix(strings.ToLower(ep), "http://") {
			o.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenRequired
			o.APIOptions = append(o.APIOptions, v4.SwapComputePayloadSHA256ForUnsignedPayloadMiddleware)
		}
	})
	return New(client, s3.NewPresignClient(client), bucket, opts...)
}
