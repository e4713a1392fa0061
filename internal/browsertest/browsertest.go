// Package browsertest drives headless Chromium from tests, to check what a
// browser makes of the HTML wrapup writes: the DOM after load, measurements
// taken in the page, screenshots, and the requests the page made.
//
// It speaks the DevTools protocol over --remote-debugging-pipe: Chromium
// reads commands from its fd 3 and writes replies and events to its fd 4,
// each message a JSON object ended by a NUL byte. No websocket, no port,
// no dependency beyond the standard library.
//
// The network is off in the browser (every host resolves to nothing and
// any connection goes to a proxy that is not there), and Chromium writes a
// net log, so [Browser.Requests] can say what pages asked for even though
// nothing could answer.
//
// Without Chromium, [Chromium] skips the test, or fails it when
// WRAPUP_REQUIRE_BROWSER (or WRAPUP_CI) is set.
package browsertest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wrapup/wrapup/internal/testenv"
)

// RequireEnv is set by CI: without a browser, a browser test fails
// instead of skipping.
const RequireEnv = "WRAPUP_REQUIRE_BROWSER"

// ScreenshotsEnv names a folder where screenshots are kept; without it
// they go to the test's temporary folder and are removed with it.
const ScreenshotsEnv = "WRAPUP_SCREENSHOTS"

// callTimeout bounds one protocol call, page loads included.
const callTimeout = 60 * time.Second

// Chromium finds headless Chromium: $WRAPUP_CHROMIUM, or chromium on PATH.
func Chromium(tb testing.TB) string {
	tb.Helper()
	if p := os.Getenv("WRAPUP_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	why := "no chromium on PATH (apt-get install chromium, or set WRAPUP_CHROMIUM)"
	if os.Getenv(RequireEnv) != "" {
		tb.Fatalf("%s, and %s is set", why, RequireEnv)
	}
	testenv.Require(tb, why)
	return ""
}

// Browser is one headless Chromium process.
type Browser struct {
	cmd    *exec.Cmd
	stderr *bytes.Buffer
	netlog string
	w      *os.File // Chromium's fd 3
	r      *os.File // Chromium's fd 4
	done   chan struct{}

	writeMu sync.Mutex
	mu      sync.Mutex
	nextID  int64
	calls   map[int64]chan message
	waits   []*waiter
	readErr error
	closed  bool
}

// message is a protocol message: a reply carries ID, an event Method.
type message struct {
	ID        int64           `json:"id,omitempty"`
	Method    string          `json:"method,omitempty"`
	SessionID string          `json:"sessionId,omitempty"`
	Params    json.RawMessage `json:"params,omitempty"`
	Result    json.RawMessage `json:"result,omitempty"`
	Error     *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error,omitempty"`
}

// waiter is someone waiting for an event in a session.
type waiter struct {
	method, session string
	ch              chan message
}

// Start launches Chromium with the network off; the test's cleanup stops it.
func Start(tb testing.TB, bin string) *Browser {
	tb.Helper()
	dir := tb.TempDir()
	// Chromium reads fd 3 and writes fd 4: ExtraFiles[0] and [1].
	cr, w, err := os.Pipe()
	if err != nil {
		tb.Fatal(err)
	}
	r, cw, err := os.Pipe()
	if err != nil {
		tb.Fatal(err)
	}
	b := &Browser{netlog: filepath.Join(dir, "net.json"), w: w, r: r, stderr: &bytes.Buffer{},
		calls: map[int64]chan message{}, done: make(chan struct{})}
	b.cmd = exec.Command(bin, "--headless", "--remote-debugging-pipe", "--no-sandbox", "--disable-gpu",
		"--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
		"--disable-sync", "--disable-extensions", "--disable-default-apps", "--mute-audio", "--hide-scrollbars",
		// The network is off: every host resolves to nothing, and any
		// connection would go to a proxy that is not there.
		"--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9",
		"--log-net-log="+b.netlog, "--net-log-capture-mode=Default",
		"--user-data-dir="+filepath.Join(dir, "profile"), "about:blank")
	b.cmd.ExtraFiles = []*os.File{cr, cw}
	b.cmd.Stderr = b.stderr
	if err := b.cmd.Start(); err != nil {
		tb.Fatalf("chromium: %v", err)
	}
	cr.Close()
	cw.Close()
	go b.read()
	tb.Cleanup(func() {
		if err := b.Close(); err != nil {
			tb.Error(err)
		}
	})
	return b
}

// read dispatches what Chromium writes until the pipe closes.
func (b *Browser) read() {
	defer close(b.done)
	br := bufio.NewReaderSize(b.r, 1<<20)
	for {
		raw, err := br.ReadBytes(0)
		if err != nil {
			b.mu.Lock()
			if err == io.EOF {
				err = errors.New("chromium closed the pipe")
			}
			b.readErr = err
			for id, ch := range b.calls {
				close(ch)
				delete(b.calls, id)
			}
			for _, w := range b.waits {
				close(w.ch)
			}
			b.waits = nil
			b.mu.Unlock()
			return
		}
		var m message
		if err := json.Unmarshal(raw[:len(raw)-1], &m); err != nil {
			continue // not a message we can use; the caller times out
		}
		b.mu.Lock()
		if m.ID != 0 {
			if ch, ok := b.calls[m.ID]; ok {
				ch <- m
				delete(b.calls, m.ID)
			}
		} else {
			kept := b.waits[:0]
			for _, w := range b.waits {
				if w.method == m.Method && w.session == m.SessionID {
					w.ch <- m
					continue
				}
				kept = append(kept, w)
			}
			b.waits = kept
		}
		b.mu.Unlock()
	}
}

// Call sends one command to session ("" for the browser) and decodes its
// result into result, which may be nil.
func (b *Browser) Call(ctx context.Context, session, method string, params, result any) error {
	ch := make(chan message, 1)
	b.mu.Lock()
	if b.readErr != nil {
		err := b.readErr
		b.mu.Unlock()
		return fmt.Errorf("%s: %w", method, err)
	}
	b.nextID++
	id := b.nextID
	b.calls[id] = ch
	b.mu.Unlock()
	if params == nil {
		params = struct{}{}
	}
	p, err := json.Marshal(params)
	if err != nil {
		return fmt.Errorf("%s: %w", method, err)
	}
	req, err := json.Marshal(message{ID: id, Method: method, SessionID: session, Params: p})
	if err != nil {
		return fmt.Errorf("%s: %w", method, err)
	}
	b.writeMu.Lock()
	_, err = b.w.Write(append(req, 0))
	b.writeMu.Unlock()
	if err != nil {
		return fmt.Errorf("%s: %w", method, err)
	}
	ctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	select {
	case m, ok := <-ch:
		if !ok {
			return fmt.Errorf("%s: chromium closed the pipe\n%s", method, b.tail())
		}
		if m.Error != nil {
			return fmt.Errorf("%s: %s (code %d)", method, m.Error.Message, m.Error.Code)
		}
		if result != nil {
			if err := json.Unmarshal(m.Result, result); err != nil {
				return fmt.Errorf("%s: result: %w", method, err)
			}
		}
		return nil
	case <-ctx.Done():
		b.mu.Lock()
		delete(b.calls, id)
		b.mu.Unlock()
		return fmt.Errorf("%s: %w", method, ctx.Err())
	}
}

// expect registers a wait for the next event named method in session; it
// is registered before the command that causes the event is sent.
func (b *Browser) expect(method, session string) *waiter {
	w := &waiter{method: method, session: session, ch: make(chan message, 1)}
	b.mu.Lock()
	if b.readErr == nil {
		b.waits = append(b.waits, w)
	} else {
		close(w.ch)
	}
	b.mu.Unlock()
	return w
}

func (b *Browser) await(ctx context.Context, w *waiter) error {
	ctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	select {
	case _, ok := <-w.ch:
		if !ok {
			return fmt.Errorf("waiting for %s: chromium closed the pipe\n%s", w.method, b.tail())
		}
		return nil
	case <-ctx.Done():
		b.mu.Lock()
		for i, x := range b.waits {
			if x == w {
				b.waits = append(b.waits[:i], b.waits[i+1:]...)
				break
			}
		}
		b.mu.Unlock()
		return fmt.Errorf("waiting for %s: %w", w.method, ctx.Err())
	}
}

// tail is the end of Chromium's stderr, for an error message.
func (b *Browser) tail() string {
	s := b.stderr.String()
	if len(s) > 2000 {
		s = "…" + s[len(s)-2000:]
	}
	return s
}

// Close asks Chromium to quit and waits for it; it kills the process if
// it has not gone after a few seconds. It is safe to call twice.
func (b *Browser) Close() error {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return nil
	}
	b.closed = true
	b.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = b.Call(ctx, "", "Browser.close", nil, nil)
	exited := make(chan error, 1)
	go func() { exited <- b.cmd.Wait() }()
	var err error
	select {
	case err = <-exited:
	case <-time.After(10 * time.Second):
		_ = b.cmd.Process.Kill()
		err = fmt.Errorf("chromium did not quit: %v", <-exited)
	}
	b.w.Close()
	<-b.done
	b.r.Close()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		// Chromium may exit non-zero as it closes the pipe: what
		// matters is that it is gone.
		err = nil
	}
	return err
}

// Requests stops the browser, so that its net log is complete, and
// returns the URLs that pages asked for. The browser's own background
// requests (sign-in, updates) have no initiating origin and are left out;
// a file:// page's requests have the opaque origin "null".
func (b *Browser) Requests(tb testing.TB) []string {
	tb.Helper()
	if err := b.Close(); err != nil {
		tb.Error(err)
	}
	urls, err := ReadNetLog(b.netlog)
	if err != nil {
		tb.Fatal(err)
	}
	return urls
}

// ReadNetLog reads a Chromium net log and returns the URLs pages asked
// for, as [Browser.Requests] does.
func ReadNetLog(path string) ([]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("chromium wrote no net log: %w", err)
	}
	var log struct {
		Constants struct {
			LogEventTypes map[string]int `json:"logEventTypes"`
		} `json:"constants"`
		Events []struct {
			Type   int `json:"type"`
			Params struct {
				URL       string `json:"url"`
				Initiator string `json:"initiator"`
			} `json:"params"`
		} `json:"events"`
	}
	if err := json.Unmarshal(b, &log); err != nil {
		// Chromium may stop before it closes the JSON: close it.
		b = append(bytes.TrimRight(b, " \n\r,"), "]}"...)
		if err2 := json.Unmarshal(b, &log); err2 != nil {
			return nil, fmt.Errorf("net log %s: %w", path, err)
		}
	}
	start, ok := log.Constants.LogEventTypes["URL_REQUEST_START_JOB"]
	if !ok {
		return nil, fmt.Errorf("net log %s: no URL_REQUEST_START_JOB event type", path)
	}
	var urls []string
	for _, e := range log.Events {
		p := e.Params
		if e.Type != start || p.URL == "" || p.Initiator == "not an origin" ||
			strings.HasPrefix(p.URL, "file://") || strings.HasPrefix(p.URL, "data:") {
			continue
		}
		urls = append(urls, p.URL)
	}
	return urls, nil
}
