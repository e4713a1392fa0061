package pipeline

import (
	"context"
	"slices"

	"github.com/wrapup/wrapup/archive"
	"github.com/wrapup/wrapup/archive/slackapi"
	"github.com/wrapup/wrapup/archive/slackexport"
)

// export fetches the channel and writes the verified archive, or, on a
// rerun, reads the archive an earlier run verified if the channel has
// nothing newer.
func (r *runner) export(ctx context.Context) error {
	defer r.noteSlackLimits()
	if r.rec.Done(StepExport) {
		// Verify reads the archive back: that copy is the one reused.
		if _, a, err := slackexport.VerifyRead(r.archiveDir(), &r.rec.Counts); err == nil {
			live, err := r.Slack.TopLevel(ctx, r.info.ID)
			if err != nil {
				return err
			}
			if !r.changed(live, a) {
				r.arc, r.history = a, live
				r.note("reusing the archive verified by an earlier run")
				return nil
			}
			r.note("the channel has messages newer than the earlier archive; exporting again")
		} else {
			r.note("the earlier archive does not verify; exporting again")
		}
	}
	return r.fetch(ctx)
}

// noteSlackLimits adds what the Slack client noticed about the app's
// limits (a distributed app's 1 call a minute) to the run's notes, once:
// they say why the run was slow and how to lift the limits. The client
// logged it already, so it is not logged twice.
func (r *runner) noteSlackLimits() {
	for _, n := range r.Slack.Notes() {
		if !slices.Contains(r.res.Notes, n) {
			r.res.Notes = append(r.res.Notes, n)
		}
	}
}

// fetch exports the channel into the archive folder and verifies it.
func (r *runner) fetch(ctx context.Context) error {
	ckpt, err := r.files.Checkpoints(r.dir)
	if err != nil {
		return err
	}
	// The run read conversations.info a moment ago, and a sweep the
	// newest history page: the export asks for neither again. A second
	// export (late messages) reads everything afresh.
	first := r.FirstPage
	r.FirstPage = nil
	res, err := r.Slack.Export(ctx, r.info.ID, slackapi.ExportOptions{
		Files: r.cfg.Export.Files, MaxFileBytes: int64(r.cfg.Export.MaxFileMB) << 20, CheckpointDir: ckpt,
		NoJoin: r.DryRun, Progress: r.Progress, Info: &r.info, FirstPage: first})
	if err != nil {
		return err
	}
	for _, n := range res.Notes {
		r.note("%s", n)
	}
	r.arc, r.rec.Counts = res.Archive, res.Counts
	r.history = slices.Clone(res.Archive.Messages)
	slices.Reverse(r.history)
	return r.files.SaveArchive(r.archiveDir(), res.Archive, res.Counts, r.archiveOptions())
}

// changed reports whether live, the channel's top-level history read now
// ([slackapi.Client.TopLevel]), holds what the archive a lacks: a
// top-level message it does not have, a thread whose latest reply is newer
// than the archive's, or an edit it does not show. The whole top-level
// history is read (pages of 999): every thread parent carries its
// latest_reply, so a late reply in an old thread shows too. Edits to
// replies are the one change this cannot see.
func (r *runner) changed(live []*archive.Message, a *archive.Archive) bool {
	// Replies too: a thread_broadcast is a reply in the archive and a
	// top-level message in history.
	have := map[archive.TS]*archive.Message{}
	for m := range a.All() {
		have[m.TS] = m
	}
	for _, m := range live {
		old, ok := have[m.TS]
		own := m.TS == r.rec.LedgerTS && m.TS != 0
		switch {
		case !ok && own:
			// wrapup's message, not added yet: only replies to it count.
			if m.LatestReply != 0 {
				return true
			}
		case !ok:
			return true
		case m.LatestReply > old.LatestReply:
			return true
		case !own && editedAt(m) != editedAt(old):
			return true
		}
	}
	return false
}

func editedAt(m *archive.Message) archive.TS {
	if m.Edited == nil {
		return 0
	}
	return m.Edited.TS
}

// archiveOptions are how the run writes its archive: the tool's name and
// the workspace the channel came from, in the manifest.
func (r *runner) archiveOptions() slackexport.WriteOptions {
	return slackexport.WriteOptions{Tool: r.Tool, WorkspaceURL: r.workspace}
}
