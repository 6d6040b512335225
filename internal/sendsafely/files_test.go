package sendsafely_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/sendsafely"
)

// TestPackageFiles reads files[] as SendSafely might write it: fileSize a
// string of digits (what it sends), or a number; anything else is no
// confirmation at all, since the policy judges sizes.
func TestPackageFiles(t *testing.T) {
	for _, tt := range []struct {
		name  string
		files string
		want  []connector.PackageFile // nil: ErrUnavailable
	}{
		{"none", `[]`, []connector.PackageFile{}},
		{"absent", `null`, []connector.PackageFile{}},
		{"size as a string", `[{"fileId":"f1","fileName":"a.pdf","fileSize":"12345","parts":2,"fileVersion":"1"}]`,
			[]connector.PackageFile{{ID: "f1", Name: "a.pdf", Size: 12345, Parts: 2}}},
		{"size as a number", `[{"fileId":"f1","fileName":"a.pdf","fileSize":12345,"parts":1}]`,
			[]connector.PackageFile{{ID: "f1", Name: "a.pdf", Size: 12345, Parts: 1}}},
		{"order kept", `[{"fileId":"b","fileName":"z","fileSize":"1"},{"fileId":"a","fileName":"y","fileSize":"0"}]`,
			[]connector.PackageFile{{ID: "b", Name: "z", Size: 1}, {ID: "a", Name: "y", Size: 0}}},
		{"size with letters", `[{"fileId":"f1","fileName":"a.pdf","fileSize":"12kb"}]`, nil},
		{"negative size", `[{"fileId":"f1","fileName":"a.pdf","fileSize":-1}]`, nil},
		{"fractional size", `[{"fileId":"f1","fileName":"a.pdf","fileSize":1.5}]`, nil},
		{"empty size", `[{"fileId":"f1","fileName":"a.pdf","fileSize":""}]`, nil},
		{"no size", `[{"fileId":"f1","fileName":"a.pdf"}]`, nil},
		{"huge size", `[{"fileId":"f1","fileName":"a.pdf","fileSize":"99999999999999999999"}]`, nil},
		{"no id", `[{"fileName":"a.pdf","fileSize":"1"}]`, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write([]byte(`{"response":"SUCCESS","packageId":"ABCD-1234","packageCode":"code","serverSecret":"srv",` +
					`"label":"l","packageSender":"a@example.com","files":` + tt.files + `}`))
			}))
			defer ts.Close()
			key := connector.TrustedKey{APIKey: "k", APISecret: "s", KeyID: "id", PrivateKey: "p"}
			got, err := sendsafely.New(ts.URL).Package(t.Context(), key, "ABCD-1234")
			if tt.want == nil {
				if !errors.Is(err, connector.ErrUnavailable) {
					t.Fatalf("got %v, want ErrUnavailable", err)
				}
				if strings.Contains(err.Error(), "a.pdf") {
					t.Errorf("error %q names the file", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.want, got.Files); d != "" {
				t.Errorf("files (-want +got):\n%s", d)
			}
			if got.Files == nil {
				t.Error("files nil, want an empty manifest")
			}
			if got.ServerSecret != "srv" {
				t.Errorf("serverSecret %q, want srv", got.ServerSecret)
			}
		})
	}
}
