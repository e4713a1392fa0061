package browsertest

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// Page is one tab, attached in flat mode: its commands carry its session.
type Page struct {
	b       *Browser
	target  string
	session string
	ctx     context.Context
}

// NewPage opens a blank tab.
func (b *Browser) NewPage(tb testing.TB) *Page {
	tb.Helper()
	ctx := tb.Context()
	var created struct {
		TargetID string `json:"targetId"`
	}
	if err := b.Call(ctx, "", "Target.createTarget", map[string]any{"url": "about:blank"}, &created); err != nil {
		tb.Fatal(err)
	}
	var attached struct {
		SessionID string `json:"sessionId"`
	}
	if err := b.Call(ctx, "", "Target.attachToTarget", map[string]any{"targetId": created.TargetID, "flatten": true}, &attached); err != nil {
		tb.Fatal(err)
	}
	p := &Page{b: b, target: created.TargetID, session: attached.SessionID, ctx: ctx}
	if err := p.call("Page.enable", nil, nil); err != nil {
		tb.Fatal(err)
	}
	return p
}

func (p *Page) call(method string, params, result any) error {
	return p.b.Call(p.ctx, p.session, method, params, result)
}

// SetViewport sets the page's size in CSS pixels at a device scale of 1;
// mobile makes the page lay out as a phone would, honouring its viewport
// <meta>.
func (p *Page) SetViewport(width, height int, mobile bool) error {
	return p.call("Emulation.setDeviceMetricsOverride", map[string]any{
		"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile,
	}, nil)
}

// SetColorScheme emulates prefers-color-scheme: "light" or "dark".
func (p *Page) SetColorScheme(scheme string) error {
	return p.call("Emulation.setEmulatedMedia", map[string]any{
		"features": []map[string]string{{"name": "prefers-color-scheme", "value": scheme}},
	}, nil)
}

// SetMedia emulates a media type, "print" or "screen" ("" resets it).
func (p *Page) SetMedia(media string) error {
	return p.call("Emulation.setEmulatedMedia", map[string]any{"media": media}, nil)
}

// Navigate loads url and waits for its load event.
func (p *Page) Navigate(url string) error {
	w := p.b.expect("Page.loadEventFired", p.session)
	var nav struct {
		ErrorText string `json:"errorText"`
	}
	if err := p.call("Page.navigate", map[string]any{"url": url}, &nav); err != nil {
		return err
	}
	if nav.ErrorText != "" {
		return fmt.Errorf("navigate %s: %s", url, nav.ErrorText)
	}
	return p.b.await(p.ctx, w)
}

// Eval evaluates a JavaScript expression in the page and decodes its
// value, which must be JSON, into out. DevTools evaluation is not subject
// to the page's Content-Security-Policy, so it works on a page that
// forbids scripts; the page's own scripts still cannot run.
func (p *Page) Eval(expr string, out any) error {
	var res struct {
		Result struct {
			Type  string          `json:"type"`
			Value json.RawMessage `json:"value"`
		} `json:"result"`
		ExceptionDetails *struct {
			Text      string `json:"text"`
			Exception *struct {
				Description string `json:"description"`
			} `json:"exception"`
		} `json:"exceptionDetails"`
	}
	if err := p.call("Runtime.evaluate", map[string]any{"expression": expr, "returnByValue": true, "awaitPromise": true}, &res); err != nil {
		return err
	}
	if e := res.ExceptionDetails; e != nil {
		msg := e.Text
		if e.Exception != nil {
			msg = e.Exception.Description
		}
		return fmt.Errorf("evaluate: %s", msg)
	}
	if out == nil {
		return nil
	}
	if len(res.Result.Value) == 0 {
		return fmt.Errorf("evaluate: the expression gave %s, not a JSON value", res.Result.Type)
	}
	return json.Unmarshal(res.Result.Value, out)
}

// DOM is the document's markup as the browser built it.
func (p *Page) DOM() (string, error) {
	var s string
	err := p.Eval("document.documentElement.outerHTML", &s)
	return s, err
}

// maxShotHeight caps a full-page screenshot, in CSS pixels.
const maxShotHeight = 16000

// Screenshot captures the whole page (its full scroll width, and its
// height up to 16000 px, past which Chromium cannot draw one image) as a PNG named name+".png" in [ScreenshotDir], and
// returns the file's path and the image's width in pixels.
func (p *Page) Screenshot(tb testing.TB, name string) (path string, width int) {
	tb.Helper()
	var size struct {
		W float64 `json:"w"`
		H float64 `json:"h"`
	}
	if err := p.Eval(`({w: document.documentElement.scrollWidth, h: document.documentElement.scrollHeight})`, &size); err != nil {
		tb.Fatal(err)
	}
	var shot struct {
		Data string `json:"data"`
	}
	err := p.call("Page.captureScreenshot", map[string]any{
		"format": "png", "captureBeyondViewport": true,
		"clip": map[string]any{"x": 0, "y": 0, "width": size.W, "height": min(size.H, maxShotHeight), "scale": 1},
	}, &shot)
	if err != nil {
		tb.Fatal(err)
	}
	img, err := base64.StdEncoding.DecodeString(shot.Data)
	if err != nil {
		tb.Fatalf("screenshot %s: %v", name, err)
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(img))
	if err != nil {
		tb.Fatalf("screenshot %s is not a PNG: %v", name, err)
	}
	path = filepath.Join(ScreenshotDir(tb), name+".png")
	if err := os.WriteFile(path, img, 0o600); err != nil {
		tb.Fatal(err)
	}
	return path, cfg.Width
}

// ScreenshotDir is $WRAPUP_SCREENSHOTS/<test name>, where screenshots are
// kept, or a temporary folder removed after the test.
func ScreenshotDir(tb testing.TB) string {
	tb.Helper()
	root := os.Getenv(ScreenshotsEnv)
	if root == "" {
		return tb.TempDir()
	}
	dir := filepath.Join(root, regexp.MustCompile(`[^A-Za-z0-9._-]+`).ReplaceAllString(tb.Name(), "_"))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.Fatal(err)
	}
	return dir
}
