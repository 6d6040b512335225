package sendsafely_test

import (
	"testing"

	"github.com/sendsafely/chatbot-connector/internal/sendsafely"
)

// The known answer in dropzone.md, from SendSafely's own clients.
func TestChecksum(t *testing.T) {
	got := sendsafely.Checksum("aXaQiWhw9p29CAoDoLRxpWbzotX2Qe0D-0agiN_RYXU", "30B0MrkbR8ag31tjzwXi2SkR6Cr1k3CfpkfHinRBqjg")
	if want := "108fef6ace973f462c1d73be2e8ec6ccd2f1c1a64131e5375adce7840aaa33fd"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}
