package s3_test

import (
	"bytes"
	"context"
	"io"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/google/go-cmp/cmp"

	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/connector/objectstoretest"
	"github.com/sendsafely/chatbot-connector/internal/motoserver"
	"github.com/sendsafely/chatbot-connector/internal/s3"
)

const bucket = "files"

// onMoto starts moto_server with the bucket and returns its configuration
// and a raw S3 client to look at what the Store wrote.
func onMoto(t *testing.T) (aws.Config, *awss3.Client) {
	t.Helper()
	srv := motoserver.Start(t)
	cfg := srv.Config(t)
	raw := awss3.NewFromConfig(cfg, func(o *awss3.Options) { o.UsePathStyle = true })
	if _, err := raw.CreateBucket(t.Context(), &awss3.CreateBucketInput{Bucket: aws.String(bucket)}); err != nil {
		t.Fatalf("CreateBucket: %v", err)
	}
	return cfg, raw
}

// TestContractOnMoto holds the Store to the contract every object store
// runs, on a real S3 API (moto_server) through the real SDK client built
// as the wiring builds it.
func TestContractOnMoto(t *testing.T) {
	cfg, _ := onMoto(t)
	objectstoretest.Contract(t, s3.NewFromConfig(cfg, bucket), motoGaps)
}

// motoGaps are the contract's cases moto_server fails where S3 does not.
var motoGaps = objectstoretest.Gaps{
	objectstoretest.UnknownWrites: "moto_server answers UploadPart and CompleteMultipartUpload of an unknown upload " +
		"with a 500 (a KeyError) where S3 answers 404 NoSuchUpload; TestErrorsOnTheWire holds the Store to S3's answer",
}

// TestContractWithMultipartCopy runs the contract with a copy limit low
// enough that every Promote of more than 6 MiB copies in parts, and checks
// one such copy.
func TestContractWithMultipartCopy(t *testing.T) {
	cfg, raw := onMoto(t)
	st := s3.NewFromConfig(cfg, bucket, s3.WithCopyLimit(6<<20, objectstoretest.MinPart))
	objectstoretest.Contract(t, st, motoGaps)

	body := bytes.Repeat([]byte("0123456789abcdef"), (11<<20)/16+3)
	put(t, st, "big/.staging/file", body)
	meta := connector.ObjectMeta{ContentType: "application/zip", Metadata: map[string]string{"file-id": "f-9"}}
	if err := st.Promote(t.Context(), "big/.staging/file", "big/file", meta); err != nil {
		t.Fatalf("Promote: %v", err)
	}
	head := headObject(t, raw, "big/file")
	if got := aws.ToString(head.ETag); !strings.HasSuffix(got, `-3"`) {
		t.Errorf("ETag of the copy: got %s, want that of 3 parts", got)
	}
	got, _, err := st.Open(t.Context(), "big/file", 0)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer got.Close()
	b, _ := io.ReadAll(got)
	if !bytes.Equal(b, body) {
		t.Errorf("content after a multipart copy: got %d bytes, want %d", len(b), len(body))
	}
	if diff := cmp.Diff(meta.Metadata, head.Metadata); diff != "" {
		t.Errorf("metadata after a multipart copy (-want +got):\n%s", diff)
	}
}

// TestSSEKMS checks that every write asks for SSE-KMS under the configured
// key with the bucket key on (the staging object's multipart upload, the
// promotion's copy, and a promotion copied in parts), and that moto stores
// the objects so encrypted. moto keeps the bucket key setting of a
// CopyObject only, so the requests are checked for it.
func TestSSEKMS(t *testing.T) {
	cfg, raw := onMoto(t)
	key, err := kms.NewFromConfig(cfg).CreateKey(t.Context(), &kms.CreateKeyInput{})
	if err != nil {
		t.Fatalf("CreateKey: %v", err)
	}
	keyID := aws.ToString(key.KeyMetadata.Arn)
	sent := recordSSE(&cfg)
	st := s3.NewFromConfig(cfg, bucket, s3.WithKMSKey(keyID), s3.WithCopyLimit(6<<20, objectstoretest.MinPart))
	put(t, st, "sse/.staging/small", []byte("small"))
	put(t, st, "sse/.staging/large", bytes.Repeat([]byte{7}, 7<<20))
	for _, k := range []string{"small", "large"} {
		if err := st.Promote(t.Context(), "sse/.staging/"+k, "sse/"+k, connector.ObjectMeta{ContentType: "text/plain"}); err != nil {
			t.Fatalf("Promote %s: %v", k, err)
		}
		head := headObject(t, raw, "sse/"+k)
		if got := []any{head.ServerSideEncryption, aws.ToString(head.SSEKMSKeyId)}; !cmp.Equal(got, []any{types.ServerSideEncryptionAwsKms, keyID}) {
			t.Errorf("encryption of sse/%s: got %v, want aws:kms with %s", k, got, keyID)
		}
	}
	want := map[string][]string{
		// Two puts, and the copy in parts of the large one.
		"CreateMultipartUpload": {"aws:kms " + keyID + " true", "aws:kms " + keyID + " true", "aws:kms " + keyID + " true"},
		"CopyObject":            {"aws:kms " + keyID + " true"},
	}
	if diff := cmp.Diff(want, sent.writes()); diff != "" {
		t.Errorf("encryption asked for (-want +got):\n%s", diff)
	}
	head := headObject(t, raw, "sse/small")
	if !aws.ToBool(head.BucketKeyEnabled) {
		t.Error("sse/small, promoted by CopyObject: bucket key off")
	}
}

// sseRecorder records the encryption headers of the writes a client sends.
type sseRecorder struct {
	mu   sync.Mutex
	seen map[string][]string
}

// recordSSE makes the clients built from cfg report their writes'
// encryption headers to the recorder it returns.
func recordSSE(cfg *aws.Config) *sseRecorder {
	r := &sseRecorder{seen: map[string][]string{}}
	cfg.APIOptions = append(cfg.APIOptions, func(st *middleware.Stack) error {
		return st.Finalize.Add(middleware.FinalizeMiddlewareFunc("recordSSE", func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
			if req, ok := in.Request.(*smithyhttp.Request); ok {
				h := req.Header
				r.mu.Lock()
				op := middleware.GetOperationName(ctx)
				r.seen[op] = append(r.seen[op], h.Get("X-Amz-Server-Side-Encryption")+" "+
					h.Get("X-Amz-Server-Side-Encryption-Aws-Kms-Key-Id")+" "+h.Get("X-Amz-Server-Side-Encryption-Bucket-Key-Enabled"))
				r.mu.Unlock()
			}
			return next.HandleFinalize(ctx, in)
		}), middleware.After)
	})
	return r
}

// writes returns what was recorded of the operations that write objects.
func (r *sseRecorder) writes() map[string][]string {
	r.mu.Lock()
	defer r.mu.Unlock()
	w := map[string][]string{}
	for _, op := range []string{"CreateMultipartUpload", "CopyObject", "PutObject"} {
		if v, ok := r.seen[op]; ok {
			w[op] = v
		}
	}
	return w
}

func put(t *testing.T, st *s3.Store, key string, body []byte) {
	t.Helper()
	id, err := st.Begin(t.Context(), key)
	if err != nil {
		t.Fatalf("Begin: %v", err)
	}
	var parts []connector.ObjectPart
	for n := 1; len(body) > 0 || n == 1; n++ {
		chunk := body[:min(len(body), objectstoretest.MinPart)]
		body = body[len(chunk):]
		p, err := st.WritePart(t.Context(), key, id, n, bytes.NewReader(chunk), int64(len(chunk)))
		if err != nil {
			t.Fatalf("WritePart %d: %v", n, err)
		}
		parts = append(parts, p)
	}
	if err := st.Finish(t.Context(), key, id, parts); err != nil {
		t.Fatalf("Finish: %v", err)
	}
}

func headObject(t *testing.T, raw *awss3.Client, key string) *awss3.HeadObjectOutput {
	t.Helper()
	head, err := raw.HeadObject(t.Context(), &awss3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		t.Fatalf("HeadObject %s: %v", key, err)
	}
	return head
}
