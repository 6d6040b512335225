package wiring

import (
	"fmt"
	"log/slog"

	"github.com/aws/aws-sdk-go-v2/aws"
	awssqs "github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/sendsafely/chatbot-connector/internal/callback"
	"github.com/sendsafely/chatbot-connector/internal/config"
	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/lambdaentry"
	"github.com/sendsafely/chatbot-connector/internal/s3"
	"github.com/sendsafely/chatbot-connector/internal/sqsdelivery"
	"github.com/sendsafely/chatbot-connector/internal/sqsfiles"
)

// Files are the parts of retrieval; all nil when it is off.
type Files struct {
	// Source reads files from SendSafely.
	Source connector.FileSource
	// Objects keeps the retrieved files.
	Objects connector.ObjectStore
	// Queue sends jobs to the files queue.
	Queue connector.FileQueue
	// Visibility reschedules the files queue's messages, at QueueURL.
	Visibility sqsfiles.VisibilityAPI
	QueueURL   string
	// Callback posts ready files to FILE_CALLBACK_URL; nil when the file
	// callback is off. CallbackMaxSize is FILE_CALLBACK_MAX_SIZE.
	Callback        connector.FileCallbacks
	CallbackMaxSize int64
}

// FilesGCPercent is the files function's GOGC (the template sets it).
// Its heap is a few large buffers without pointers (the SendSafely parts
// in flight, one multipart part and a tail) and little else, so that a
// collection costs a fraction of a millisecond, and the little garbage
// each part leaves (go-crypto's and net/http's) would otherwise pile up
// toward Go's default goal, twice the live heap, with the file's size: at
// 25 the heap stays within a quarter of the buffers whatever the file.
const FilesGCPercent = 25

// FilesSchedule is when a failed retrieval job is tried again: as a
// delivery is, after 1, 2, 4 … minutes, at most 4 hours apart, 14
// attempts over more than a day (SendSafely keeps a package's files for
// days). The files queue's redrive policy says maxReceiveCount 14.
func FilesSchedule() sqsdelivery.Schedule { return sqsdelivery.DefaultSchedule() }

// awsFiles returns the parts of retrieval on AWS that cfg names: the
// files queue, the object store of fileStores, and src (the SendSafely
// client) as the file source.
func awsFiles(cfg config.Config, awsCfg aws.Config, src connector.FileSource) (Files, error) {
	if !cfg.Files.On() {
		return Files{}, nil
	}
	objs, err := fileStores(cfg, awsCfg)
	if err != nil {
		return Files{}, err
	}
	f := Files{Source: src, Objects: objs}
	if cfg.Files.QueueURL != "" {
		client := awssqs.NewFromConfig(awsCfg)
		q, err := sqsfiles.NewQueue(client, cfg.Files.QueueURL)
		if err != nil {
			return Files{}, err
		}
		f.Queue, f.Visibility, f.QueueURL = q, client, cfg.Files.QueueURL
	}
	if cfg.FileCallback.On() {
		// As for the link callback: plain http to a loopback receiver
		// only (local runs and tests), anything else https.
		c, err := callback.NewFile(cfg.FileCallback.URL, callback.Options{AllowLoopbackHTTP: true})
		if err != nil {
			return Files{}, fmt.Errorf("config: %s: %w", config.FileCallbackURL, err)
		}
		f.Callback, f.CallbackMaxSize = c, cfg.FileCallback.MaxSize
	}
	return f, nil
}

// fileStores builds the object store of the deployed function: S3 with
// FILES_BUCKET (SSE-KMS with FILES_KMS_KEY_ID when set). It makes no
// network call. FILES_DIR, the directory store, is the local runs' (make
// run wires internal/dirstore itself): on Lambda a directory is lost with
// the execution environment, so a FILES_DIR without a bucket is refused
// here, naming it; and the Lambda binary does not link the directory
// store (it kept the arm64 zip over its 5 MiB budget).
func fileStores(cfg config.Config, awsCfg aws.Config) (connector.ObjectStore, error) {
	if cfg.Files.Bucket == "" {
		return nil, fmt.Errorf("config: %s: a directory is the file store of local runs (make run); deployed, set %s (a directory on Lambda is lost with its execution environment)",
			config.FilesDir, config.FilesBucket)
	}
	var opts []s3.Option
	if cfg.Files.KMSKeyID != "" {
		opts = append(opts, s3.WithKMSKey(cfg.Files.KMSKeyID))
	}
	return s3.NewFromConfig(awsCfg, cfg.Files.Bucket, opts...), nil
}

// retrieval sets the entry's handler of the files queue: the service's
// retriever over parts, driven by sqsfiles. It does nothing when
// retrieval is off.
func retrieval(entry *lambdaentry.Entry, svc *connector.Service, cfg config.Config, parts Files, logger *slog.Logger) error {
	if parts.Objects == nil {
		return nil
	}
	if parts.Queue == nil || parts.Visibility == nil {
		return fmt.Errorf("config: %s: retrieval needs the files queue", config.FilesQueueURL)
	}
	r, err := svc.Retriever(connector.RetrievalSettings{Prefix: cfg.Files.Prefix, RangeParts: cfg.Files.RangeParts,
		MalwareScan: cfg.Scan.On}, parts.Source, parts.Objects, parts.Queue)
	if err != nil {
		return err
	}
	var opts []sqsfiles.Option
	if parts.Callback != nil {
		d, err := svc.Deliverer(connector.Handoff{Files: parts.Callback, FileMaxSize: parts.CallbackMaxSize})
		if err != nil {
			return err
		}
		opts = append(opts, sqsfiles.WithFileCallback(d))
	}
	sched := FilesSchedule()
	h, err := sqsfiles.NewHandler(r, parts.Visibility, parts.QueueURL,
		sqsfiles.Retry{Delay: sched.Delay, MaxReceives: sched.MaxReceives}, logger, opts...)
	if err != nil {
		return err
	}
	entry.Files, entry.FilesQueue = h.Handle, lambdaentry.QueueName(parts.QueueURL)
	if cfg.Scan.On && cfg.Files.Bucket != "" {
		// A directory has no scanner: its files wait in Scan pending.
		tags, _ := parts.Objects.(tagReader)
		entry.Scan = lambdaentry.Scanner(scanParser(cfg.Scan, cfg.Files.Bucket, tags), cfg.Files.Bucket, r.RecordScan, logger)
	}
	return nil
}
