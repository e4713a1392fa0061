package slackapi

import (
	"fmt"
	"sync/atomic"
	"time"
)

// Slack's changelog of May 29, 2025 ("Rate limit changes for
// non-Marketplace apps") holds a commercially distributed app that the
// Slack Marketplace has not approved to 1 conversations.history or
// conversations.replies call a minute and 15 messages a page. wrapup
// cannot ask Slack which kind of app it is, so it recognises the limits
// by their effects: a page of at most 15 messages with more to come where
// it asked for more, or a 429 on those methods asking to wait most of a
// minute.
const (
	distributedPage = 15
	// distributedRetryAfter is the least Retry-After taken for the
	// 1-a-minute limit; a Tier 3 429 asks for seconds.
	distributedRetryAfter = 45 * time.Second
)

// DistributedLimitsNote is the note a client gives once it has recognised
// the limits of a distributed app.
const DistributedLimitsNote = "Slack is holding this app to the limits of a commercially distributed app outside " +
	"the Slack Marketplace: conversations.history and conversations.replies at 1 call a minute and 15 messages " +
	"a page, so reading a channel takes about a minute per 15 messages and per thread. To lift them, make wrapup " +
	"an internal app: a custom app created for and installed only in your own workspace is not subject to these limits."

// appLimits remembers whether a client has met the distributed-app limits,
// so that it says so once.
type appLimits struct {
	seen atomic.Bool
}

// distributedMethods are the methods the 2025 limits apply to.
var distributedMethods = map[string]bool{"conversations.history": true, "conversations.replies": true}

// checkPage looks at one page of history or replies: asked is the limit
// sent, got the messages received, more whether Slack has more.
func (c *Client) checkPage(method string, asked, got int, more bool) {
	if more && asked > distributedPage && got <= distributedPage {
		c.sawDistributedLimits(method, "a page of %d messages where %d were asked, with more to come", got, asked)
	}
}

// checkRetryAfter looks at a 429's Retry-After.
func (c *Client) checkRetryAfter(method string, wait time.Duration) {
	if distributedMethods[method] && wait >= distributedRetryAfter {
		c.sawDistributedLimits(method, "a 429 asking to wait %s", wait)
	}
}

func (c *Client) sawDistributedLimits(method, format string, args ...any) {
	if c.limits.seen.CompareAndSwap(false, true) {
		c.log.Warn(DistributedLimitsNote, "method", method, "seen", fmt.Sprintf(format, args...))
	}
}

// Notes returns what the client noticed that a run should report: today,
// [DistributedLimitsNote] once the limits were seen. It is safe for
// concurrent use.
func (c *Client) Notes() []string {
	if c.limits.seen.Load() {
		return []string{DistributedLimitsNote}
	}
	return nil
}

// ownLimit reports whether method is limited on its own: history and
// replies, once the distributed-app limits were seen.
func (c *Client) ownLimit(method string) bool {
	return distributedMethods[method] && c.limits.seen.Load()
}

// paceOf is the least time between calls of a method limited on its own
// (a minute on the limiter's clock), or 0.
func (c *Client) paceOf(method string) time.Duration {
	if c.ownLimit(method) {
		return c.lim.Minute()
	}
	return 0
}

// pace holds a method limited on its own for a minute after each answer,
// so that the next call is not refused: 1 call a minute costs a minute,
// not a minute and a 429. Slack counts a call when it arrives, which is
// before its answer does.
func (c *Client) pace(method string) {
	if d := c.paceOf(method); d > 0 {
		c.lim.Hold(method, d)
	}
}
