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
	"github.com/google/go-cmp/cmp"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// fileDeliverer answers every delivery with err and records what it got.
type fileDeliverer struct {
	err    error
	got    []connector.Event
	gaveUp []connector.Event
}

func (f *fileDeliverer) Deliver(_ context.Context, ev connector.Event) (connector.Delivery, error) {
	f.got = append(f.got, ev)
	return connector.Delivery{Files: connector.FilesDelivery{Sent: 1}}, f.err
}

func (f *fileDeliverer) GiveUpFiles(_ context.Context, ev connector.Event) error {
	f.gaveUp = append(f.gaveUp, ev)
	return nil
}

// TestHandleFileCallback: upload.stored and upload.scanned go to the file
// callback with their ids only, retried on the schedule like jobs, given
// up on the last attempt; without a file callback they are skipped.
func TestHandleFileCallback(t *testing.T) {
	stored := `{"id":"evt_1","type":"upload.stored","uploadId":"` + uploadID + `","packageId":"P",` +
		`"secureLink":"https://acme.sendsafely.com/receive/?thread=P#keyCode=k","email":"c@example.com","files":[{"id":"F"}]}`
	scanned := strings.Replace(stored, "upload.stored", "upload.scanned", 1)
	down := fmt.Errorf("%w: the receiver answered 500", connector.ErrUnavailable)
	for _, tt := range []struct {
		name     string
		body     string
		noFiles  bool
		err      error
		receives string
		retry    bool
		wantVis  []int32
		gaveUp   bool
	}{
		{"stored is delivered", stored, false, nil, "1", false, nil, false},
		{"scanned is delivered", scanned, false, nil, "1", false, nil, false},
		{"a failure is retried after its delay", stored, false, down, "2", true, []int32{120}, false},
		{"the last attempt gives up", stored, false, down, "5", true, []int32{0}, true},
		{"invalid is dropped", stored, false, fmt.Errorf("%w: forged", connector.ErrInvalid), "1", false, nil, false},
		{"without a file callback it is skipped", stored, true, nil, "1", false, nil, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var logs bytes.Buffer
			v, d := &visibility{}, &fileDeliverer{err: tt.err}
			var opts []Option
			if !tt.noFiles {
				opts = append(opts, WithFileCallback(d))
			}
			h, err := NewHandler(fixed{fmt.Errorf("%w: not a job", connector.ErrInvalid)}, v, "https://sqs.example/q",
				Retry{Delay: func(n int) time.Duration { return time.Duration(n) * time.Minute }, MaxReceives: 5},
				slog.New(slog.NewJSONHandler(&logs, nil)), opts...)
			if err != nil {
				t.Fatal(err)
			}
			resp, _ := h.Handle(t.Context(), events.SQSEvent{Records: []events.SQSMessage{{MessageId: "m1", Body: tt.body,
				Attributes: map[string]string{"ApproximateReceiveCount": tt.receives}}}})
			if got := len(resp.BatchItemFailures) == 1; got != tt.retry {
				t.Errorf("got retry %v, want %v", got, tt.retry)
			}
			if diff := cmp.Diff(tt.wantVis, v.got); diff != "" {
				t.Errorf("visibility (-want +got):\n%s", diff)
			}
			if !tt.noFiles {
				typ := "upload.stored"
				if tt.body == scanned {
					typ = "upload.scanned"
				}
				want := []connector.Event{{ID: "evt_1", Type: typ, UploadID: uploadID, PackageID: "P"}}
				if diff := cmp.Diff(want, d.got); diff != "" {
					t.Errorf("delivered (-want +got):\n%s", diff)
				}
			}
			if got := len(d.gaveUp) == 1; got != tt.gaveUp {
				t.Errorf("gave up %v, want %v", got, tt.gaveUp)
			}
			if s := logs.String(); strings.Contains(s, uploadID) || strings.Contains(s, "keyCode") || strings.Contains(s, "c@example.com") {
				t.Errorf("log %s: a secret in the clear", s)
			}
		})
	}
}
