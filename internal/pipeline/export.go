package pipeline

import (
	"context"
	"fmt"
	"os"

	"github.com/wrapup/wrapup/archive"
	"github.com/wrapup/wrapup/archive/slackapi"
	"github.com/wrapup/wrapup/archive/slackexport"
)

// export fetches the channel and writes the verified archive, or, on a
// rerun, reads the archive an earlier run verified if the channel has
// nothing newer.
func (r *runner) export(ctx context.Context) error {
	if r.rec.Done(StepExport) {
		if _, err := slackexport.Verify(r.archiveDir(), &r.rec.Counts); err == nil {
			a, err := slackexport.ReadChannel(r.archiveDir(), r.info.ID, slackexport.Options{})
			if err != nil {
				return err
			}
			stale, err := r.newSince(ctx, lastTS(a))
			if err != nil {
				return err
			}
			if !stale {
				r.arc, r.res.Counts = a, r.rec.Counts
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

// fetch exports the channel into the archive folder and verifies it.
func (r *runner) fetch(ctx context.Context) error {
	var ckpt string
	if !r.DryRun {
		if err := os.MkdirAll(r.dir, 0o700); err != nil {
			return err
		}
		ckpt = r.dir
	}
	res, err := r.Slack.Export(ctx, r.info.ID, slackapi.ExportOptions{
		Files: r.cfg.Export.Files, MaxFileBytes: int64(r.cfg.Export.MaxFileMB) << 20, CheckpointDir: ckpt,
		NoJoin: r.DryRun})
	if err != nil {
		return err
	}
	for _, n := range res.Notes {
		r.note("%s", n)
	}
	r.arc, r.res.Counts, r.rec.Counts = res.Archive, res.Counts, res.Counts
	if r.DryRun {
		fmt.Fprintf(r.Plan, "would write the archive: %d messages, %d replies, %d users, %d files\n",
			res.Counts.Messages, res.Counts.Replies, res.Counts.Users, res.Counts.Files)
		return nil
	}
	_, err = slackapi.Save(r.archiveDir(), res, r.Tool)
	return err
}

// newSince reports whether the channel holds a message or a thread reply
// newer than last that the archive lacks; wrapup's own wrap-up message
// aside. One call: the newest top-level messages carry their threads'
// latest_reply.
func (r *runner) newSince(ctx context.Context, last archive.TS) (bool, error) {
	msgs, err := r.Slack.Recent(ctx, r.info.ID, 200)
	if err != nil {
		return false, err
	}
	for _, m := range msgs {
		if m.TS == r.rec.LedgerTS && m.TS != 0 {
			continue
		}
		if m.TS > last || m.LatestReply > last {
			return true, nil
		}
	}
	return false, nil
}

// lastTS is the newest ts in the archive, replies included.
func lastTS(a *archive.Archive) archive.TS {
	var last archive.TS
	for m := range a.All() {
		last = max(last, m.TS)
	}
	return last
}
