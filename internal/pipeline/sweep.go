package pipeline

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/wrapup/wrapup/archive"
	"github.com/wrapup/wrapup/archive/slackapi"
	"github.com/wrapup/wrapup/timeline"
)

// SweepOptions are a sweep's inputs: a run's, for every channel, plus the
// selection.
type SweepOptions struct {
	Run         Options // Channel is ignored
	Concurrency int     // channels wrapped up at once; 0 means 2
	Max         int     // at most this many channels run; 0 means no limit
	Now         func() time.Time
	// RecentMessages is the page size of the look-back that decides
	// whether a channel is resolved; 0 means 999, an export's page, since
	// the export of a channel that runs starts from that page. The
	// look-back pages further back until it knows (see recentStatus).
	RecentMessages int
}

// SweepItem is one channel's line in the sweep's report.
type SweepItem struct {
	Channel    string     `json:"channel"`
	ChannelID  string     `json:"channel_id"`
	Decision   string     `json:"decision"` // ran | would run | skipped | failed
	Reason     string     `json:"reason,omitempty"`
	Status     string     `json:"status,omitempty"`
	ResolvedAt *time.Time `json:"resolved_at,omitempty"`
	Result     *Result    `json:"result,omitempty"`
	Error      string     `json:"error,omitempty"`
}

// ErrSomeFailed says a sweep finished with some channels failed.
var ErrSomeFailed = errors.New("some channels failed")

// Sweep finds the incident channels (incidents.channel_prefix, public and
// private, not archived), decides from each one's recent history whether it
// is resolved for at least incidents.resolved_grace, and runs the pipeline
// on those, a few at a time with one shared Slack client and rate limiter.
// A failing channel never stops the others.
func Sweep(ctx context.Context, opts SweepOptions) ([]SweepItem, error) {
	cfg := opts.Run.Config
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	if opts.Concurrency <= 0 {
		opts.Concurrency = 2
	}
	if opts.RecentMessages <= 0 {
		opts.RecentMessages = 999
	}
	chans, err := opts.Run.Slack.ListChannels(ctx, cfg.Incidents.ChannelPrefix)
	if err != nil {
		return nil, err
	}
	tc := cfg.TimelineConfig()
	rs, err := timeline.Compile(tc)
	if err != nil {
		return nil, err
	}
	items := make([]SweepItem, len(chans))
	firsts := make([]*slackapi.HistoryPage, len(chans))
	var candidates []int
	for i, ch := range chans {
		it := &items[i]
		it.Channel, it.ChannelID = ch.Name, ch.ID
		if ch.Archived {
			it.Decision, it.Reason = "skipped", "archived"
			continue
		}
		status, resolvedAt, first, err := recentStatus(ctx, opts, rs, ch)
		switch {
		case err != nil:
			it.Decision, it.Error = "failed", err.Error()
			continue
		case status != timeline.StatusResolved:
			it.Decision, it.Reason, it.Status = "skipped", "not resolved ("+orNone(status)+")", status
			continue
		}
		it.Status, it.ResolvedAt = status, resolvedAt
		if resolvedAt != nil && now().Sub(*resolvedAt) < cfg.Incidents.ResolvedGrace {
			it.Decision = "skipped"
			it.Reason = fmt.Sprintf("resolved %s ago, within the %s grace period", Human(now().Sub(*resolvedAt)), Human(cfg.Incidents.ResolvedGrace))
			continue
		}
		if opts.Max > 0 && len(candidates) >= opts.Max {
			it.Decision, it.Reason = "skipped", fmt.Sprintf("--max %d reached", opts.Max)
			continue
		}
		candidates, firsts[i] = append(candidates, i), first
	}
	sem := make(chan struct{}, opts.Concurrency)
	var wg sync.WaitGroup
	for _, i := range candidates {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			ro := opts.Run
			ro.Channel, ro.FirstPage = items[i].ChannelID, firsts[i]
			res, err := Run(ctx, ro)
			items[i].Result = res
			switch {
			case errors.Is(err, ErrClaimed) || errors.Is(err, ErrLocked) || errors.Is(err, ErrArchivedMidway):
				// Another run (a cron overlap, a manual run) has it: not
				// this sweep's failure.
				items[i].Decision, items[i].Reason = "skipped", err.Error()
				return
			case errors.Is(err, slackapi.ErrArchived):
				// Open when listed, archived since: by another run, or
				// a person; sweeps skip archived channels.
				items[i].Decision, items[i].Reason = "skipped", "archived since the sweep listed it"
				return
			}
			if err != nil {
				items[i].Decision, items[i].Error = "failed", err.Error()
				return
			}
			items[i].Decision = "ran"
			if ro.DryRun {
				items[i].Decision = "would run"
			}
		})
	}
	wg.Wait()
	slices.SortStableFunc(items, func(a, b SweepItem) int { return strings.Compare(a.Channel, b.Channel) })
	for _, it := range items {
		if it.Decision == "failed" {
			return items, ErrSomeFailed
		}
	}
	return items, nil
}

// recentStatus builds a timeline from the channel's recent top-level
// messages only: one call decides most channels, and only candidates get
// the full export, which starts from the first page read here. It pages
// back until the timeline knows: a status line was seen (the newest
// decides), or the declaration was (nothing older counts), or the history
// ended. A page of 999 usually reaches one; an app
// held to Slack's distributed-app limits gets 15 a page at 1 call a
// minute, so a status N messages back costs about N/15 minutes there,
// which is the price of not missing a resolution (the client notes those
// limits and their fix). A "resolved" restated in the part not read makes
// resolved_at later than it was, which only delays a sweep.
func recentStatus(ctx context.Context, opts SweepOptions, rs *timeline.Ruleset, ch archive.Channel) (string, *time.Time, *slackapi.HistoryPage, error) {
	join := !opts.Run.DryRun
	if join {
		// The listing says whether the app is in the channel: join
		// first rather than spend a history call on not_in_channel.
		if err := opts.Run.Slack.JoinListed(ctx, ch); err != nil {
			return "", nil, nil, err
		}
	}
	var inc timeline.Incident
	var buildErr error
	_, first, err := opts.Run.Slack.LookBack(ctx, ch.ID, opts.RecentMessages, join, func(msgs []*archive.Message) bool {
		a := &archive.Archive{Channel: ch}
		a.Messages, _ = archive.Thread(msgs)
		tl, err := timeline.Build(a, rs, timeline.Options{})
		if err != nil {
			buildErr = err
			return true
		}
		inc = tl.Incident
		return inc.Status != "" || (inc.DeclaredAt != nil && !inc.NoDeclaration)
	})
	if err == nil {
		err = buildErr
	}
	if err != nil {
		return "", nil, nil, err
	}
	return inc.Status, inc.ResolvedAt, first, nil
}
