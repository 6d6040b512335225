package apigw

import "github.com/sendsafely/chatbot-connector/internal/connector"

// chatFile is a manifest entry as getLink writes it, keys in the chatbot
// API's PascalCase. PackageId is set when the upload has several packages.
type chatFile struct {
	PackageID string `json:"PackageId,omitempty"`
	ID        string `json:"Id"`
	Name      string `json:"Name"`
	Size      int64  `json:"Size"`
	Type      string `json:"Type"`
	Status    string `json:"Status"`
	Reason    string `json:"Reason,omitempty"`
	Message   string `json:"Message,omitempty"`
	// Stored, Location and Sha256 are the file's retrieval state, when
	// retrieval is on (contract: Files, Retrieval).
	Stored   string `json:"Stored,omitempty"`
	Location string `json:"Location,omitempty"`
	Sha256   string `json:"Sha256,omitempty"`
	// Scan is the malware verdict, when scanning is on; Callback the file
	// callback receiver's answer, once it answered (Files: File callback).
	Scan     string        `json:"Scan,omitempty"`
	Callback *chatCallback `json:"Callback,omitempty"`
}

// chatCallback is the file callback's answer as getLink writes it:
// {"Uid","Url"} or {"Error"}.
type chatCallback struct {
	UID   string `json:"Uid,omitempty"`
	URL   string `json:"Url,omitempty"`
	Error string `json:"Error,omitempty"`
}

// chatManifest is what getLink's Success gains in verified mode: the
// files, their count and total size, and the customer's sentence when
// files were rejected. Outside verified mode all of it is absent.
type chatManifest struct {
	Files     []chatFile `json:"Files,omitzero"`
	FileCount *int       `json:"FileCount,omitempty"`
	TotalSize *int64     `json:"TotalSize,omitempty"`
	Message   string     `json:"Message,omitempty"`
}

// rejectedResponse is getLink's answer when the file policy rejected every
// file submitted: no link, the sentence for the customer, the manifest.
type rejectedResponse struct {
	Result  string     `json:"Result"`
	Message string     `json:"Message"`
	Files   []chatFile `json:"Files"`
}

// manifestOf is res's manifest as getLink writes it.
func manifestOf(res connector.LinkResult) chatManifest {
	files := chatFiles(res)
	if files == nil {
		return chatManifest{}
	}
	n, size := res.FileCount(), res.TotalSize()
	return chatManifest{Files: files, FileCount: &n, TotalSize: &size, Message: res.Message}
}

// chatFiles is res's files as getLink writes them; nil without a
// manifest, empty for packages of no files.
func chatFiles(res connector.LinkResult) []chatFile {
	if res.Files == nil {
		return nil
	}
	out := make([]chatFile, len(res.Files))
	for i, f := range res.Files {
		out[i] = chatFile{ID: f.ID, Name: f.Name, Size: f.Size, Type: f.Type, Status: f.Status, Reason: f.Reason, Message: f.Message,
			Stored: f.Stored, Location: f.Location, Sha256: f.Sha256, Scan: f.Scan}
		if c := f.Callback; c != nil {
			out[i].Callback = &chatCallback{UID: c.UID, URL: c.URL, Error: c.Error}
		}
		if res.Packages > 1 {
			out[i].PackageID = f.PackageID
		}
	}
	return out
}
