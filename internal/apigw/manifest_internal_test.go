package apigw

import (
	"encoding/json"
	"testing"

	"github.com/sendsafely/chatbot-connector/internal/connector"
)

// TestChatFilesShowScanAndCallback: getLink's files carry, beside the
// retrieval state, the malware verdict and the file callback's answer
// under the chatbot API's PascalCase keys, and neither when absent.
func TestChatFilesShowScanAndCallback(t *testing.T) {
	base := connector.File{ID: "F", Name: "a.pdf", Size: 3, Type: "application/pdf", Status: connector.FileAccepted}
	for _, tc := range []struct {
		name string
		f    func(f *connector.File)
		want string
	}{
		{"neither", func(*connector.File) {},
			`{"Id":"F","Name":"a.pdf","Size":3,"Type":"application/pdf","Status":"accepted"}`},
		{"clean and taken", func(f *connector.File) {
			f.Stored, f.Scan = connector.StoredDone, connector.ScanClean
			f.Callback = &connector.FileCallback{UID: "T-1", URL: "https://crm.example/T-1"}
		}, `{"Id":"F","Name":"a.pdf","Size":3,"Type":"application/pdf","Status":"accepted","Stored":"stored","Scan":"clean","Callback":{"Uid":"T-1","Url":"https://crm.example/T-1"}}`},
		{"refused", func(f *connector.File) {
			f.Stored, f.Callback = connector.StoredDone, &connector.FileCallback{Error: connector.CallbackTooLarge}
		}, `{"Id":"F","Name":"a.pdf","Size":3,"Type":"application/pdf","Status":"accepted","Stored":"stored","Callback":{"Error":"too large"}}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := base
			tc.f(&f)
			got, err := json.Marshal(chatFiles(connector.LinkResult{Files: []connector.UploadFile{{PackageID: "P", File: f}}, Packages: 1})[0])
			if err != nil || string(got) != tc.want {
				t.Errorf("got %s, %v\nwant %s", got, err, tc.want)
			}
		})
	}
}
