package pipeline

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/wrapup/wrapup/archive"
	"github.com/wrapup/wrapup/internal/folder"
	"github.com/wrapup/wrapup/render"
	"github.com/wrapup/wrapup/timeline"
	"github.com/wrapup/wrapup/trackers"
)

// file files the action items through the three ledgers: the tracker, the
// wrap-up message and wrapup.json. Secrets are redacted from what a ticket
// says; the archive keeps the raw text.
func (r *runner) file(ctx context.Context) error {
	items := r.tl.ActionItems
	r.res.Tickets, r.failed = nil, 0
	for i := range items {
		r.res.Tickets = append(r.res.Tickets, Ticket{Key: items[i].Key, Summary: r.red.Recut(items[i].Summary, items[i].Text)})
	}
	var svc trackers.Service
	concurrency := 1
	if r.Tracker != nil {
		var err error
		var link string
		if r.cfg.Output.LinkBase != "" || r.Publisher != nil {
			link = r.postmortemLink()
		}
		if svc, concurrency, err = r.Tracker(r.info.Name, link); err != nil {
			return err
		}
	}
	if svc == nil || len(items) == 0 {
		if len(items) > 0 {
			r.note("%d action items found; tracker.kind is none, so none was filed", len(items))
		}
		return nil
	}
	clean := make([]timeline.ActionItem, len(items))
	for i, it := range items {
		// The summary was cut before redaction: a secret straddling the
		// cut is found in the full text. Names are text from Slack too.
		it.Summary, it.Text = r.red.Recut(it.Summary, it.Text), r.red.String(it.Text)
		it.By, it.Assignee = r.red.String(it.By), r.red.String(it.Assignee)
		clean[i] = it
	}
	var ledgers []trackers.Ledger
	switch {
	case r.ledger != nil && r.info.Archived:
		// Someone archived the channel mid-way: its message can be read
		// but no longer edited, so it is a ledger to ask, not to write.
		ledgers = append(ledgers, trackers.ReadOnly(r.ledger))
	case r.ledger != nil:
		ledgers = append(ledgers, r.ledger)
	}
	ledgers = append(ledgers, &folder.Ledger{Path: r.recPath()})
	if r.ledger != nil {
		if err := r.ledger.check(ctx); err != nil {
			return err
		}
	}
	f := &trackers.Filer{Service: svc, Ledgers: ledgers, Concurrency: concurrency, Log: r.log,
		// Only a tracker whose lookups lag (Jira Cloud) waits; GitHub's
		// list by label and Data Center's search are consistent.
		SearchLag: r.cfg.Tracker.Jira.SearchLag, Now: r.Now, Sleep: r.Sleep,
		OnWait: func(keys []string, until time.Time) {
			r.note("waiting until %s before filing %d action items: an earlier run sent their create requests, and what it created may stay invisible to the tracker's search for tracker.jira.search_lag (%v)",
				until.UTC().Format(time.RFC3339), len(keys), r.cfg.Tracker.Jira.SearchLag)
		}}
	if r.DryRun {
		f, _ = f.DryRun(r.Plan)
	}
	outcomes, err := f.File(ctx, clean)
	if err != nil && outcomes == nil {
		// A ledger or the tracker's lookup failed before anything was
		// filed: nothing is known, so nothing may be closed.
		r.failed = len(items)
		return err // the step is named "file" already
	}
	if r.ledger != nil {
		// What an earlier run knew of its unassigned items, when the
		// output folder that recorded it is gone.
		for k, n := range r.ledger.ownerNotes() {
			if r.rec.Unassigned[k] == "" {
				r.rec.SetUnassigned(k, n)
			}
		}
	}
	unrecorded := 0
	for i, o := range outcomes {
		t := &r.res.Tickets[i]
		t.Status = o.Status
		if o.Ticket.ID != "" {
			t.Tracker, t.ID, t.URL = o.Ticket.Tracker, o.Ticket.ID, o.Ticket.URL
			ticket := o.Ticket
			r.tl.ActionItems[i].Ticket = &ticket
		}
		if o.Err != nil {
			t.Error = o.Err.Error()
		}
		if o.Unassigned != "" {
			t.Unassigned = o.Unassigned
			r.note("%s: %s; filed unassigned", o.Ticket.ID, o.Unassigned)
		}
		if o.OwnerNote != "" {
			r.rec.SetUnassigned(o.Key, o.OwnerNote)
			if r.ledger != nil {
				r.ledger.setOwnerNote(o.Key, o.OwnerNote)
			}
		}
		r.tl.ActionItems[i].Unassigned = r.rec.Unassigned[o.Key]
		if trackers.IsHalt(o.Err) && r.halt == nil {
			r.halt = o.Err
		}
		switch {
		case o.Status == trackers.StatusFailed:
			r.failed++
		case o.Err != nil:
			unrecorded++
		}
	}
	if r.halt != nil {
		r.log.Error("filing stopped; the channel stays open", "err", r.halt)
	}
	if err != nil && !r.DryRun {
		// Render and update the message anyway, so people see what was
		// filed; the channel stays open and the run fails at the end.
		if r.failed > 0 {
			r.note("%d of %d action items could not be filed: %v", r.failed, len(items), err)
		}
		if unrecorded > 0 {
			r.note("%d tickets were filed but not recorded in every ledger: %v", unrecorded, err)
			r.failed += unrecorded
		}
	}
	return nil
}

// render writes the postmortem, the timeline and the transcript with the
// tickets' links.
func (r *runner) render(ctx context.Context) error {
	opts := RenderOptions(r.cfg, r.red, r.workspace, r.Tool)
	opts.Formats, opts.Folder = r.formats(), filepath.Base(r.dir)
	if r.Templates != "" {
		opts.Templates = r.Templates
	}
	out, err := render.Render(r.arc, r.tl, opts)
	if err != nil {
		return err
	}
	w, err := r.files.WriteDocuments(r.dir, out.Files, r.Force)
	if err != nil {
		return err
	}
	for _, k := range w.Kept {
		r.note("%s was edited since wrapup wrote it: the new version is beside it (--force overwrites)", k)
	}
	r.res.Files = w.Files
	r.rec.Postmortem = r.postmortemLink()
	return nil
}

// update gives the wrap-up message its final text, and announces the
// incident in close.announce_channel.
func (r *runner) update(ctx context.Context) error {
	if err := r.updateMessage(ctx); err != nil {
		return err
	}
	return r.announce(ctx)
}

func (r *runner) updateMessage(ctx context.Context) error {
	if r.ledger == nil {
		return nil
	}
	return r.ledger.finish(ctx, r.summary(r.ticketList(), true).Text())
}

func (r *runner) ticketList() []timeline.Ticket {
	var out []timeline.Ticket
	for _, it := range r.tl.ActionItems {
		if it.Ticket != nil {
			out = append(out, *it.Ticket)
		}
	}
	return out
}

// errFilingFailed keeps a channel open when some items were not filed or
// not recorded.
var errFilingFailed = errors.New("some action items could not be filed or recorded; the channel stays open and a rerun will finish them")

// archive archives the channel: last, only when everything before it
// succeeded, and only after the archive on disk verifies again.
func (r *runner) archive(ctx context.Context) error {
	if r.halt != nil {
		return fmt.Errorf("%w: filing stopped at an item, before filing more: %w", errFilingFailed, r.halt)
	}
	if r.failed > 0 {
		return errFilingFailed
	}
	if !r.closes() {
		r.rec.Complete = true
		r.note("the channel is left open (%s)", map[bool]string{true: "--no-close", false: "close.archive_channel is false"}[r.NoClose])
		return nil
	}
	// One read of the channel's history serves both: wrapup's own
	// message joins the record in its final form, and whatever was posted
	// since the export (a late reply, a last word, an edit) goes into the
	// archive before the channel closes, and the steps after the export
	// see it. That read is the last thing before archiving.
	live, err := r.Slack.TopLevel(ctx, r.info.ID)
	if err != nil {
		return err
	}
	if err := r.keepOwnMessage(live); err != nil {
		return err
	}
	stale := r.changed(live, r.arc)
	read := time.Now().UTC()
	if stale {
		r.note("the channel changed after the export; exporting again before archiving")
		if err := r.fetch(ctx); err != nil {
			return err
		}
		if err := r.files.SaveRecord(r.rec, r.recPath()); err != nil {
			return err
		}
		return errLateMessages
	}
	if err := r.files.VerifyArchive(r.archiveDir(), &r.rec.Counts); err != nil {
		return fmt.Errorf("not archiving #%s: %w", r.info.Name, err)
	}
	if r.ledger != nil {
		if err := r.ledger.check(ctx); err != nil {
			return err
		}
	}
	if r.info.Archived {
		r.note("#%s was already archived", r.info.Name)
	} else {
		asked := time.Now().UTC().Truncate(time.Second)
		r.rec.ArchiveAsked = &asked
		if err := r.files.SaveRecord(r.rec, r.recPath()); err != nil {
			return err
		}
		note, err := r.writes.Archive(ctx, r.info.ID)
		if err != nil {
			return err
		}
		r.rec.ArchiveGap = &folder.Gap{From: read, To: time.Now().UTC(), Why: folder.ArchiveGapWhy}
		if note != "" {
			r.note("%s", note)
		}
	}
	r.rec.Archived, r.rec.Complete = true, true
	return nil
}

// keepOwnMessage puts the wrap-up message, in its final form, into the
// archive: wrapup's own messages stay in the record (they are left out of
// the timeline). It was posted after the export, or edited since a
// re-export, so it is taken from live (the channel's top-level history,
// read now) and replaces any copy the archive has; replies to it, if any,
// are the late-message check's to find.
func (r *runner) keepOwnMessage(live []*archive.Message) error {
	if r.rec.LedgerTS == 0 {
		return nil
	}
	var m *archive.Message
	for _, l := range live {
		if l.TS == r.rec.LedgerTS {
			m = l
			break
		}
	}
	if m == nil {
		return nil
	}
	flat := make([]*archive.Message, 0, r.rec.Counts.Messages+r.rec.Counts.Replies+1)
	for old := range r.arc.All() {
		if old.TS == m.TS {
			if old.Raw != nil && string(old.Raw) == string(m.Raw) {
				return nil // the archive has it as it is
			}
			continue
		}
		flat = append(flat, old)
	}
	r.arc.Messages, _ = archive.Thread(append(flat, m))
	counts, err := r.files.RewriteArchive(r.archiveDir(), r.arc, r.archiveOptions())
	if err != nil {
		return err
	}
	r.rec.Counts = counts
	return r.files.SaveRecord(r.rec, r.recPath())
}
