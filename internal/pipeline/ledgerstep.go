package pipeline

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/wrapup/wrapup/archive"
	"github.com/wrapup/wrapup/timeline"
	"github.com/wrapup/wrapup/trackers"
)

// ledgerMessage finds the wrap-up message a previous run posted, or posts
// it: one message, found again by its metadata, never a second. It is also
// the claim on the channel (DESIGN "One run at a time"): a run that finds
// another run's live claim stops, and of two runs that post at once, the
// later one withdraws.
func (r *runner) ledgerMessage(ctx context.Context, lose func(error)) error {
	if !r.cfg.Close.PostSummary {
		return nil
	}
	m, err := r.ownLedger(ctx)
	if err != nil {
		return err
	}
	posted := false
	if m != nil {
		p, _, err := readPayload(m)
		if err != nil {
			return err
		}
		live, who := r.claim.holder(p)
		if live {
			return r.claimedError(who)
		}
		if who != "" && !r.DryRun {
			r.note("taking #%s over from %s, which stopped without finishing", r.info.Name, who)
		}
	} else if m, err = r.postLedger(ctx); err != nil {
		return err
	} else {
		posted = true
	}
	r.rec.LedgerTS = m.TS
	r.ledger, err = newSlackLedger(r.writes, r.info.ID, m, r.claim, r.Tool, func(ts []timeline.Ticket) string {
		return r.summary(ts, false).Text()
	})
	if err != nil || r.DryRun {
		return err // a plan claims nothing
	}
	r.ledger.verify = r.verifyClaim(m.TS, lose)
	if posted {
		// The message is this run's claim, and it came first.
		go r.keepClaim(ctx, r.ledger)
		return nil
	}
	// Take the claim over, then read it back after a moment: of two runs
	// that took over a stale claim at once, the one written last holds it.
	if err := r.ledger.heartbeat(ctx); err != nil {
		return err
	}
	if err := trackers.Sleep(ctx, r.Settle); err != nil {
		return err
	}
	now, err := r.Slack.Message(ctx, r.info.ID, m.TS)
	if err != nil {
		return err
	}
	if now != nil {
		if p, _, err := readPayload(now); err == nil && p.Run != r.claim.run {
			r.ledger = nil // not ours to release, nor to refresh
			_, who := r.claim.holder(p)
			return r.claimedError(orUnknown(who))
		}
	}
	go r.keepClaim(ctx, r.ledger)
	return nil
}

// postLedger posts the wrap-up message with this run's claim, then reads
// the channel back: if another run's message came first, this one is
// deleted and the run stops.
func (r *runner) postLedger(ctx context.Context) (*archive.Message, error) {
	p := Payload{State: "filing", Tool: r.Tool, Run: r.claim.run, Host: r.claim.host, Heartbeat: r.claim.now().Unix()}
	p.setTickets(nil)
	md := payloadMetadata(p)
	text := r.summary(nil, false).Text()
	ts, err := r.writes.Post(ctx, r.info.ID, text, md)
	if err != nil {
		// A post that timed out may have landed: look before failing.
		if found, ferr := r.ownLedgerLive(ctx); ferr == nil && found != nil {
			return found, nil
		}
		return nil, err
	}
	lost, who, err := r.raced(ctx, ts)
	if err != nil {
		return nil, err
	}
	if lost {
		if err := r.writes.Delete(ctx, r.info.ID, ts); err != nil {
			r.log.Warn("withdrawing this run's wrap-up message", "err", err)
		}
		return nil, r.claimedError(who)
	}
	return &archive.Message{TS: ts, Text: text, Metadata: &md}, nil
}

// releaseClaim gives the claim up when the run ends without finishing, so
// that a rerun need not wait out claim_ttl; a claim lost to another run is
// not this run's to release.
func (r *runner) releaseClaim(lost bool) {
	if r.ledger == nil || r.DryRun || lost || r.rec.Archived {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := r.ledger.release(ctx); err != nil {
		r.log.Warn("releasing the claim on the channel", "channel", r.info.Name, "err", err)
	}
}

func (r *runner) lock(key string) (func(), error) {
	release, err := lockChannel(r.LockDir, key)
	if errors.Is(err, ErrLocked) {
		return nil, fmt.Errorf("%w: %s; this run stops", err, strings.TrimPrefix(key, "#"))
	}
	return release, err
}
