package slackapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/slack-go/slack"
)

// Options configure a [Client]. The zero Options talk to slack.com at
// Slack's published rates.
type Options struct {
	// APIURL is the Web API base; "" means https://slack.com/api/. It may
	// be given with or without the trailing "/api/" (see NormalizeAPIURL).
	APIURL string
	// Limiter paces the calls; share one across clients and channels.
	// Nil gives the client its own at Slack's published rates.
	Limiter *Limiter
	// Transport carries the requests; nil means http.DefaultTransport.
	Transport http.RoundTripper
	// CallTimeout bounds each attempt of a call; default 60s.
	CallTimeout time.Duration
	// MaxAttempts bounds the attempts of a call that fails with a 5xx, a
	// timeout or a broken connection; default 6.
	MaxAttempts int
	// RateLimitBudget bounds the time one Web API call or file download
	// may spend held back
	// by rate limits, waiting out 429s by their Retry-After however many
	// come; default 1 hour, generous enough for Slack's 1-a-minute limit
	// on distributed apps (see [DistributedLimitsNote]) under a sweep's
	// concurrency. Past it the call fails with [ErrRateLimitBudget].
	RateLimitBudget time.Duration
	// Backoff is the first wait after a failed attempt, doubled each time
	// up to MaxBackoff, with jitter; defaults 500ms and 30s.
	Backoff, MaxBackoff time.Duration
	// Logger receives retries and notes; nil discards them. The token and
	// file URLs are never logged.
	Logger *slog.Logger
	// AppName is the app's handle in the advice to invite it; default "wrapup".
	AppName string
}

// Client talks to one workspace with one token through slack-go.
type Client struct {
	api   *slack.Client
	opts  Options
	lim   *Limiter
	log   *slog.Logger
	total counters
	dir   directory // users fetched so far, shared by this client's exports
	me    self      // auth.test's answer
	// limits records the distributed-app limits once seen.
	limits appLimits
}

// New returns a Client using token. The token goes only to slack-go.
func New(token string, opts Options) *Client {
	if opts.Limiter == nil {
		opts.Limiter = NewLimiter(1)
	}
	if opts.Transport == nil {
		opts.Transport = http.DefaultTransport
	}
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&opts.CallTimeout, 60*time.Second)
	def(&opts.Backoff, 500*time.Millisecond)
	def(&opts.MaxBackoff, 30*time.Second)
	def(&opts.RateLimitBudget, time.Hour)
	if opts.MaxAttempts <= 0 {
		opts.MaxAttempts = 6
	}
	if opts.AppName == "" {
		opts.AppName = "wrapup"
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	hc := &http.Client{Transport: teeTransport{base: opts.Transport}}
	api := slack.New(token, slack.OptionAPIURL(NormalizeAPIURL(opts.APIURL)), slack.OptionHTTPClient(hc))
	return &Client{api: api, opts: opts, lim: opts.Limiter, log: log}
}

// NormalizeAPIURL returns the Web API base URL the way slack-go wants it,
// ending in "/api/": "http://127.0.0.1:8080" and "http://h/api" both work.
func NormalizeAPIURL(u string) string {
	if u == "" {
		return slack.APIURL
	}
	u = strings.TrimRight(u, "/")
	if !strings.HasSuffix(u, "/api") {
		u += "/api"
	}
	return u + "/"
}

// Stats count a client's or an export's work.
type Stats struct {
	Calls       int           `json:"calls"`        // HTTP attempts, retries included
	RateLimited int           `json:"rate_limited"` // 429 answers
	Retries     int           `json:"retries"`      // attempts after a failure
	Paused      time.Duration `json:"paused_ns"`    // time spent held back by Retry-After
}

type counters struct {
	calls, rateLimited, retries, paused atomic.Int64
}

func (c *counters) snapshot() Stats {
	return Stats{Calls: int(c.calls.Load()), RateLimited: int(c.rateLimited.Load()),
		Retries: int(c.retries.Load()), Paused: time.Duration(c.paused.Load())}
}

// Stats returns the counts of every call the client made.
func (c *Client) Stats() Stats { return c.total.snapshot() }

// call runs fn, one Web API call of method through slack-go, under the
// method's tier limit, retrying what is worth retrying. A call that may
// have taken effect (a POST that timed out) is retried only when
// idempotent says so. It returns the captured response of the attempt
// that succeeded.
func (c *Client) call(ctx context.Context, cnt *counters, method string, idempotent bool, fn func(context.Context) error) (*capture, error) {
	tier := methodTiers[method]
	backoff := c.opts.Backoff
	failures, limited := 0, 0
	var heldBack time.Duration // waiting out rate limits, this call's budget
	for {
		held, err := c.lim.waitHeld(ctx, method, c.paceOf(method))
		heldBack += held
		c.count(cnt, func(k *counters) { k.paused.Add(int64(held)) })
		if err != nil {
			return nil, err
		}
		release, paused, err := c.lim.Wait(ctx, tier)
		heldBack += paused
		c.count(cnt, func(k *counters) { k.paused.Add(int64(paused)) })
		if err != nil {
			return nil, err
		}
		actx, cancel := context.WithTimeout(ctx, c.opts.CallTimeout)
		actx, capt := withCapture(actx)
		err = fn(actx)
		release()
		timedOut := errors.Is(actx.Err(), context.DeadlineExceeded) && ctx.Err() == nil
		cancel()
		c.count(cnt, func(k *counters) { k.calls.Add(1) })
		code := capt.errorCode()
		if err == nil && code == "" {
			c.pace(method)
			return capt, nil
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if err == nil {
			err = errors.New(code)
		}
		if code == "" {
			var se slack.SlackErrorResponse
			if errors.As(err, &se) {
				code = se.Err
			}
		}
		var wait time.Duration
		var rl *slack.RateLimitedError
		var sc slack.StatusCodeError
		switch {
		case errors.As(err, &rl) || code == "ratelimited" || (errors.As(err, &sc) && sc.Code == http.StatusTooManyRequests):
			wait = time.Second // Slack's minimum when it names none
			if rl != nil && rl.RetryAfter > 0 {
				wait = rl.RetryAfter
			}
			c.count(cnt, func(k *counters) { k.rateLimited.Add(1) })
			limited++
			c.checkRetryAfter(method, wait)
			if heldBack+wait > c.opts.RateLimitBudget {
				return nil, &APIError{Method: method, Code: "ratelimited", Err: &BudgetError{
					Limited: limited, Waited: heldBack, RetryAfter: wait, Budget: c.opts.RateLimitBudget}}
			}
			// A 429 means the call was refused, not done: always safe to
			// repeat. It holds back the whole tier, which Slack limits as
			// one, or only the method where Slack limits it on its own.
			if c.ownLimit(method) {
				c.lim.Hold(method, wait)
			} else {
				c.lim.Pause(tier, wait)
			}
			c.log.Info("rate limited; waiting", "method", method, "retry_after", wait)
			c.count(cnt, func(k *counters) { k.retries.Add(1) })
			continue
		case authCodes[code]:
			return nil, &APIError{Method: method, Code: code, Err: fmt.Errorf("%w (%s)", ErrAuth, code)}
		case idempotent && (transientCodes[code] || timedOut || transient(err)):
			failures++
			if failures >= c.opts.MaxAttempts {
				return nil, &APIError{Method: method, Code: code, Err: fmt.Errorf("giving up after %d attempts: %w", failures, err)}
			}
			wait = backoff/2 + rand.N(backoff/2+1) // jitter spreads out clients that failed together
			backoff = min(2*backoff, c.opts.MaxBackoff)
			c.log.Warn("call failed; retrying", "method", method, "attempt", failures, "wait", wait.Round(time.Millisecond), "error", redactURL(err))
			c.count(cnt, func(k *counters) { k.retries.Add(1) })
			if err := sleep(ctx, wait); err != nil {
				return nil, err
			}
		default:
			return nil, &APIError{Method: method, Code: code, Err: err}
		}
	}
}

func (c *Client) count(cnt *counters, f func(*counters)) {
	f(&c.total)
	if cnt != nil {
		f(cnt)
	}
}

// transient reports whether err is a failure of the transport or of the
// server, not an answer: a broken connection, a cut body, a 5xx.
func transient(err error) bool {
	var sc slack.StatusCodeError
	if errors.As(err, &sc) {
		return sc.Code >= 500
	}
	var ue *url.Error
	var se *json.SyntaxError
	return errors.As(err, &ue) || errors.As(err, &se) || errors.Is(err, io.ErrUnexpectedEOF)
}

// redactURL drops the URLs from a transport error: a file URL can carry a
// token in its query.
func redactURL(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Op + ": " + ue.Err.Error()
	}
	return err.Error()
}
