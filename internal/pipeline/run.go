package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/wrapup/wrapup/archive"
	"github.com/wrapup/wrapup/archive/slackapi"
	"github.com/wrapup/wrapup/internal/config"
	"github.com/wrapup/wrapup/internal/folder"
	"github.com/wrapup/wrapup/publish"
	"github.com/wrapup/wrapup/redact"
	"github.com/wrapup/wrapup/render"
	"github.com/wrapup/wrapup/timeline"
	"github.com/wrapup/wrapup/trackers"
)

// Options are one run's inputs.
type Options struct {
	Config  *config.Config
	Channel string // ID or name
	OutDir  string // where incident folders go; "" means output.dir
	Formats []string
	// Templates overrides output.templates when set.
	Templates string

	DryRun  bool // fetch and plan; write nothing anywhere
	NoClose bool // stop before archiving the channel
	Force   bool // close an unresolved incident; overwrite edited postmortems

	Slack *slackapi.Client
	// Tracker builds the tracker once the channel is known; nil files
	// nothing, as tracker.kind none does.
	Tracker TrackerFactory
	// FirstPage is the channel's newest history page, when the caller
	// (a sweep deciding whether the channel is resolved) has just read
	// it: the export starts from it.
	FirstPage *slackapi.HistoryPage
	// Publisher proposes the postmortem as a pull request
	// (publish.github); nil publishes nothing. PublishExtra adds files to
	// its commit (the library's index.md).
	Publisher    *publish.Publisher
	PublishExtra PublishExtra

	// Progress, when set, is told how the export is going (see
	// slackapi.Reporter: a line on a terminal, else a log line now and then).
	Progress func(slackapi.Progress)

	Tool string       // "wrapup v1.2.3", recorded in every output
	Log  *slog.Logger // progress; nil discards
	Plan io.Writer    // where a dry run prints its plan; nil discards

	// One run at a time (DESIGN): Host names this machine in the claim
	// ("" means the hostname); LockDir holds the per-channel lock files
	// ("" means LockDir()). Heartbeat is how often the claim is refreshed
	// (0 means every 45s), and Settle how long a run waits before reading
	// back a claim it took over (0 means 2s).
	Host, LockDir     string
	Heartbeat, Settle time.Duration
	Now               func() time.Time // the claim's and the intents' clock; nil means time.Now
	// Sleep waits out the tracker's search lag (tracker.jira.search_lag)
	// before a rerun files an item an earlier run meant to create; nil
	// means trackers.Sleep. Tests scale it with Now.
	Sleep func(ctx context.Context, d time.Duration) error

	// Closed, when set, is called after a run that wrote (not a dry run,
	// not one that found the work already done) finished every step, with
	// the output folder: run and sweep refresh the library's index there
	// (index.enabled). Its error becomes a note in the result and does not
	// fail the run: the incident is closed either way.
	Closed func(ctx context.Context, outDir string) error
}

// Ticket is one action item's fate.
type Ticket struct {
	Key     string          `json:"key"`
	Summary string          `json:"summary"`
	Status  trackers.Status `json:"status"`
	Tracker string          `json:"tracker,omitempty"`
	ID      string          `json:"id,omitempty"`
	URL     string          `json:"url,omitempty"`
	Error   string          `json:"error,omitempty"`
	// Unassigned says why the ticket was filed without its assignee
	// ("@alice could not be assigned in OPS"), when this run filed it so.
	Unassigned string `json:"unassigned,omitempty"`
}

// Result is what a run did, for the summary and --json.
type Result struct {
	Channel     string         `json:"channel"`
	ChannelID   string         `json:"channel_id"`
	Dir         string         `json:"dir"`
	Counts      archive.Counts `json:"counts"`
	Title       string         `json:"title,omitempty"`
	Status      string         `json:"status,omitempty"`
	Severity    string         `json:"severity,omitempty"`
	Tickets     []Ticket       `json:"tickets"`
	Postmortem  string         `json:"postmortem,omitempty"`
	Files       []string       `json:"files,omitempty"`
	LedgerTS    string         `json:"ledger_ts,omitempty"`
	Archived    bool           `json:"archived"`
	AlreadyDone bool           `json:"already_done,omitempty"`
	DryRun      bool           `json:"dry_run,omitempty"`
	Notes       []string       `json:"notes,omitempty"`
	// PullRequest is the postmortem's pull request (publish.github), and
	// Publish what the publish step did.
	PullRequest string           `json:"pull_request,omitempty"`
	Publish     *publish.Outcome `json:"publish,omitempty"`
}

// ErrNotResolved stops a run on an incident its timeline does not show
// resolved, unless forced: closing a live incident's channel would hurt.
var ErrNotResolved = errors.New("the incident is not resolved")

// errLateMessages says messages arrived after the export: the archive was
// fetched again, and the steps after the export must see it.
var errLateMessages = errors.New("messages arrived after the export")

// maxRedo bounds how often a busy channel sends a run back to the timeline;
// past it the run fails and the channel stays open for the next run.
const maxRedo = 3

// runner is one run in progress.
type runner struct {
	Options
	cfg *config.Config
	log *slog.Logger
	res *Result
	rec *folder.Record
	dir string
	arc *archive.Archive
	// history is the channel's top-level messages as last read from
	// Slack, newest first, metadata included: the export's, or the
	// late-message check's when an earlier archive was reused.
	history []*archive.Message
	tl      *timeline.Timeline
	ledger  *slackLedger
	red     *redact.Redactor
	failed  int
	// halt is why filing stopped before every item was filed (a
	// trackers.HaltError), for the run's error.
	halt error
	info archive.Channel
	// workspace is the workspace URL, from auth.test or the config.
	workspace string

	claim         claim
	warnedForeign bool
	// writes is where the run changes Slack: the client, or a dry run's
	// plan (plan is that plan, for the channel names it prints).
	writes slackWrites
	plan   *slackPlan
	// files is where the run writes into its folder: the disk, or a dry
	// run's plan.
	files folderWrites
}

// Run runs the pipeline on one channel: DESIGN's steps, in order, each
// recorded in wrapup.json so that a rerun continues where a run stopped.
func Run(ctx context.Context, opts Options) (*Result, error) {
	r := &runner{Options: opts, cfg: opts.Config, log: opts.Log, res: &Result{DryRun: opts.DryRun}}
	if r.log == nil {
		r.log = slog.New(slog.DiscardHandler)
	}
	if r.Plan == nil {
		r.Plan = io.Discard
	}
	if r.OutDir == "" {
		r.OutDir = r.cfg.Output.Dir
	}
	if r.LockDir == "" {
		r.LockDir = LockDir()
	}
	if r.Heartbeat <= 0 {
		r.Heartbeat = heartbeatEvery
	}
	if r.Settle <= 0 {
		r.Settle = 2 * time.Second
	}
	r.claim = newClaim(r.Host, r.cfg.Close.ClaimTTL, r.Now)
	r.writes, r.files = r.Slack, disk{}
	if r.DryRun {
		r.plan = newSlackPlan(r.Plan, r.claim.now)
		r.writes, r.files = r.plan, folderPlan{r.Plan}
	}
	var err error
	if r.red, err = redact.New(r.cfg.Redact.Builtin, r.cfg.Redact.Patterns); err != nil {
		return nil, err
	}
	ctx, lose := context.WithCancelCause(ctx)
	defer lose(nil)
	err = r.run(ctx, lose)
	if cause := context.Cause(ctx); errors.Is(cause, ErrClaimed) {
		err = cause // another run took the channel over: that is why this one stopped
	}
	if err == nil && r.Closed != nil && !r.DryRun && !r.res.AlreadyDone {
		if cerr := r.Closed(ctx, r.OutDir); cerr != nil {
			r.note("the library's index was not refreshed: %v", cerr)
		}
	}
	r.releaseClaim(errors.Is(err, ErrClaimed))
	r.res.Dir = r.dir
	r.res.fromRecord(r.rec)
	return r.res, err
}

// fromRecord fills in what the result says that the record keeps: the run
// writes these to the record only, so the two cannot disagree.
func (res *Result) fromRecord(rec *folder.Record) {
	if rec == nil {
		return
	}
	// A dry run plans the archiving; it says archived only of a channel
	// that was archived before it.
	res.Counts, res.Postmortem = rec.Counts, rec.Postmortem
	if rec.Published != nil {
		res.PullRequest = rec.Published.URL
	}
	res.Archived = rec.Archived && (!res.DryRun || res.AlreadyDone)
	if rec.LedgerTS != 0 {
		res.LedgerTS = rec.LedgerTS.String()
	}
}

func (r *runner) run(ctx context.Context, lose func(error)) error {
	// A second run on this machine stops here, before it calls Slack.
	unlock, err := r.lock(r.Channel)
	if err != nil {
		return err
	}
	defer unlock()
	id, err := r.Slack.Resolve(ctx, r.Channel)
	if err != nil {
		return err
	}
	if id != r.Channel {
		unlockID, err := r.lock(id)
		if err != nil {
			return err
		}
		defer unlockID()
	}
	if r.info, err = r.Slack.Info(ctx, id); err != nil {
		return err
	}
	r.res.ChannelID, r.res.Channel = id, r.info.Name
	// The workspace's URL (auth.test's, else slack.workspace_url) is the
	// base of permalinks, and the archive records it.
	r.workspace = r.cfg.Slack.WorkspaceURL
	if url, err := r.Slack.WorkspaceURL(ctx); err == nil && url != "" {
		r.workspace = url
	}
	if r.plan != nil {
		r.plan.name(id, r.info.Name)
	}
	if err := r.openFolder(); err != nil {
		return err
	}
	if r.info.Archived {
		return r.archivedAlready()
	}
	if r.Tracker != nil {
		// A tracker that cannot be built (a missing token) fails the run
		// now, before anything is posted in the channel.
		if _, _, err := r.Tracker(r.info.Name, ""); err != nil {
			return err
		}
	}
	if r.rec.Complete && (r.NoClose || !r.cfg.Close.ArchiveChannel) {
		r.res.AlreadyDone = true
		r.note("already wrapped up: %s is complete", filepath.Join(r.dir, folder.RecordName))
		return nil
	}
	steps := []struct {
		name string
		fn   func(context.Context) error
	}{
		{StepExport, r.export},
		{StepTimeline, r.timeline},
		{StepLedger, func(ctx context.Context) error { return r.ledgerMessage(ctx, lose) }},
		{StepFile, r.file},
		{StepRender, r.render},
		{StepPublish, r.published},
		{StepUpdate, r.update},
		{StepArchive, r.archive},
	}
	redo := 0
	for i := 0; i < len(steps); i++ {
		step := steps[i]
		r.log.Info("step", "step", step.name, "channel", r.res.Channel)
		err := step.fn(ctx)
		if errors.Is(err, errLateMessages) && redo < maxRedo {
			// The archive was fetched again: its new messages may hold
			// action items or change the story, so everything after the
			// export is done again, idempotently, before closing.
			redo++
			i = 0 // the export's index: the loop goes on with the timeline
			continue
		}
		if err != nil {
			return r.stepError(ctx, step.name, err)
		}
		if err := r.done(step.name); err != nil {
			return err
		}
	}
	return nil
}

func (r *runner) note(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	r.res.Notes = append(r.res.Notes, msg)
	r.log.Info(msg)
}

// openFolder finds the incident folder a previous run used, by channel ID,
// or names a new one; the folder's date is the declaration's and is only
// known after the timeline step, so a new run works in a staging folder.
func (r *runner) openFolder() error {
	var err error
	r.dir, r.rec, err = folder.Open(r.OutDir, r.info.ID, r.info.Name)
	return err
}

// done records a finished step in wrapup.json (not in a dry run).
func (r *runner) done(step string) error {
	r.rec.Schema, r.rec.Tool = folder.RecordSchema, r.Tool
	r.rec.Channel = folder.RecordChannel{ID: r.info.ID, Name: r.info.Name}
	r.rec.Steps[step] = time.Now().UTC().Truncate(time.Second)
	return r.files.SaveRecord(r.rec, r.recPath())
}

// recPath is the run record's path, wrapup.json in the incident folder.
func (r *runner) recPath() string { return filepath.Join(r.dir, folder.RecordName) }

func (r *runner) archiveDir() string { return filepath.Join(r.dir, "archive") }

// timeline builds the timeline, refuses an unresolved incident, and moves a
// new run's staging folder to its final name.
func (r *runner) timeline(ctx context.Context) error {
	var err error
	if r.tl, err = BuildTimeline(r.cfg, r.arc, r.workspace, false); err != nil {
		return err
	}
	inc := r.tl.Incident
	// The title goes to stdout, --json and CI logs: redacted, as in the
	// documents.
	r.res.Title, r.res.Status, r.res.Severity = r.red.String(inc.Title), r.red.String(inc.Status), r.red.String(inc.Severity)
	if inc.Status != timeline.StatusResolved && !r.Force && !r.NoClose {
		return fmt.Errorf("%w: #%s's timeline says %q; wrapup closes resolved incidents only (pass --force to close it anyway, or --no-close to write the postmortem and keep the channel open)",
			ErrNotResolved, r.info.Name, orNone(inc.Status))
	}
	final := filepath.Join(r.OutDir, folder.Name(r.arc, r.tl))
	if r.dir != final {
		if err := r.files.Promote(r.dir, final, r.info.ID); err != nil {
			return err
		}
	}
	r.dir = final
	return nil
}

func orNone(s string) string {
	if s == "" {
		return "no status at all"
	}
	return s
}

// summary says what the wrap-up message says at this point of the run.
func (r *runner) summary(tickets []timeline.Ticket, final bool) Summary {
	s := Summary{Final: final, Tickets: tickets, Failed: r.failed}
	if r.tl != nil {
		s.Found = len(r.tl.ActionItems)
		inc := r.tl.Incident
		s.Title, s.Severity, s.Status = r.red.String(inc.Title), inc.Severity, inc.Status
		if inc.DeclaredAt != nil && inc.ResolvedAt != nil && inc.ResolvedAt.After(*inc.DeclaredAt) {
			s.Duration = inc.ResolvedAt.Sub(*inc.DeclaredAt)
		}
	}
	s.Postmortem = r.postmortemLink()
	if r.rec != nil && r.rec.Published != nil {
		s.PullRequest = r.rec.Published.URL
	}
	s.Archiving = final && r.closes()
	return s
}

func (r *runner) closes() bool { return !r.NoClose && r.cfg.Close.ArchiveChannel }

func (r *runner) postmortemLink() string {
	name := render.HTMLFile
	if !slices.Contains(r.formats(), "html") {
		name = render.MarkdownFile
	}
	if base := strings.TrimRight(r.cfg.Output.LinkBase, "/"); base != "" {
		return base + "/" + filepath.Base(r.dir) + "/" + name
	}
	// Without link_base, the published document is the postmortem's link.
	if u := r.publishedLink(); u != "" {
		return u
	}
	return filepath.Join(r.dir, name)
}

func (r *runner) formats() []string {
	if len(r.Formats) > 0 {
		return r.Formats
	}
	return r.cfg.Output.Formats
}
