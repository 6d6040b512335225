package connector

import (
	"context"
	"encoding/hex"
	"fmt"
)

// retrieval is how far the retrieval of one accepted file has come, kept
// sealed with its package: its keys, its ranges, its multipart write and
// the ranges written so far.
type retrieval struct {
	FileID string `json:"fileId"`
	// Key is the final key; Staging the key written to before promotion.
	Key     string `json:"key"`
	Staging string `json:"staging"`
	// Ranges is the file's plan, fixed at fan-out (a changed
	// FILES_RANGE_PARTS does not change a file on its way).
	Ranges []fileRange `json:"ranges"`
	// WriteID is the multipart write of Staging, once begun.
	WriteID string `json:"writeId,omitempty"`
	// Done are the ranges written, in the order they finished.
	Done []rangeDone `json:"done,omitempty"`
}

// rangeDone is a range written: its parts, its bytes, and for the first
// range the head of the file (to judge its content); for a file of one
// range, its SHA-256, and for the first of several, the SHA-256 state
// after its bytes (the finishing job goes on from it).
type rangeDone struct {
	Index     int          `json:"i"`
	Parts     []ObjectPart `json:"parts"`
	Bytes     int64        `json:"bytes"`
	Head      []byte       `json:"head,omitempty"`
	Sha256    string       `json:"sha256,omitempty"`
	HashState []byte       `json:"hashState,omitempty"`
}

// done reports whether range i is written.
func (rt *retrieval) done(i int) bool {
	for _, d := range rt.Done {
		if d.Index == i {
			return true
		}
	}
	return false
}

// infoStaging separates the staging names derived from an upload id.
var infoStaging = []byte("chatbot-connector/v1 staging key")

// fanOut plans the retrieval of every accepted file of package packageID
// (keys, ranges; each file pending) in one write, then sends a job for
// each range not written yet of each file without an end state. Sent
// again, it plans nothing new and sends the jobs still to do.
func (r *Retriever) fanOut(ctx context.Context, id, packageID string) error {
	u, i, err := r.read(ctx, id, packageID)
	if err != nil || u == nil {
		return err
	}
	if u.st.Packages[i].Retrievals == nil && accepted(u.st.Packages[i]) > 0 {
		plan, err := r.plan(ctx, u, i)
		if err != nil {
			return err
		}
		u, i, err = r.change(ctx, id, packageID, func(p *pkg) bool {
			if p.Retrievals != nil {
				return false // planned meanwhile: keep that plan
			}
			p.Retrievals = plan
			for j := range p.Files {
				if p.Files[j].Status == FileAccepted && p.Files[j].Stored == "" {
					p.Files[j].Stored = StoredPending
				}
			}
			return true
		})
		if err != nil || u == nil {
			return err
		}
	}
	p := u.st.Packages[i]
	var jobs []FileJob
	for _, rt := range p.Retrievals {
		if j := p.fileAt(rt.FileID); j < 0 || ended(p.Files[j]) {
			continue
		}
		for k := range rt.Ranges {
			if !rt.done(k) {
				jobs = append(jobs, FileJob{UploadID: id, PackageID: packageID, FileID: rt.FileID, Range: k})
			}
		}
	}
	if len(jobs) == 0 {
		return r.settleEvents(ctx, id, packageID)
	}
	if err := r.q.Send(ctx, jobs); err != nil {
		return fmt.Errorf("retrieve: fan out: %w", err)
	}
	return nil
}

// accepted counts the accepted files of p.
func accepted(p pkg) int {
	n := 0
	for _, f := range p.Files {
		if f.Status == FileAccepted {
			n++
		}
	}
	return n
}

// plan returns the retrieval of each accepted file of package i of u:
// its unique path-safe name under the upload's folder, its staging key
// (derived from the upload id, so that it names nothing), and its ranges
// from its number of parts, read from SendSafely when the manifest lacks
// it.
func (r *Retriever) plan(ctx context.Context, u *upload, i int) ([]retrieval, error) {
	p := u.st.Packages[i]
	var files []File
	for _, f := range p.Files {
		if f.Status == FileAccepted {
			files = append(files, f)
		}
	}
	parts := map[string]int{}
	for _, f := range files {
		parts[f.ID] = f.Parts
	}
	key, err := r.trusted(ctx)
	if err != nil {
		return nil, err
	}
	details, err := r.s.ss.Package(ctx, key, p.PackageID)
	if err != nil {
		return nil, fmt.Errorf("retrieve: read package: %w", unavailable(err))
	}
	for _, f := range details.Files {
		if n, ok := parts[f.ID]; ok && n == 0 {
			parts[f.ID] = f.Parts
		}
	}
	names := uniqueNames(files)
	folder := folderOf(u.st.ConversationID)
	out := make([]retrieval, len(files))
	for j, f := range files {
		out[j] = retrieval{
			FileID:  f.ID,
			Key:     objectKey(r.set.Prefix, folder, p.PackageID, names[j]),
			Staging: stagingPrefix(r.set.Prefix) + u.keys.stagingName(p.PackageID, f.ID),
			Ranges:  splitRanges(parts[f.ID], f.Size, r.set.RangeParts),
		}
	}
	return out, nil
}

// stagingName is the staging name of file fileID of package packageID:
// 32 hexadecimal digits of a one-way hash keyed by the upload id, the
// same for every job of the file and revealing nothing.
func (k idKeys) stagingName(packageID, fileID string) string {
	info := make([]byte, 0, len(infoStaging)+len(packageID)+len(fileID)+2)
	info = append(append(append(append(append(info, infoStaging...), 0), packageID...), 0), fileID...)
	return hex.EncodeToString(k.derive(info, 16))
}
