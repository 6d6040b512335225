package connector

import (
	"context"
	"errors"
	"fmt"
)

// retrieveRange writes range job.Range of a file: it begins the file's
// multipart write if no range has, downloads the range's parts into a
// partWriter, records the range as done, and finishes the file when it
// was the last range to be done. A range already done is not fetched
// again; a file with an end state is left alone.
func (r *Retriever) retrieveRange(ctx context.Context, id string, job FileJob) error {
	u, i, err := r.read(ctx, id, job.PackageID)
	if err != nil || u == nil {
		return err
	}
	p := &u.st.Packages[i]
	j, rt := p.fileAt(job.FileID), p.retrievalOf(job.FileID)
	if j < 0 || rt == nil || job.Range >= len(rt.Ranges) {
		return fmt.Errorf("%w: retrieve: the job names no planned file or range", ErrInvalid)
	}
	switch {
	case ended(p.Files[j]):
		return r.settleEvents(ctx, id, job.PackageID)
	case rt.done(job.Range):
		if len(rt.Done) == len(rt.Ranges) {
			return r.finish(ctx, id, job.PackageID, job.FileID)
		}
		return nil
	}
	ref, key, err := r.fileRef(ctx, *p, job.FileID)
	if err != nil {
		return err
	}
	writeID, err := r.begin(ctx, id, job.PackageID, *rt)
	if err != nil || writeID == "" {
		return err
	}
	rg := rt.Ranges[job.Range]
	w := newPartWriter(ctx, r.objs, rt.Staging, writeID, rg)
	if rg.Last >= rg.First {
		_, err = r.src.Download(ctx, key, ref, rg.First, rg.Last, w)
	}
	if err == nil {
		err = w.Close()
	}
	if err == nil && job.Range < len(rt.Ranges)-1 && w.parts[len(w.parts)-1].Size < MinObjectPart {
		// Only the object's last part may be that short: SendSafely's
		// size was far from the bytes. Rare, and no retry would mend it.
		err = fmt.Errorf("%w: a range is shorter than an object part", ErrCorrupt)
	}
	if errors.Is(err, ErrCorrupt) || errors.Is(err, errRangeTooLong) {
		if ferr := r.fail(ctx, id, job.PackageID, job.FileID); ferr != nil {
			return ferr
		}
		return r.settleEvents(ctx, id, job.PackageID)
	}
	if err != nil {
		return r.unlessEnded(ctx, id, job, fmt.Errorf("retrieve: range %d: %w", job.Range, orUnavailable(err)))
	}
	d := rangeDone{Index: job.Range, Parts: w.parts, Bytes: w.written}
	switch {
	case len(rt.Ranges) == 1:
		d.Head, d.Sha256 = w.head, w.Sha256()
	case job.Range == 0:
		d.Head, d.HashState = w.head, w.hashState()
	}
	var last bool
	u, _, err = r.change(ctx, id, job.PackageID, func(p *pkg) bool {
		rt := p.retrievalOf(job.FileID)
		if ended(p.Files[p.fileAt(job.FileID)]) || rt.done(job.Range) {
			last = false
			return false
		}
		rt.Done = append(rt.Done, d)
		last = len(rt.Done) == len(rt.Ranges)
		return true
	})
	if err != nil || u == nil || !last {
		return err
	}
	return r.finish(ctx, id, job.PackageID, job.FileID)
}

// unlessEnded returns err, unless the job's file got an end state
// meanwhile (another range failed it, and aborted the write this range
// was writing to) or another delivery of the job wrote the range (and
// the write was completed under it): then the job is done.
func (r *Retriever) unlessEnded(ctx context.Context, id string, job FileJob, err error) error {
	u, i, rerr := r.read(ctx, id, job.PackageID)
	if rerr != nil || u == nil {
		return err
	}
	p := &u.st.Packages[i]
	if j := p.fileAt(job.FileID); j >= 0 && ended(p.Files[j]) {
		return nil
	}
	if rt := p.retrievalOf(job.FileID); rt != nil && rt.done(job.Range) {
		return nil
	}
	return err
}

// fileRef returns what reading file fileID of p takes: its package code
// and keycode from the stored link, the package's server secret read
// from SendSafely, and the trusted key.
func (r *Retriever) fileRef(ctx context.Context, p pkg, fileID string) (FileRef, TrustedKey, error) {
	key, err := r.trusted(ctx)
	if err != nil {
		return FileRef{}, TrustedKey{}, err
	}
	lp, err := r.s.dz.ParseLink(p.Link)
	if err != nil {
		return FileRef{}, TrustedKey{}, fmt.Errorf("retrieve: stored link: %w", err)
	}
	details, err := r.s.ss.Package(ctx, key, p.PackageID)
	if err != nil {
		return FileRef{}, TrustedKey{}, fmt.Errorf("retrieve: read package: %w", unavailable(err))
	}
	return FileRef{PackageID: p.PackageID, FileID: fileID, PackageCode: lp.PackageCode, KeyCode: lp.KeyCode,
		ServerSecret: details.ServerSecret}, key, nil
}

// begin returns the multipart write of rt's staging key, beginning it if
// no range has. Two ranges that begin at once both write their id; the
// one stored wins, and the other's write is aborted. It returns "" if the
// file got an end state meanwhile.
func (r *Retriever) begin(ctx context.Context, id, packageID string, rt retrieval) (string, error) {
	if rt.WriteID != "" {
		return rt.WriteID, nil
	}
	mine, err := r.objs.Begin(ctx, rt.Staging)
	if err != nil {
		return "", fmt.Errorf("retrieve: begin: %w", orUnavailable(err))
	}
	var stored string
	u, _, err := r.change(ctx, id, packageID, func(p *pkg) bool {
		cur := p.retrievalOf(rt.FileID)
		if ended(p.Files[p.fileAt(rt.FileID)]) {
			stored = ""
			return false
		}
		if cur.WriteID == "" {
			cur.WriteID = mine
		}
		stored = cur.WriteID
		return stored == mine
	})
	if err != nil || u == nil || stored != mine {
		// Best effort: an incomplete write left behind is removed by the
		// bucket's lifecycle rule after a day.
		_ = r.objs.Abort(ctx, rt.Staging, mine)
	}
	if err != nil || u == nil {
		return "", err
	}
	return stored, nil
}
