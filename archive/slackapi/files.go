package slackapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

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
	hidden, err := e.connectFiles(ctx, a)
	if err != nil {
		return err
	}
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
		case hidden[f.ID]: // noted already
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
	limited, heldBack := 0, time.Duration(0)
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
			// As for Web API calls: every Retry-After is waited out,
			// within the time budget, however many there are.
			limited++
			wait := max(rl.RetryAfter, time.Second)
			if heldBack+wait > e.c.opts.RateLimitBudget {
				return nil, fmt.Errorf("downloading file %s (%s): %w", f.ID, f.Name, &BudgetError{
					Limited: limited, Waited: heldBack, RetryAfter: wait, Budget: e.c.opts.RateLimitBudget})
			}
			e.c.count(&e.cnt, func(k *counters) { k.rateLimited.Add(1) })
			if err := sleep(ctx, wait); err != nil {
				return nil, err
			}
			heldBack += wait
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

// checkFileInfo is the file_access of a Slack Connect file that messages
// carry reduced to its ID: its object is read with files.info.
const checkFileInfo = "check_file_info"

// connectFiles replaces every reduced Slack Connect file object with the
// one files.info returns, in the message's JSON and in its typed files, so
// the file is downloaded and archived like any other. A file files.info
// does not show is noted, left as it was, and returned in hidden.
func (e *exporter) connectFiles(ctx context.Context, a *archive.Archive) (hidden map[string]bool, err error) {
	infos := map[string]json.RawMessage{}
	hidden = map[string]bool{}
	for m := range a.All() {
		for _, id := range reducedFiles(m) {
			info, seen := infos[id]
			if !seen {
				if info, err = e.fileInfo(ctx, id); err != nil {
					return nil, err
				}
				infos[id] = info
			}
			if info == nil {
				hidden[id] = true
				continue
			}
			if err := replaceFile(m, id, info); err != nil {
				return nil, fmt.Errorf("message %s: file %s: %w", m.TS, id, err)
			}
		}
	}
	return hidden, nil
}

// reducedFiles returns the IDs of m's files marked check_file_info.
func reducedFiles(m *archive.Message) []string {
	if len(m.Files) == 0 || !bytes.Contains(m.Raw, []byte(checkFileInfo)) {
		return nil
	}
	var msg struct {
		Files []struct {
			ID         string `json:"id"`
			FileAccess string `json:"file_access"`
		} `json:"files"`
	}
	if json.Unmarshal(m.Raw, &msg) != nil {
		return nil
	}
	var ids []string
	for _, f := range msg.Files {
		if f.FileAccess == checkFileInfo && f.ID != "" {
			ids = append(ids, f.ID)
		}
	}
	return ids
}

// fileInfo reads a file's object with files.info. A file the app may not
// see (file_not_found, file_deleted, not_visible) is noted, and is nil.
func (e *exporter) fileInfo(ctx context.Context, id string) (json.RawMessage, error) {
	capt, err := e.c.call(ctx, &e.cnt, "files.info", true, func(ctx context.Context) error {
		_, _, _, err := e.c.api.GetFileInfoContext(ctx, id, 0, 0)
		return err
	})
	switch code := Code(err); code {
	case "":
	case "file_not_found", "file_deleted", "not_visible":
		e.note("file %s is a Slack Connect file that files.info does not show (%s): not downloaded", id, code)
		return nil, nil
	default:
		return nil, fmt.Errorf("files.info %s: %w", id, err)
	}
	if err != nil {
		return nil, fmt.Errorf("files.info %s: %w", id, err)
	}
	var body struct {
		File json.RawMessage `json:"file"`
	}
	if err := json.Unmarshal(capt.body, &body); err != nil {
		return nil, fmt.Errorf("files.info %s: %w", id, err)
	}
	var f archive.File
	if err := json.Unmarshal(body.File, &f); err != nil || f.ID != id {
		return nil, fmt.Errorf("files.info %s: the answer holds no file object for it", id)
	}
	return body.File, nil
}

// replaceFile puts info in place of file id's reduced object: in m.Raw,
// byte for byte where the reduced object was, and in m.Files.
func replaceFile(m *archive.Message, id string, info json.RawMessage) error {
	var f archive.File
	if err := json.Unmarshal(info, &f); err != nil {
		return err
	}
	var msg struct {
		Files []json.RawMessage `json:"files"`
	}
	if err := json.Unmarshal(m.Raw, &msg); err != nil {
		return err
	}
	for _, old := range msg.Files {
		var ref struct {
			ID string `json:"id"`
		}
		if json.Unmarshal(old, &ref) != nil || ref.ID != id {
			continue
		}
		i := bytes.Index(m.Raw, old)
		if i < 0 {
			return errors.New("the file object is not in the message's JSON")
		}
		raw := make([]byte, 0, len(m.Raw)+len(info))
		raw = append(append(append(raw, m.Raw[:i]...), info...), m.Raw[i+len(old):]...)
		m.Raw = raw
		break
	}
	for _, mf := range m.Files {
		if mf.ID == id {
			*mf = f
		}
	}
	return nil
}
