package slacktest

import (
	"math"
	"net/url"
	"sync"
	"time"
)

// limit is a rate limit: at most N calls in any Window.
type limit struct {
	N      int
	Window time.Duration
}

// Slack's published tiers, and chat.postMessage's "one message per second
// per channel, with short bursts allowed" modelled as 5 per 5 seconds.
var (
	tier2     = limit{20, time.Minute}
	tier3     = limit{50, time.Minute}
	tier4     = limit{100, time.Minute}
	postLimit = limit{5, 5 * time.Second}
)

// limiter keeps a sliding window per key: the times of the last N calls.
type limiter struct {
	scale float64
	now   func() time.Time

	mu      sync.Mutex
	windows map[string][]time.Time
}

func newLimiter(scale float64) *limiter {
	return &limiter{scale: scale, now: time.Now, windows: map[string][]time.Time{}}
}

// allow records a call under key, or refuses it and says how many whole
// seconds to wait (at least 1, as Slack's Retry-After is an integer).
func (l *limiter) allow(key string, lim limit) (retryAfter int, ok bool) {
	window := time.Duration(float64(lim.Window) / l.scale)
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	calls := l.windows[key]
	// Drop the calls that left the window.
	i := 0
	for i < len(calls) && now.Sub(calls[i]) >= window {
		i++
	}
	calls = calls[i:]
	if len(calls) >= lim.N {
		l.windows[key] = calls
		wait := calls[0].Add(window).Sub(now)
		return max(1, int(math.Ceil(wait.Seconds()))), false
	}
	l.windows[key] = append(calls, now)
	return 0, true
}

// Slack's changelog of May 29, 2025, "Rate limit changes for non-Marketplace
// apps": for a commercially distributed app not approved for the Slack
// Marketplace, conversations.history and conversations.replies move from
// Tier 3 to 1 request a minute, and "the maximum and default for the limit
// parameter has been reduced to 15 objects".
var (
	distributedLimit   = limit{1, time.Minute}
	distributedMethods = map[string]bool{"conversations.history": true, "conversations.replies": true}
)

const distributedPage = 15

// rateLimit records a call of method, or refuses it with the seconds to
// wait. A distributed app's history and replies are held to 1 a minute
// even with the tiers off: that limit is what the app type is about, and
// RateScale keeps tests fast.
func (s *Server) rateLimit(method string, sp spec, form url.Values) (retryAfter int, ok bool) {
	switch {
	case s.opts.Distributed && distributedMethods[method]:
		return s.limiter.allow("distributed "+method, distributedLimit)
	case s.opts.RateLimits:
		key := method
		if sp.perChannel {
			key += " " + form.Get("channel")
		}
		return s.limiter.allow(key, sp.limit)
	}
	return 0, true
}

// messageLimit reads the limit of a history or replies page: def when
// absent or 0, capped at maxLimit, and for a distributed app both at 15.
// Slack clamps a larger limit rather than refusing it, so has_more and
// next_cursor go on as for any short page.
func (q *request) messageLimit(def, maxLimit int) (int, error) {
	if q.s.opts.Distributed {
		def, maxLimit = min(def, distributedPage), min(maxLimit, distributedPage)
	}
	return q.limitArg(def, maxLimit, false)
}
