package slackapi

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/slack-go/slack"
	"github.com/wrapup/wrapup/archive"
)

// errTooBig stops a download that passes the size limit.
var errTooBig = errors.New("file larger than the limit")

// capWriter buffers at most max bytes.
type capWriter struct {
	buf bytes.Buffer
	max int64
}

func (w *capWriter) Write(p []byte) (int, error) {
	if int64(w.buf.Len()+len(p)) > w.max {
		return 0, errTooBig
	}
	return w.buf.Write(p)
}

// files downloads the bytes of every hosted file the archive references,
// a few at a time, and attaches them to every message that shares them.
// A file that cannot be had (external, deleted, too big) is noted and
// skipped; a download that keeps failing fails the export.
func (e *exporter) files(ctx context.Context, a *archive.Archive) error {
	byID := map[string][]*archive.File{}
	var order []*archive.File
	for m := range a.All() {
		for _, f := range m.Files {
			if _, seen := byID[f.ID]; !seen {
				order = append(order, f)
			}
			byID[f.ID] = append(byID[f.ID], f)
		}
	}
	var todo []*archive.File
	for _, f := range order {
		switch {
		case f.Mode == "tombstone":
			e.note("file %s was deleted: not downloaded", f.ID)
		case f.IsExternal || f.Mode == "external":
			e.note("file %s (%s) is stored outside Slack: not downloaded", f.ID, f.Name)
		case !f.Downloadable():
			e.note("file %s (%s) has no download URL: not downloaded", f.ID, f.Name)
		case int64(f.Size) > e.opts.MaxFileBytes:
			e.note("file %s (%s) is %d bytes, over export.max_file_mb: not downloaded", f.ID, f.Name, f.Size)
		default:
			todo = append(todo, f)
		}
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	next := make(chan *archive.File)
	var wg sync.WaitGroup
	for range min(e.opts.Concurrency, max(len(todo), 1)) {
		wg.Go(func() {
			for f := range next {
				content, err := e.download(ctx, f)
				if errors.Is(err, errTooBig) {
					e.note("file %s (%s) is over export.max_file_mb: not downloaded", f.ID, f.Name)
					continue
				}
				if err != nil {
					cancel(err)
					return
				}
				for _, same := range byID[f.ID] {
					same.Content = content
				}
			}
		})
	}
	for _, f := range todo {
		select {
		case next <- f:
		case <-ctx.Done():
		}
	}
	close(next)
	wg.Wait()
	return context.Cause(ctx)
}

// download fetches one file with the token, through slack-go, retrying
// server errors and broken connections like an API call.
func (e *exporter) download(ctx context.Context, f *archive.File) ([]byte, error) {
	u := f.URLPrivateDownload
	if u == "" {
		u = f.URLPrivate
	}
	backoff := e.c.opts.Backoff
	limited := 0
	for attempt := 1; ; attempt++ {
		w := &capWriter{max: e.opts.MaxFileBytes}
		actx, cancel := context.WithTimeout(ctx, e.c.opts.CallTimeout)
		err := e.c.api.GetFileContext(actx, u, w)
		cancel()
		if err == nil {
			return w.buf.Bytes(), nil
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if errors.Is(err, errTooBig) {
			return nil, errTooBig
		}
		var rl *slack.RateLimitedError
		if errors.As(err, &rl) {
			if limited++; limited > e.c.opts.MaxRateLimited {
				return nil, fmt.Errorf("downloading file %s (%s): rate limited %d times", f.ID, f.Name, limited-1)
			}
			if err := sleep(ctx, rl.RetryAfter); err != nil {
				return nil, err
			}
			attempt--
			continue
		}
		if !transient(err) && !errors.Is(err, context.DeadlineExceeded) || attempt >= e.c.opts.MaxAttempts {
			// The error names the URL; say which file instead.
			return nil, fmt.Errorf("downloading file %s (%s): %s", f.ID, f.Name, redactURL(err))
		}
		if err := sleep(ctx, backoff); err != nil {
			return nil, err
		}
		backoff = min(2*backoff, e.c.opts.MaxBackoff)
	}
}
