package pipeline

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/wrapup/wrapup/archive/slackapi"
	"github.com/wrapup/wrapup/internal/folder"
)

// archivedAlready settles a run on a channel that is archived already
// (DESIGN "Idempotency"). Slack removed the app from it when it was
// archived, so it can be neither read nor joined: the run is done where
// the local record shows wrapup archived it, and otherwise fails with the
// two ways on.
func (r *runner) archivedAlready() error {
	rec := filepath.Join(r.dir, folder.RecordName)
	switch {
	case r.rec.Archived || r.rec.Complete:
		r.note("already wrapped up: #%s is archived and %s is complete", r.info.Name, rec)
	case r.rec.ArchiveAsked != nil:
		// The last run verified the archive and asked Slack to archive
		// the channel, and stopped before it could write down the answer.
		r.rec.Archived, r.rec.Complete = true, true
		if err := r.done(StepArchive); err != nil {
			return err
		}
		r.note("#%s is archived, and %s shows that wrapup asked for it at %s: the wrap-up is complete",
			r.info.Name, rec, r.rec.ArchiveAsked.Format(time.RFC3339))
	default:
		how, from := "no record of a run in "+r.OutDir, "EXPORT"
		if r.rec.Channel.ID != "" {
			how = rec + " does not show it archived"
		}
		if r.rec.Done(StepExport) {
			from = r.archiveDir() // verified by the run that wrote it
		} else {
			from = "EXPORT (a Slack export of the channel)"
		}
		return fmt.Errorf("%w: #%s was archived, but not by wrapup (%s). Slack removed the %s app from it when it was archived, so it can be neither read nor joined. Two ways on: unarchive #%s in Slack and run wrapup again; or run `wrapup render --from %s` for the postmortem, and file its action items by hand",
			slackapi.ErrArchived, r.info.Name, how, appName, r.info.Name, from)
	}
	r.res.AlreadyDone, r.rec.Archived = true, true // the channel is, whoever archived it
	return nil
}

// appName is the app's name in advice to users.
const appName = "wrapup"

// ErrArchivedMidway stops a run whose channel was archived while it
// worked: by another run, or by a person.
var ErrArchivedMidway = errors.New("the channel was archived while this run worked on it")

// stepError wraps a step's failure. Slack answers a run whose channel was
// archived under it with not_in_channel or is_inactive; that is said
// plainly, once conversations.info confirms it.
func (r *runner) stepError(ctx context.Context, step string, err error) error {
	switch slackapi.Code(err) {
	case "not_in_channel", "is_inactive", "is_archived", "channel_is_archived":
		if info, ierr := r.Slack.Info(ctx, r.info.ID); ierr == nil && info.Archived {
			return fmt.Errorf("%s: %w: #%s was archived by another wrapup run or by a person; this run stops (run again: a run that finds wrapup's record complete says so): %w",
				step, ErrArchivedMidway, r.info.Name, err)
		}
	}
	if strings.HasPrefix(err.Error(), step+" ") || strings.HasPrefix(err.Error(), step+":") {
		return err // it names the operation already: "export #incident-…: …"
	}
	return fmt.Errorf("%s: %w", step, err)
}
