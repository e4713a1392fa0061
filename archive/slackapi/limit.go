package slackapi

import (
	"context"
	"sync"
	"time"

	"github.com/wrapup/wrapup/internal/ctxtime"

	"golang.org/x/time/rate"
)

// Tier is a Slack Web API rate-limit tier.
type Tier int

// Slack's tiers. TierPost stands for chat.postMessage's "about one message
// per second" special limit.
const (
	Tier1 Tier = iota + 1
	Tier2
	Tier3
	Tier4
	TierPost
)

// tierLimits are the published calls per minute of each tier.
var tierLimits = map[Tier]float64{Tier1: 1, Tier2: 20, Tier3: 50, Tier4: 100, TierPost: 60}

// methodTiers are the tiers of the methods this package calls, from Slack's
// method documentation.
var methodTiers = map[string]Tier{
	"auth.test":             Tier4,
	"conversations.info":    Tier3,
	"conversations.history": Tier3,
	"conversations.replies": Tier3,
	"conversations.list":    Tier2,
	"conversations.join":    Tier3,
	"conversations.archive": Tier2,
	"pins.list":             Tier2,
	"bookmarks.list":        Tier3,
	"users.list":            Tier2,
	"users.info":            Tier4,
	"chat.postMessage":      TierPost,
	"chat.update":           Tier3,
	"chat.delete":           Tier3,
	"files.info":            Tier4,
}

// Limiter paces Web API calls: one per tier, shared by all work in the
// process. Each tier has a token bucket at the tier's rate, which spreads
// calls out, and a sliding window of the last N calls, which is how Slack
// counts: a call goes only once the call N before it is a window old.
// A call's time in the window is when its answer arrived, the latest
// moment Slack can have counted it, so no delay between client and
// server can squeeze N+1 calls into Slack's window. The bucket's small
// burst keeps a late wake-up from costing a slot. A Retry-After
// pauses the whole tier, because every caller of that tier would be
// refused alike. It is safe for concurrent use.
type Limiter struct {
	scale float64
	mu    sync.Mutex
	tiers map[Tier]*tierState
	// held are methods paced on their own, until a time: Slack's
	// 1-a-minute limit on a distributed app's history and replies is per
	// method, not per tier.
	held map[string]time.Time
}

type tierState struct {
	bucket      *rate.Limiter
	pausedUntil time.Time

	// The last n calls: in flight, or answered at a time.
	n      int
	window time.Duration
	slots  []*slot
}

// slot is one call in a tier's window.
type slot struct {
	answered time.Time // zero while the call is in flight
}

// NewLimiter returns a Limiter at Slack's published rates times scale:
// scale 60 runs a Tier 3 method at 50 calls a second instead of a minute,
// to match an emulator whose clock is sped up as much. scale <= 0 means 1.
func NewLimiter(scale float64) *Limiter {
	if scale <= 0 {
		scale = 1
	}
	l := &Limiter{scale: scale, tiers: map[Tier]*tierState{}, held: map[string]time.Time{}}
	for t, perMin := range tierLimits {
		n, window := int(perMin), time.Duration(float64(time.Minute)/scale)
		if t == TierPost {
			n, window = 1, time.Duration(float64(time.Second)/scale)
		}
		l.tiers[t] = &tierState{bucket: rate.NewLimiter(rate.Limit(perMin*scale/60), max(1, n/10)), n: n, window: window}
	}
	return l
}

// TierOf returns the rate-limit tier of a Web API method, as this
// package paces it: Tier 3 for a method it does not know.
func TierOf(method string) Tier {
	if t, ok := methodTiers[method]; ok {
		return t
	}
	return Tier3
}

// Rate returns the calls per second the limiter allows a tier.
func (l *Limiter) Rate(t Tier) float64 { return float64(l.tiers[t].bucket.Limit()) }

// Wait blocks until a call of tier t may go, and returns how long it
// waited for a rate-limit pause (not counting ordinary pacing). The caller
// must call release once the call's answer arrived (or it failed).
func (l *Limiter) Wait(ctx context.Context, t Tier) (release func(), paused time.Duration, err error) {
	ts, ok := l.tiers[t]
	if !ok {
		ts = l.tiers[Tier3]
	}
	for {
		l.mu.Lock()
		d := time.Until(ts.pausedUntil)
		l.mu.Unlock()
		if d <= 0 {
			break
		}
		if err := sleep(ctx, d); err != nil {
			return nil, paused, err
		}
		paused += d
	}
	if err := ts.bucket.Wait(ctx); err != nil {
		return nil, paused, err
	}
	for {
		l.mu.Lock()
		now := time.Now()
		// Forget the calls answered a window ago.
		kept := ts.slots[:0]
		var oldest time.Time
		inFlight := 0
		for _, s := range ts.slots {
			switch {
			case s.answered.IsZero():
				kept = append(kept, s)
				inFlight++
			case now.Sub(s.answered) < ts.window:
				kept = append(kept, s)
				if oldest.IsZero() || s.answered.Before(oldest) {
					oldest = s.answered
				}
			}
		}
		ts.slots = kept
		if len(ts.slots) < ts.n {
			s := &slot{}
			ts.slots = append(ts.slots, s)
			l.mu.Unlock()
			return func() {
				l.mu.Lock()
				s.answered = time.Now()
				l.mu.Unlock()
			}, paused, nil
		}
		d := 5 * time.Millisecond // every slot is in flight: poll until one is answered
		if inFlight < len(ts.slots) {
			d = oldest.Add(ts.window).Sub(now)
		}
		l.mu.Unlock()
		if err := sleep(ctx, d); err != nil {
			return nil, paused, err
		}
	}
}

// Pause holds every call of tier t back for d, as a 429's Retry-After asks.
func (l *Limiter) Pause(t Tier, d time.Duration) {
	ts, ok := l.tiers[t]
	if !ok {
		return
	}
	until := time.Now().Add(d)
	l.mu.Lock()
	defer l.mu.Unlock()
	if until.After(ts.pausedUntil) {
		ts.pausedUntil = until
	}
}

// PausedUntil reports when tier t's pause ends (zero when it is not paused).
func (l *Limiter) PausedUntil(t Tier) time.Time {
	ts, ok := l.tiers[t]
	if !ok {
		return time.Time{}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return ts.pausedUntil
}

// Hold keeps calls of method back for d from now (or longer, if they are
// held already): a 429 on a method limited on its own, or the pace of
// such a method.
func (l *Limiter) Hold(method string, d time.Duration) {
	until := time.Now().Add(d)
	l.mu.Lock()
	defer l.mu.Unlock()
	if until.After(l.held[method]) {
		l.held[method] = until
	}
}

// Minute is a minute on the limiter's clock: a real minute divided by
// its scale.
func (l *Limiter) Minute() time.Duration { return time.Duration(float64(time.Minute) / l.scale) }

// waitHeld blocks while method is held, and returns how long it waited.
// With reserve > 0 the call that goes holds the method for reserve itself,
// so that concurrent callers go one a reserve apart instead of together.
func (l *Limiter) waitHeld(ctx context.Context, method string, reserve time.Duration) (time.Duration, error) {
	var waited time.Duration
	for {
		l.mu.Lock()
		now := time.Now()
		d := l.held[method].Sub(now)
		if d <= 0 && reserve > 0 {
			l.held[method] = now.Add(reserve)
		}
		l.mu.Unlock()
		if d <= 0 {
			return waited, nil
		}
		if err := sleep(ctx, d); err != nil {
			return waited, err
		}
		waited += d
	}
}

// sleep waits for d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error { return ctxtime.Sleep(ctx, d) }
