package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/wrapup/wrapup/archive"
	"github.com/wrapup/wrapup/archive/slackapi"
	"github.com/wrapup/wrapup/timeline"
)

// slackWrites is what a run changes in Slack. A dry run puts its plan in
// its place, as trackers.DryRun stands in for a tracker: the steps say
// what to do once, and the plan says "would …" instead of doing it.
// Reads go to the Slack client either way.
type slackWrites interface {
	Post(ctx context.Context, channelID, text string, md archive.Metadata) (archive.TS, error)
	Update(ctx context.Context, channelID string, ts archive.TS, text string, md archive.Metadata) error
	Delete(ctx context.Context, channelID string, ts archive.TS) error
	Archive(ctx context.Context, channelID string) (note string, err error)
	Join(ctx context.Context, channelID string) error
}

var _ slackWrites = (*slackapi.Client)(nil)

// errPlanned is what a plan answers where the run would go on to read
// what it wrote (the channel it joined): there is nothing to read.
var errPlanned = errors.New("planned, not done")

// slackPlan is a dry run's slackWrites: it writes the plan and changes
// nothing. A post answers with a ts of now, as Slack would.
type slackPlan struct {
	w   io.Writer
	now func() time.Time

	mu    sync.Mutex
	names map[string]string // channel ID -> name, for the plan's words
}

var _ slackWrites = (*slackPlan)(nil)

func newSlackPlan(w io.Writer, now func() time.Time) *slackPlan {
	return &slackPlan{w: w, now: now, names: map[string]string{}}
}

// name records a channel's name for the plan.
func (p *slackPlan) name(id, name string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.names[id] = name
}

func (p *slackPlan) channel(id string) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if n, ok := p.names[id]; ok {
		return "#" + n
	}
	return id
}

// what names a message by its metadata.
func what(md archive.Metadata) string {
	switch md.EventType {
	case timeline.LedgerEventType:
		return "the wrap-up message"
	case AnnounceEventType:
		return "the announcement"
	}
	return "a message"
}

func (p *slackPlan) Post(_ context.Context, channelID, text string, md archive.Metadata) (archive.TS, error) {
	fmt.Fprintf(p.w, "would post %s to %s:\n%s\n", what(md), p.channel(channelID), text)
	return archive.TSFromTime(p.now()), nil
}

func (p *slackPlan) Update(_ context.Context, channelID string, _ archive.TS, text string, md archive.Metadata) error {
	fmt.Fprintf(p.w, "would update %s in %s:\n%s\n", what(md), p.channel(channelID), text)
	return nil
}

func (p *slackPlan) Delete(_ context.Context, channelID string, ts archive.TS) error {
	fmt.Fprintf(p.w, "would delete message %s in %s\n", ts, p.channel(channelID))
	return nil
}

func (p *slackPlan) Archive(_ context.Context, channelID string) (string, error) {
	fmt.Fprintf(p.w, "would archive %s\n", p.channel(channelID))
	return "", nil
}

func (p *slackPlan) Join(_ context.Context, channelID string) error {
	fmt.Fprintf(p.w, "would join %s\n", p.channel(channelID))
	return errPlanned
}
