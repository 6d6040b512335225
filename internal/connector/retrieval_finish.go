package connector

import (
	"context"
	"crypto/sha256"
	"encoding"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/url"
	"slices"
)

// finish makes a file whose ranges are all written whole: it completes
// the multipart write (or finds it completed), takes the SHA-256 (from the
// stream of a file of one range, else by reading the staging object once),
// judges the content by its head, and promotes the staging object to the
// final key with its metadata, or removes it if the content is not what
// the name says. Every step may be repeated: a job that dies half-way is
// finished by its next delivery.
func (r *Retriever) finish(ctx context.Context, id, packageID, fileID string) error {
	u, i, err := r.read(ctx, id, packageID)
	if err != nil || u == nil {
		return err
	}
	p := u.st.Packages[i]
	f, rt := p.Files[p.fileAt(fileID)], *p.retrievalOf(fileID)
	if ended(f) {
		return r.settleEvents(ctx, id, packageID)
	}
	done := slices.Clone(rt.Done)
	slices.SortFunc(done, func(a, b rangeDone) int { return a.Index - b.Index })
	var parts []ObjectPart
	var size int64
	for _, d := range done {
		parts = append(parts, d.Parts...)
		size += d.Bytes
	}
	source, err := r.complete(ctx, rt, parts)
	if errors.Is(err, ErrNotFound) {
		// Neither the write nor an object is left (the lifecycle rule
		// removed an incomplete write): nothing can mend it.
		return r.endFile(ctx, id, packageID, fileID, failFile)
	}
	if err != nil {
		return err
	}
	sum := done[0].Sha256
	if sum == "" {
		if sum, err = r.hash(ctx, source, done[0]); err != nil {
			return err
		}
	}
	contentType, ok := sniff(f.Name, f.Type, done[0].Head)
	if !ok {
		if err := r.objs.Delete(ctx, rt.Staging); err != nil {
			return fmt.Errorf("retrieve: remove staging: %w", orUnavailable(err))
		}
		return r.endFile(ctx, id, packageID, fileID, func(f *File) {
			f.Status, f.Reason, f.Stored = FileRejected, ReasonContent, StoredFailed
			f.Message = f.Name + " was not accepted: its content is not what its name says."
		})
	}
	meta := ObjectMeta{ContentType: contentType, Metadata: map[string]string{
		"package-id": packageID, "file-id": fileID, "sha256": sum,
		"original-name": url.PathEscape(f.Name)}}
	if err := r.objs.Promote(ctx, rt.Staging, rt.Key, meta); err != nil {
		return fmt.Errorf("retrieve: promote: %w", orUnavailable(err))
	}
	location := r.objs.Location(rt.Key)
	return r.endFile(ctx, id, packageID, fileID, func(f *File) {
		f.Stored, f.Location, f.Sha256, f.Size = StoredDone, location, sum, size
		if r.set.MalwareScan && f.Scan == "" {
			f.Scan = ScanPending // unless its verdict came first
		}
	})
}

// complete completes rt's multipart write from parts and returns the key
// the whole object is under: the staging key, or the final key if it was
// promoted already by a job that died before recording it. It returns
// ErrNotFound if there is neither a write nor an object.
func (r *Retriever) complete(ctx context.Context, rt retrieval, parts []ObjectPart) (string, error) {
	err := r.objs.Finish(ctx, rt.Staging, rt.WriteID, parts)
	if err == nil {
		return rt.Staging, nil
	}
	if !errors.Is(err, ErrNotFound) {
		return "", fmt.Errorf("retrieve: finish: %w", orUnavailable(err))
	}
	for _, key := range []string{rt.Staging, rt.Key} {
		_, err := r.objs.Stat(ctx, key)
		if err == nil {
			return key, nil
		}
		if !errors.Is(err, ErrNotFound) {
			return "", fmt.Errorf("retrieve: stat: %w", orUnavailable(err))
		}
	}
	return "", fmt.Errorf("retrieve: the write and its object are gone: %w", ErrNotFound)
}

// hash returns the SHA-256 of the object under key, whose first range is
// first. It goes on from the state first recorded of its own bytes and
// reads only the rest (with the default FILES_RANGE_PARTS a file of two
// ranges is mostly its first); without a state it reads the whole object.
func (r *Retriever) hash(ctx context.Context, key string, first rangeDone) (string, error) {
	h, off := sha256.New(), int64(0)
	if u, ok := h.(encoding.BinaryUnmarshaler); ok && first.HashState != nil {
		if u.UnmarshalBinary(first.HashState) == nil {
			off = first.Bytes
		} else {
			h.Reset()
		}
	}
	rc, _, err := r.objs.Open(ctx, key, off)
	if err != nil {
		return "", fmt.Errorf("retrieve: open: %w", orUnavailable(err))
	}
	defer rc.Close()
	if _, err := io.Copy(h, rc); err != nil {
		return "", fmt.Errorf("retrieve: read: %w", orUnavailable(err))
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// fail fails file fileID: its multipart write is aborted and its staging
// object removed (no object is left), then its end state written. It
// returns ErrUnavailable if the object store or the store failed: then
// the job is tried again and fails the file then.
func (r *Retriever) fail(ctx context.Context, id, packageID, fileID string) error {
	u, i, err := r.read(ctx, id, packageID)
	if err != nil || u == nil {
		return err
	}
	if rt := u.st.Packages[i].retrievalOf(fileID); rt != nil && rt.Staging != "" {
		if rt.WriteID != "" {
			if err := r.objs.Abort(ctx, rt.Staging, rt.WriteID); err != nil {
				return fmt.Errorf("retrieve: abort: %w", orUnavailable(err))
			}
		}
		if err := r.objs.Delete(ctx, rt.Staging); err != nil {
			return fmt.Errorf("retrieve: remove staging: %w", orUnavailable(err))
		}
	}
	_, _, err = r.change(ctx, id, packageID, func(p *pkg) bool { return p.end(fileID, failFile) })
	return err
}

// failFile is the end state of a file that could not be retrieved.
func failFile(f *File) { f.Stored, f.Location, f.Sha256 = StoredFailed, "", "" }

// endFile writes file fileID's end state with set, then publishes the
// package's upload.stored if it was the last file to end (and its
// upload.scanned, if every verdict came first).
func (r *Retriever) endFile(ctx context.Context, id, packageID, fileID string, set func(*File)) error {
	if _, _, err := r.change(ctx, id, packageID, func(p *pkg) bool { return p.end(fileID, set) }); err != nil {
		return err
	}
	return r.settleEvents(ctx, id, packageID)
}

// settleEvents publishes what is due of package packageID's
// upload.stored and upload.scanned.
func (r *Retriever) settleEvents(ctx context.Context, id, packageID string) error {
	if err := r.settleStored(ctx, id, packageID); err != nil {
		return err
	}
	return r.settleScanned(ctx, id, packageID)
}

// end gives file id of p its end state with set, unless it has one, and
// drops its write's bookkeeping (only its keys are kept). It reports
// whether it changed p.
func (p *pkg) end(id string, set func(*File)) bool {
	j := p.fileAt(id)
	if j < 0 || ended(p.Files[j]) {
		return false
	}
	set(&p.Files[j])
	if rt := p.retrievalOf(id); rt != nil {
		rt.WriteID, rt.Done = "", nil
	}
	return true
}
