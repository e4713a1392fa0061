package slackapi

import (
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"
)

// Reporter shows an export's progress: a line redrawn in place on a
// terminal, else a log line every so often, as CI logs want.
type Reporter struct {
	w        io.Writer // the terminal; nil when not one
	log      *slog.Logger
	every    time.Duration
	mu       sync.Mutex
	last     time.Time
	drawn    bool
	lastLine string
}

// NewReporter returns a Reporter that redraws a line on terminal when it
// is not nil, and otherwise logs to log at most once per every (default 10s).
func NewReporter(terminal io.Writer, log *slog.Logger, every time.Duration) *Reporter {
	if every <= 0 {
		every = 10 * time.Second
	}
	return &Reporter{w: terminal, log: log, every: every}
}

// Update shows p; pass it as ExportOptions.Progress.
func (r *Reporter) Update(p Progress) {
	r.mu.Lock()
	defer r.mu.Unlock()
	threads := fmt.Sprintf("%d/%d", p.ThreadsDone, p.ThreadsTotal)
	if !p.HistoryDone {
		threads += "+"
	}
	if r.w != nil {
		line := fmt.Sprintf("#%s: %d messages, threads %s, %d calls", p.Channel, p.Messages, threads, p.Stats.Calls)
		if p.Waiting > 0 {
			line += fmt.Sprintf(", rate limited: waiting %s", p.Waiting.Round(time.Second))
		}
		if line != r.lastLine || p.Done {
			fmt.Fprintf(r.w, "\r\033[K%s", line)
			r.lastLine, r.drawn = line, true
		}
		if p.Done {
			fmt.Fprintln(r.w)
			r.drawn = false
		}
		return
	}
	if r.log == nil || (!p.Done && time.Since(r.last) < r.every) {
		return
	}
	r.last = time.Now()
	args := []any{"channel", p.Channel, "messages", p.Messages, "threads", threads, "calls", p.Stats.Calls}
	if p.Waiting > 0 {
		args = append(args, "rate_limited_wait", p.Waiting.Round(time.Second))
	}
	msg := "exporting"
	if p.Done {
		msg = "exported"
	}
	r.log.Info(msg, args...)
}

// Finish ends a line left drawn by an export that failed.
func (r *Reporter) Finish() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.w != nil && r.drawn {
		fmt.Fprintln(r.w)
		r.drawn = false
	}
}
