package connector

import (
	"context"
	"fmt"
)

// settleStored publishes package packageID's upload.stored once every
// file it retrieves has an end state: once in the success path, at least
// once whatever fails, as upload.submitted is.
func (r *Retriever) settleStored(ctx context.Context, id, packageID string) error {
	return r.settle(ctx, id, packageID, EventStored,
		func(p *pkg) *publication { return &p.StoredEvent },
		(*pkg).retrievalsEnded,
		func(u *upload, p pkg) Event {
			ev := r.s.event(u.keys.eventID(EventStored, packageID), EventStored, u.id, u.st.ConversationID, p)
			ev.Files = r.storedFiles(p)
			return ev
		})
}

// settle publishes one event of package packageID that goes out once, when
// due reports that its time has come: the request that claims it (a
// version-checked write of the publication that of picks) publishes the
// event build makes; another that finds it claimed leaves it to the
// claim's holder, whose own job is tried again if it fails, and takes it
// over once the claim has lapsed.
func (r *Retriever) settle(ctx context.Context, id, packageID, typ string, of func(*pkg) *publication,
	due func(*pkg) bool, build func(*upload, pkg) Event) error {
	now := r.s.now()
	var mine string
	u, i, err := r.change(ctx, id, packageID, func(p *pkg) bool {
		ev := of(p)
		if ev.Published || now.Before(ev.ClaimedUntil) || !due(p) {
			mine = ""
			return false
		}
		var claim pkg
		claim.claim(now.Add(r.s.claimLease()))
		ev.Claim, ev.ClaimedUntil = claim.Claim, claim.ClaimedUntil
		mine = ev.Claim
		return true
	})
	if err != nil || u == nil || mine == "" {
		return err
	}
	perr := r.s.pub.Publish(ctx, build(u, u.st.Packages[i]))
	if _, _, err := r.change(ctx, id, packageID, func(p *pkg) bool {
		if of(p).Claim != mine {
			return false // lapsed and taken over: it is the other's now
		}
		*of(p) = publication{Published: perr == nil}
		return true
	}); err != nil && perr == nil {
		// The event is out; only the record failed. A later job may
		// publish it again once the claim lapses (at least once).
		return nil
	}
	if perr != nil {
		return fmt.Errorf("retrieve: publish %s: %w", typ, perr)
	}
	return nil
}

// retrievalsEnded reports whether p's retrieval was planned and every
// file it retrieves has an end state.
func (p *pkg) retrievalsEnded() bool {
	if len(p.Retrievals) == 0 {
		return false
	}
	for _, rt := range p.Retrievals {
		if j := p.fileAt(rt.FileID); j < 0 || !ended(p.Files[j]) {
			return false
		}
	}
	return true
}

// storedFiles lists the retrieved files of p as upload.stored does.
func (r *Retriever) storedFiles(p pkg) []EventFile {
	out := make([]EventFile, 0, len(p.Retrievals))
	for _, rt := range p.Retrievals {
		f := p.Files[p.fileAt(rt.FileID)]
		ef := r.eventFile(f)
		if f.Status == FileRejected {
			ef.Status = FileRejected
		}
		out = append(out, ef)
	}
	return out
}

// eventFile is f as upload.stored and upload.scanned list it: its
// retrieval state and where it went, its name only when events carry
// names.
func (r *Retriever) eventFile(f File) EventFile {
	ef := EventFile{ID: f.ID, Size: f.Size, Status: f.Stored, Sha256: f.Sha256, Location: f.Location}
	if r.s.set.EventsIncludeFileNames {
		ef.Name = f.Name
	}
	return ef
}

// storedAccepted returns p's retrieved files that are accepted and
// stored, in retrieval order.
func (p *pkg) storedAccepted() []File {
	var out []File
	for _, rt := range p.Retrievals {
		if f := p.Files[p.fileAt(rt.FileID)]; f.Stored == StoredDone && f.Status == FileAccepted {
			out = append(out, f)
		}
	}
	return out
}
