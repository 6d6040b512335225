package connector

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
)

// deliverFiles sends the Ready files of the package of ev (an
// upload.stored or upload.scanned) that have no Callback yet to the file
// callback, one after another, and records each answer on its file. Only
// ids are taken from ev, as Deliver does. A file over the size limit, or
// whose stored content changed, is recorded as not sent. It returns
// ErrUnavailable if a send failed in a way worth retrying, or an answer
// could not be recorded: the delivery is then tried again, and sends only
// what has no Callback recorded (a file whose answer was lost is sent
// again, under the same webhook-id, for the receiver to deduplicate).
func (d *Deliverer) deliverFiles(ctx context.Context, ev Event) (Delivery, error) {
	id, ok := canonicalID(strings.TrimSpace(ev.UploadID))
	if !ok || ev.PackageID == "" {
		return Delivery{}, fmt.Errorf("%w: deliver files: the event names no upload id or package id", ErrInvalid)
	}
	if d.h.Files == nil {
		return Delivery{Skipped: SkipNoTarget}, nil
	}
	u, i, err := d.s.readPackage(ctx, "deliver files", id, ev.PackageID)
	if err != nil {
		return Delivery{}, err
	}
	if u == nil {
		return Delivery{Skipped: SkipExpired}, nil
	}
	p := u.st.Packages[i]
	if ev.ID != "" && ev.ID != u.keys.eventID(ev.Type, p.PackageID) {
		return Delivery{}, fmt.Errorf("%w: deliver files: the event's id is not that of the stored package's %s", ErrInvalid, ev.Type)
	}
	due := unsentReady(p)
	if len(due) == 0 {
		return Delivery{Skipped: SkipNoReadyFile}, nil
	}
	ks, err := d.s.keySet(ctx)
	if err != nil {
		return Delivery{}, fmt.Errorf("deliver files: %w", err)
	}
	if ks.CallbackSecret == "" {
		return Delivery{}, fmt.Errorf("deliver files: %w: the callback secret is not configured", ErrUnavailable)
	}
	chat := u.st.ConversationID
	if chat == "" {
		chat = p.PackageID
	}
	webhook := u.keys.eventID(EventSubmitted, p.PackageID) + "."
	var out Delivery
	var errs []error
	for _, f := range due {
		cb, err := d.sendFile(ctx, FilePost{WebhookID: webhook + f.ID, ChatID: chat, PackageID: p.PackageID,
			FileID: f.ID, Name: f.Name, Type: f.Type, Size: f.Size, Sha256: f.Sha256}, p.retrievalOf(f.ID), ks.CallbackSecret)
		if err != nil {
			out.Files.Failed++
			errs = append(errs, err)
			continue
		}
		if cb.Error != "" {
			out.Files.Refused++
		} else {
			out.Files.Sent++
		}
		if err := d.recordCallback(ctx, id, p.PackageID, f.ID, cb); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return out, fmt.Errorf("%w: deliver files: %w", ErrUnavailable, err)
	}
	return out, nil
}

// unsentReady returns the files of p that are Ready and have no Callback.
func unsentReady(p pkg) []File {
	var out []File
	for _, f := range p.Files {
		if ok, _ := f.Ready(); ok && f.Callback == nil {
			out = append(out, f)
		}
	}
	return out
}

// sendFile sends post, whose object retrieval wrote as rt, or says why it
// is not sent: too large, or its content changed since it was stored.
func (d *Deliverer) sendFile(ctx context.Context, post FilePost, rt *retrieval, secret Secret) (FileCallback, error) {
	if post.Size > d.h.FileMaxSize {
		return FileCallback{Error: CallbackTooLarge}, nil
	}
	if rt == nil || rt.Key == "" {
		return FileCallback{Error: CallbackNoObject}, nil
	}
	key := rt.Key
	post.Open = func(ctx context.Context) (io.ReadCloser, error) {
		rc, _, err := d.s.objs.Open(ctx, key, 0)
		return rc, err
	}
	cb, err := d.h.Files.SendFile(ctx, post, secret)
	switch {
	case errors.Is(err, ErrCorrupt):
		return FileCallback{Error: CallbackChanged}, nil
	case errors.Is(err, ErrNotFound):
		// Gone from the store (expired, deleted): it will not come back.
		return FileCallback{Error: CallbackNoObject}, nil
	}
	return cb, err
}

// recordCallback records cb as file fileID's Callback, unless one is
// recorded already (another delivery's).
func (d *Deliverer) recordCallback(ctx context.Context, id, packageID, fileID string, cb FileCallback) error {
	_, _, err := d.s.changePackage(ctx, "deliver files", id, packageID, writeAttempts, func(p *pkg) bool {
		j := p.fileAt(fileID)
		if j < 0 || p.Files[j].Callback != nil {
			return false
		}
		c := cb
		p.Files[j].Callback = &c
		return true
	})
	return err
}

// GiveUpFiles ends the file callback of ev's package after its last
// attempt failed: every Ready file still without a Callback is recorded
// as not delivered, so the manifest shows it (the delivery's message goes
// to the dead-letter queue, whose alarm tells the operator). It returns
// ErrInvalid for an event without ids, ErrUnavailable if the store fails.
func (d *Deliverer) GiveUpFiles(ctx context.Context, ev Event) error {
	id, ok := canonicalID(strings.TrimSpace(ev.UploadID))
	if !ok || ev.PackageID == "" {
		return fmt.Errorf("%w: give up files: the event names no upload id or package id", ErrInvalid)
	}
	_, _, err := d.s.changePackage(ctx, "give up files", id, ev.PackageID, writeAttempts, func(p *pkg) bool {
		changed := false
		for j, f := range p.Files {
			if ok, _ := f.Ready(); ok && f.Callback == nil {
				p.Files[j].Callback = &FileCallback{Error: CallbackNotDelivered}
				changed = true
			}
		}
		return changed
	})
	return err
}
