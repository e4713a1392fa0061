package slackapi

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/slack-go/slack"
	"github.com/wrapup/wrapup/archive"
)

// ExportOptions tune one export.
type ExportOptions struct {
	// Files downloads the bytes of hosted files, each up to MaxFileBytes
	// (0 means 100 MB); bigger, external and deleted files are skipped
	// with a note.
	Files        bool
	MaxFileBytes int64

	// NoJoin refuses to join a public channel the app is not in (a dry
	// run writes nothing, and a join is a visible write); the export then
	// fails with the advice to invite the app.
	NoJoin bool

	// CheckpointDir is where an interrupted export leaves its checkpoint
	// (see CheckpointName) and where a rerun finds it; "" turns
	// checkpoints off. CheckpointEvery bounds how often it is rewritten;
	// default 2s. A failed export always saves it before returning.
	CheckpointDir   string
	CheckpointEvery time.Duration

	// Concurrency is how many threads are fetched at once, within the
	// tier's budget; default 4.
	Concurrency int

	// Info, when set, is the channel's conversations.info the caller has
	// just read: the export does not ask again.
	Info *archive.Channel
	// FirstPage, when set, is the newest page of the channel's history
	// the caller has read (with [Client.LookBack]): the export starts
	// from it instead of asking for it again. Anything posted or edited
	// since is the late-message check's to find (see [Client.TopLevel]).
	FirstPage *HistoryPage

	// Progress, when set, is called every ProgressEvery (default 250ms)
	// and once at the end.
	Progress      func(Progress)
	ProgressEvery time.Duration
}

// Progress is a snapshot of a running export.
type Progress struct {
	Channel      string
	Messages     int // messages held so far, replies included
	ThreadsDone  int
	ThreadsTotal int // threads known so far; grows until history is done
	HistoryDone  bool
	Stats        Stats
	// Waiting is how long calls are held back by a rate limit, 0 when not.
	Waiting time.Duration
	Done    bool
}

// Result is a finished export.
type Result struct {
	Archive *archive.Archive
	// Counts are what was fetched, which the written manifest must equal.
	Counts  archive.Counts
	Stats   Stats
	Resumed bool     // it continued from a checkpoint
	Joined  bool     // it joined the public channel to read it
	Notes   []string // things not exported, and why
}

// exporter is one export in progress.
type exporter struct {
	c    *Client
	opts ExportOptions
	cnt  counters
	ch   archive.Channel
	st   *state
	cp   *checkpointer
	res  *Result

	notesMu sync.Mutex
}

func (e *exporter) note(format string, args ...any) {
	n := fmt.Sprintf(format, args...)
	e.notesMu.Lock()
	e.res.Notes = append(e.res.Notes, n)
	e.notesMu.Unlock()
	e.c.log.Info(n, "channel", e.ch.Name)
}

// Export fetches one channel, given by ID or name, with its threads, pins,
// bookmarks, the users it references and, when asked, its files. Run
// again after a failure with the same CheckpointDir, it continues where
// the failed run stopped.
func (c *Client) Export(ctx context.Context, channel string, opts ExportOptions) (*Result, error) {
	if opts.MaxFileBytes <= 0 {
		opts.MaxFileBytes = 100 << 20
	}
	if opts.CheckpointEvery <= 0 {
		opts.CheckpointEvery = 2 * time.Second
	}
	if opts.Concurrency <= 0 {
		opts.Concurrency = 4
	}
	if opts.ProgressEvery <= 0 {
		opts.ProgressEvery = 250 * time.Millisecond
	}
	e := &exporter{c: c, opts: opts, st: newState(), res: &Result{}}
	id, err := c.resolve(ctx, &e.cnt, channel)
	if err != nil {
		return nil, err
	}
	if opts.Info != nil && opts.Info.ID == id {
		e.ch = *opts.Info
	} else if e.ch, err = c.info(ctx, &e.cnt, id); err != nil {
		return nil, err
	}
	e.cp = newCheckpointer(opts.CheckpointDir, id, opts.CheckpointEvery)
	if data, err := e.cp.load(); err != nil {
		return nil, fmt.Errorf("reading the checkpoint: %w", err)
	} else if data != nil {
		st, err := restore(data, id)
		if err != nil {
			return nil, fmt.Errorf("checkpoint %s: %w (delete it to start over)", e.cp.path, err)
		}
		e.st, e.res.Resumed = st, true
		msgs, done, _ := st.progress()
		c.log.Info("resuming from the checkpoint", "channel", e.ch.Name, "messages", msgs, "threads_done", done)
	}

	stopProgress := e.startProgress(ctx)
	a, err := e.run(ctx)
	stopProgress(err == nil)
	if err != nil {
		// Keep what was fetched, whatever stopped us: the rerun starts there.
		if serr := e.cp.save(e.st, id); serr != nil {
			err = errors.Join(err, serr)
		}
		return nil, fmt.Errorf("export #%s: %w", e.ch.Name, err)
	}
	if err := e.cp.remove(); err != nil {
		e.note("could not remove the checkpoint: %v", err)
	}
	e.res.Archive = a
	e.res.Stats = e.cnt.snapshot()
	return e.res, nil
}

// run fetches everything and assembles the archive. Pins and bookmarks
// come meanwhile, so that their calls hide behind the messages'.
func (e *exporter) run(ctx context.Context) (*archive.Archive, error) {
	a := &archive.Archive{Channel: e.ch}
	var side sync.WaitGroup
	var pinsErr, marksErr error
	side.Go(func() { a.Channel.Pins, pinsErr = e.c.pins(ctx, &e.cnt, e.ch.ID) })
	side.Go(func() { a.Channel.Bookmarks, marksErr = e.c.bookmarks(ctx, &e.cnt, e.ch.ID) })
	err := e.messages(ctx)
	side.Wait()
	if Code(marksErr) == "missing_scope" {
		e.note("bookmarks not exported: the token lacks the bookmarks:read scope")
		marksErr = nil
	}
	if err := errors.Join(err, pinsErr, marksErr); err != nil {
		return nil, err
	}
	// The messages are all in: a failure from here on reruns only the rest.
	if err := e.cp.save(e.st, e.ch.ID); err != nil {
		return nil, err
	}
	flat := e.st.messages()
	for _, m := range flat {
		if m.IsReply() {
			e.res.Counts.Replies++
		} else {
			e.res.Counts.Messages++
		}
	}
	a.Messages, a.Warnings = archive.Thread(flat)
	if a.Users, err = e.users(ctx, archive.ReferencedUsers(a)); err != nil {
		return nil, err
	}
	e.res.Counts.Users = len(a.Users)
	files := map[string]bool{}
	for m := range a.All() {
		for _, f := range m.Files {
			files[f.ID] = true
		}
	}
	e.res.Counts.Files = len(files)
	if e.opts.Files {
		if err := e.files(ctx, a); err != nil {
			return nil, err
		}
	}
	return a, nil
}

// messages fetches the history and, concurrently, every thread in it.
func (e *exporter) messages(ctx context.Context) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	jobs := make(chan archive.TS)
	var wg sync.WaitGroup
	for range e.opts.Concurrency {
		wg.Go(func() {
			for ts := range jobs {
				msgs, err := e.c.thread(ctx, &e.cnt, e.ch.ID, ts, repliesLimit)
				if err != nil {
					if Code(err) == "thread_not_found" {
						e.note("thread %s vanished while exporting: its parent was deleted", ts)
						msgs = nil
					} else {
						cancel(err)
						return
					}
				}
				e.st.threadDone(ts, msgs)
				if err := e.cp.maybeSave(e.st, e.ch.ID); err != nil {
					cancel(err)
					return
				}
			}
		})
	}
	send := func(parents []archive.TS) bool {
		for _, ts := range parents {
			select {
			case jobs <- ts:
			case <-ctx.Done():
				return false
			}
		}
		return true
	}
	err := e.history(ctx, send)
	close(jobs)
	wg.Wait()
	if cause := context.Cause(ctx); cause != nil && !errors.Is(cause, context.Canceled) {
		return cause // a thread's failure, which stopped the history too
	}
	return err
}

// history pages through conversations.history, handing each new thread
// parent to send. Threads a checkpoint left undone go first.
func (e *exporter) history(ctx context.Context, send func([]archive.TS) bool) error {
	pending := e.st.pending()
	slices.Sort(pending)
	if !send(pending) {
		return context.Cause(ctx)
	}
	joined := false
	if !e.opts.NoJoin && !e.ch.Private && !e.ch.Archived && string(e.ch.Extra["is_member"]) == "false" {
		// conversations.info says the app is not in the channel: join
		// before reading, rather than spend a history call (a minute's
		// worth, for a distributed app) on not_in_channel.
		if err := e.c.join(ctx, &e.cnt, e.ch); err != nil {
			return err
		}
		joined, e.res.Joined = true, true
	}
	if first := e.opts.FirstPage; first != nil && !e.res.Resumed {
		// A page the caller read already, so the channel was readable.
		if !send(e.st.historyPage(first.Messages, first.Next)) {
			return context.Cause(ctx)
		}
	}
	for {
		e.st.mu.Lock()
		cursor, done := e.st.cursor, e.st.historyDone
		e.st.mu.Unlock()
		if done {
			return nil
		}
		// With include_all_metadata, as the record should hold what Slack
		// holds: wrapup's own ledger message is known by its metadata.
		msgs, next, err := e.c.historyPage(ctx, &e.cnt, slack.GetConversationHistoryParameters{
			ChannelID: e.ch.ID, Cursor: cursor, Limit: historyLimit, IncludeAllMetadata: true})
		if Code(err) == "not_in_channel" && !joined {
			if e.opts.NoJoin {
				return fmt.Errorf("the %s app is not in #%s and this run may not join it: invite it (/invite @%s) or run without --dry-run: %w",
					e.c.opts.AppName, e.ch.Name, e.c.opts.AppName, err)
			}
			if err := e.c.join(ctx, &e.cnt, e.ch); err != nil {
				return err
			}
			joined, e.res.Joined = true, true
			continue
		}
		if err != nil {
			return err
		}
		if !send(e.st.historyPage(msgs, next)) {
			return context.Cause(ctx)
		}
		if err := e.cp.maybeSave(e.st, e.ch.ID); err != nil {
			return err
		}
	}
}

// startProgress reports progress until the returned func is called.
func (e *exporter) startProgress(ctx context.Context) func(ok bool) {
	if e.opts.Progress == nil {
		return func(bool) {}
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(e.opts.ProgressEvery)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-ctx.Done():
				return
			case <-t.C:
				e.opts.Progress(e.progress(false))
			}
		}
	})
	return func(ok bool) {
		close(stop)
		wg.Wait()
		if ok {
			e.opts.Progress(e.progress(true))
		}
	}
}

func (e *exporter) progress(done bool) Progress {
	msgs, tdone, total := e.st.progress()
	e.st.mu.Lock()
	hdone := e.st.historyDone
	e.st.mu.Unlock()
	p := Progress{Channel: e.ch.Name, Messages: msgs, ThreadsDone: tdone, ThreadsTotal: total,
		HistoryDone: hdone, Stats: e.cnt.snapshot(), Done: done}
	for _, t := range []Tier{Tier2, Tier3, Tier4} {
		p.Waiting = max(p.Waiting, time.Until(e.c.lim.PausedUntil(t)))
	}
	return p
}
