package slacktest

import (
	"math"
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
