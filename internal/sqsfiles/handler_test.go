package sqsfiles

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/google/go-cmp/cmp"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

const uploadID = "8e2b1c7e-2f0a-4a57-9d83-6c1f1d0c9a4e"

func TestDecode(t *testing.T) {
	for _, tt := range []struct {
		name, body string
		want       connector.FileJob
		ok         bool
	}{
		{"submitted event fans out", `{"id":"evt_1","type":"upload.submitted","uploadId":"` + uploadID + `","packageId":"P","files":[{"id":"F"}]}`,
			connector.FileJob{UploadID: uploadID, PackageID: "P"}, true},
		{"other event", `{"type":"upload.stored","uploadId":"` + uploadID + `","packageId":"P"}`, connector.FileJob{}, false},
		{"job", `{"uploadId":"` + uploadID + `","packageId":"P","fileId":"F","range":3}`,
			connector.FileJob{UploadID: uploadID, PackageID: "P", FileID: "F", Range: 3}, true},
		{"not json", `hello`, connector.FileJob{}, false},
		{"no upload", `{"packageId":"P"}`, connector.FileJob{PackageID: "P"}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := decode(tt.body)
			if diff := cmp.Diff(tt.want, got); diff != "" || ok != tt.ok {
				t.Errorf("decode = %v (-want +got):\n%s", ok, diff)
			}
		})
	}
}

type fixed struct{ err error }

func (f fixed) Retrieve(context.Context, connector.FileJob) error { return f.err }
func (f fixed) GiveUp(context.Context, connector.FileJob) error   { return nil }

type visibility struct{ got []int32 }

func (v *visibility) ChangeMessageVisibility(_ context.Context, in *sqs.ChangeMessageVisibilityInput, _ ...func(*sqs.Options)) (*sqs.ChangeMessageVisibilityOutput, error) {
	v.got = append(v.got, in.VisibilityTimeout)
	return &sqs.ChangeMessageVisibilityOutput{}, nil
}

func TestHandle(t *testing.T) {
	job := `{"uploadId":"` + uploadID + `","packageId":"P","fileId":"F","range":0}`
	for _, tt := range []struct {
		name     string
		err      error
		receives string
		retry    bool
		wantVis  []int32
	}{
		{"done", nil, "1", false, nil},
		{"invalid is dropped", fmt.Errorf("%w: no file", connector.ErrInvalid), "1", false, nil},
		{"unavailable is retried after its delay", fmt.Errorf("%w: down", connector.ErrUnavailable), "2", true, []int32{120}},
		{"the last attempt goes to the dead-letter queue", fmt.Errorf("%w: down", connector.ErrUnavailable), "5", true, []int32{0}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var logs bytes.Buffer
			v := &visibility{}
			h, err := NewHandler(fixed{tt.err}, v, "https://sqs.example/q",
				Retry{Delay: func(n int) time.Duration { return time.Duration(n) * time.Minute }, MaxReceives: 5},
				slog.New(slog.NewJSONHandler(&logs, nil)))
			if err != nil {
				t.Fatal(err)
			}
			resp, _ := h.Handle(t.Context(), events.SQSEvent{Records: []events.SQSMessage{{MessageId: "m1", Body: job,
				Attributes: map[string]string{"ApproximateReceiveCount": tt.receives}}}})
			if got := len(resp.BatchItemFailures) == 1; got != tt.retry {
				t.Errorf("got retry %v, want %v", got, tt.retry)
			}
			if diff := cmp.Diff(tt.wantVis, v.got); diff != "" {
				t.Errorf("visibility (-want +got):\n%s", diff)
			}
			if strings.Contains(logs.String(), uploadID) || !strings.Contains(logs.String(), connector.LogID(uploadID)) {
				t.Errorf("log %s: want the upload id hashed only", logs.String())
			}
		})
	}
}
