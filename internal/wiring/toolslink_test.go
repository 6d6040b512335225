package wiring_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/sendsafely/chatbot-connector/internal/apigw"
	"github.com/sendsafely/chatbot-connector/internal/config"
	"github.com/sendsafely/chatbot-connector/internal/connector"
	"github.com/sendsafely/chatbot-connector/internal/dropzone"
	"github.com/sendsafely/chatbot-connector/internal/memory"
	"github.com/sendsafely/chatbot-connector/internal/wiring"
	"github.com/sendsafely/chatbot-connector/internal/wiring/connectortest"
)

// TestToolsIncludeLink: TOOLS_INCLUDE_LINK=false takes the secure link out
// of the agent tools' output (here POST /tools/get_secure_link, which runs
// the runner every agent surface shares) and leaves the chatbot API's
// getLink as it is.
func TestToolsIncludeLink(t *testing.T) {
	const key, email = "validation-key", "customer@example.com"
	for _, tt := range []struct {
		value    string
		toolLink bool
	}{{"", true}, {"true", true}, {"false", false}} {
		t.Run("TOOLS_INCLUDE_LINK="+tt.value, func(t *testing.T) {
			cfg, err := config.LoadOptions(func(k string) string {
				return map[string]string{config.SendSafelyHost: connectortest.Host, config.DropzoneID: "DZ1", config.ToolsIncludeLink: tt.value}[k]
			})
			if err != nil {
				t.Fatal(err)
			}
			parts := wiring.Parts{Store: &memory.Store{}, Publisher: &memory.Publisher{}, Keys: memory.NewKeys(connector.KeySet{ValidationKey: key})}
			entry, err := wiring.Handler(cfg, parts, wiring.Platform{})
			if err != nil {
				t.Fatal(err)
			}
			h := entry.HTTP.(*apigw.Handler)
			post := func(path, body string) map[string]any {
				t.Helper()
				var ev apigw.Event
				ev.Version, ev.RawPath, ev.Body = "2.0", path, body
				ev.RequestContext.HTTP.Method = "POST"
				resp, err := h.Handle(context.Background(), ev)
				var m map[string]any
				if err != nil || resp.StatusCode != 200 || json.Unmarshal([]byte(resp.Body), &m) != nil {
					t.Fatalf("POST %s: %v %d %s", path, err, resp.StatusCode, resp.Body)
				}
				return m
			}
			id, _ := post("/", `{"action":"generateId","email":"`+email+`"}`)["UploadId"].(string)
			n := connectortest.Sign(t, dropzone.Payload{UploadID: id, Email: email, PackageID: "PKG-1", PackageCode: "code-1", DropzoneID: "DZ1",
				SubmittedAt: time.Now().Add(-time.Minute).UTC().Format(time.RFC3339)}, key)
			hook, _ := json.Marshal(map[string]string{"data": n.Data, "digest": n.Digest, "secureLink": string(n.SecureLink)})
			post("/webhook", string(hook))

			chat := post("/", `{"action":"getLink","uploadId":"`+id+`","email":"`+email+`"}`)
			if chat["SecureLink"] != string(n.SecureLink) {
				t.Errorf("POST / getLink: got %v, want the link whatever the setting", chat)
			}
			tool := post("/tools/get_secure_link", `{"uploadId":"`+id+`","email":"`+email+`"}`)
			_, hasLink := tool["secureLink"]
			_, hasLinks := tool["secureLinks"]
			if tool["status"] != "Ready" || !strings.HasSuffix(tool["submittedAt"].(string), "Z") || hasLink != tt.toolLink || hasLinks != tt.toolLink {
				t.Errorf("get_secure_link: got %v, want Ready with submittedAt, links %v", tool, tt.toolLink)
			}
		})
	}
}
