package pipeline

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/wrapup/wrapup/archive"
	"github.com/wrapup/wrapup/timeline"
)

// ErrClaimed stops a run on a channel that another run is working on.
var ErrClaimed = errors.New("another wrapup run is working on this channel")

// claim identifies this run in the wrap-up message's payload (DESIGN "One
// run at a time"): Slack orders a channel's messages totally, so every
// runner, on any machine, sees the same claim.
type claim struct {
	run  string // random, per run
	host string
	ttl  time.Duration
	now  func() time.Time
}

func newClaim(host string, ttl time.Duration, now func() time.Time) claim {
	var b [6]byte
	_, _ = rand.Read(b[:]) // crypto/rand does not fail
	if host == "" {
		host, _ = os.Hostname()
	}
	if now == nil {
		now = time.Now
	}
	return claim{run: hex.EncodeToString(b[:]), host: host, ttl: ttl, now: now}
}

// heartbeatEvery is how often a run refreshes its claim while it works:
// well inside the shortest claim_ttl (2m) that the config allows.
const heartbeatEvery = 45 * time.Second

// holder says whether the payload names another run whose claim still
// holds, and describes it. A claim from this host is not live: this run
// holds the host's lock on the channel, so that run is gone.
func (c claim) holder(p Payload) (live bool, who string) {
	if p.Run == "" || p.Run == c.run {
		return false, ""
	}
	age := c.now().Sub(time.Unix(p.Heartbeat, 0)).Round(time.Second)
	who = fmt.Sprintf("run %s on %s, last heartbeat %s ago", p.Run, orUnknown(p.Host), age)
	return p.Host != c.host && age < c.ttl, who
}

func orUnknown(s string) string {
	if s == "" {
		return "an unknown host"
	}
	return s
}

// claimedError names the run holding the channel and says when to retry.
func (r *runner) claimedError(who string) error {
	return fmt.Errorf("%w: #%s is being closed by %s; this run stops. Run again once that run has finished, or after its heartbeat is older than close.claim_ttl (%s)",
		ErrClaimed, r.info.Name, who, Human(r.cfg.Close.ClaimTTL))
}

// ownLedger finds the wrap-up message this app posted, trusting no other:
// any app in the channel can post metadata of wrapup's event type. Others
// are ignored, and said so once. The export (or the check that an
// earlier archive is current) read the channel's history a moment ago,
// metadata included: that is searched, not Slack. A message another run
// posts after that is raced's to find.
func (r *runner) ownLedger(ctx context.Context) (*archive.Message, error) {
	if r.history == nil {
		return r.ownLedgerLive(ctx)
	}
	me, err := r.Slack.Self(ctx)
	if err != nil {
		return nil, fmt.Errorf("auth.test: %w", err)
	}
	var foreign []string
	var found *archive.Message
	for _, m := range r.history {
		if m.Metadata == nil || m.Metadata.EventType != timeline.LedgerEventType {
			continue
		}
		if me.Owns(m) {
			found = m // the oldest wins, as in raced: a later one is a run's that lost and is withdrawing
			continue
		}
		foreign = append(foreign, m.TS.String())
	}
	r.warnForeign(foreign)
	return found, nil
}

// ownLedgerLive is ownLedger asking Slack: after a post whose answer was
// lost, whether it landed.
func (r *runner) ownLedgerLive(ctx context.Context) (*archive.Message, error) {
	me, err := r.Slack.Self(ctx)
	if err != nil {
		return nil, fmt.Errorf("auth.test: %w", err)
	}
	var foreign []string
	m, err := r.Slack.FindMessageWhere(ctx, r.info.ID, timeline.LedgerEventType, func(m *archive.Message) bool {
		if me.Owns(m) {
			return true
		}
		foreign = append(foreign, m.TS.String())
		return false
	})
	r.warnForeign(foreign)
	return m, err
}

// warnForeign says once that messages carrying wrapup's ledger metadata
// from another app were ignored.
func (r *runner) warnForeign(foreign []string) {
	if len(foreign) > 0 && !r.warnedForeign {
		r.warnedForeign = true
		r.note("ignored %d message(s) in #%s that carry wrapup's ledger metadata but were not posted by this app (%v): only the app's own messages are trusted",
			len(foreign), r.info.Name, foreign)
	}
}

// raced reads back the channel after this run posted its wrap-up message
// at ts: of two runs that posted at once, the earlier message wins. It
// returns the winner's description when this run lost.
func (r *runner) raced(ctx context.Context, ts archive.TS) (lost bool, who string, err error) {
	me, err := r.Slack.Self(ctx)
	if err != nil {
		return false, "", err
	}
	// Two runs that both found no message posted within the time the
	// first lookup took; a few minutes back covers it.
	since := ts - archive.TS(10*time.Minute/time.Microsecond)
	msgs, err := r.Slack.Since(ctx, r.info.ID, since)
	if err != nil {
		return false, "", err
	}
	for _, m := range msgs {
		if m.TS >= ts || !me.Owns(m) || m.Metadata == nil || m.Metadata.EventType != timeline.LedgerEventType {
			continue
		}
		p, _, err := readPayload(m)
		if err != nil {
			continue
		}
		return true, fmt.Sprintf("run %s on %s, whose wrap-up message %s came first", orUnknown(p.Run), orUnknown(p.Host), m.TS), nil
	}
	return false, "", nil
}

// keepClaim refreshes the claim in l every Heartbeat until ctx ends; the
// ledger reads the claim back first where it could have been taken.
func (r *runner) keepClaim(ctx context.Context, l *slackLedger) {
	t := time.NewTicker(r.Heartbeat)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if err := l.heartbeat(ctx); err != nil && !errors.Is(err, ErrClaimed) {
			r.log.Warn("refreshing the claim on the channel", "channel", r.info.Name, "err", err)
		}
	}
}

// verifyClaim is the ledger's check that this run still holds the claim:
// one history call. A run that lost it is stopped through lose.
func (r *runner) verifyClaim(ts archive.TS, lose func(error)) func(context.Context) error {
	return func(ctx context.Context) error {
		m, err := r.Slack.Message(ctx, r.info.ID, ts)
		if err != nil || m == nil {
			return nil // unknown: the write goes ahead, and the next one checks again
		}
		p, _, err := readPayload(m)
		if err != nil || p.Run == r.claim.run {
			return nil
		}
		_, who := r.claim.holder(p)
		cerr := r.claimedError(orUnknown(who))
		lose(cerr)
		return cerr
	}
}
