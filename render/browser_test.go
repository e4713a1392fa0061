package render

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wrapup/wrapup/internal/testenv"
)

// RequireBrowserEnv is set by .ci/run: without a browser, the browser
// test fails instead of skipping.
const RequireBrowserEnv = "WRAPUP_REQUIRE_BROWSER"

// chromium finds headless Chromium: $WRAPUP_CHROMIUM, or chromium on PATH.
func chromium(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("WRAPUP_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	why := "no chromium on PATH (apt-get install chromium, or set WRAPUP_CHROMIUM)"
	if os.Getenv(RequireBrowserEnv) != "" {
		t.Fatalf("%s, and %s is set", why, RequireBrowserEnv)
	}
	testenv.Require(t, why)
	return ""
}

// TestBrowser opens the hostile corpus's postmortem.html in headless
// Chromium with the network off, and reads the DOM after load: the
// timeline and the chart are there, no script ran, no element the corpus
// tried to inject exists, and the page asked for nothing but itself.
func TestBrowser(t *testing.T) {
	bin := chromium(t)
	arc := hostileArchive(t, hostile)
	out, err := Render(arc, buildTimeline(t, arc, "chatops"), testOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	page := filepath.Join(dir, HTMLFile)
	html := file(t, out, HTMLFile)
	if err := os.WriteFile(page, html, 0o600); err != nil {
		t.Fatal(err)
	}
	// Nothing remote in the file: links are <a href> only (checkHTMLSafe),
	// and the style sheet fetches nothing.
	if err := checkHTMLSafe(string(html)); err != nil {
		t.Error(err)
	}
	if css := styleOf(string(html)); regexp.MustCompile(`(?i)url\(|@import`).MatchString(css) {
		t.Error("the CSS loads something")
	}

	dom, netlog := dumpDOM(t, bin, page)
	if !strings.Contains(dom, "<title>Postmortem: API latency</title>") {
		t.Errorf("the title changed, so a script ran (or the page did not load): %s", tail(titleOf(dom), 200))
	}
	if !strings.Contains(dom, "<svg") || !strings.Contains(dom, `class="s-identified"`) {
		t.Error("the DOM has no phase chart")
	}
	rows := regexp.MustCompile(`<tr>\s*<td>2026-03-26 1\d:\d\d:\d\d</td>`).FindAllString(dom, -1)
	if len(rows) < len(hostileCorpus) {
		t.Errorf("the DOM has %d timeline rows, want at least %d", len(rows), len(hostileCorpus))
	}
	if !strings.Contains(dom, "<details>") {
		t.Error("the DOM has no folded thread")
	}
	if err := checkDOMSafe(dom); err != nil {
		t.Error(err)
	}
	for _, u := range pageRequests(t, netlog) {
		t.Errorf("the page requested %s", u)
	}

	// The net log check itself: a page with a remote image and no CSP
	// shows its request.
	probe := filepath.Join(dir, "probe.html")
	if err := os.WriteFile(probe, []byte(`<!DOCTYPE html><p>x<img src="http://probe.example/a.png">`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, log := dumpDOM(t, bin, probe); !slices.Contains(pageRequests(t, log), "http://probe.example/a.png") {
		t.Error("the net log did not show a page's request for a remote image: the check above proves nothing")
	}
}

// dumpDOM loads page in headless Chromium with the network off and
// returns the DOM after load and the path of the net log.
func dumpDOM(t *testing.T, bin, page string) (dom, netlog string) {
	t.Helper()
	dir := t.TempDir()
	netlog = filepath.Join(dir, "net.json")
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
		"--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-extensions", "--disable-default-apps", "--mute-audio",
		// The network is off: every host resolves to nothing, and any
		// connection would go to a proxy that is not there.
		"--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9",
		"--log-net-log="+netlog, "--net-log-capture-mode=Default",
		"--user-data-dir="+filepath.Join(dir, "profile"), "--virtual-time-budget=3000",
		"--dump-dom", "file://"+page)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, tail(stderr.String(), 2000))
	}
	return stdout.String(), netlog
}

// checkDOMSafe is checkHTMLSafe on the DOM a browser built, which is what
// would run: an element or handler that parsing produced shows up here.
func checkDOMSafe(dom string) error {
	// The DOM dump does not keep the CSP <meta> check's exact text, so
	// check the elements and attributes only.
	i := strings.Index(dom, "<body")
	if i < 0 {
		return nil
	}
	return checkHTMLSafe(dom[i:] + `content="default-src 'none'; style-src 'unsafe-inline'; img-src data:`)
}

// pageRequests reads Chromium's net log and returns the URLs that pages
// asked for. The browser's own background requests (sign-in, updates)
// have no initiating origin and are left out; a file:// page's requests
// have the opaque origin "null".
func pageRequests(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("chromium wrote no net log: %v", err)
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
			t.Fatalf("net log: %v", err)
		}
	}
	start, ok := log.Constants.LogEventTypes["URL_REQUEST_START_JOB"]
	if !ok {
		t.Fatal("net log: no URL_REQUEST_START_JOB event type")
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
	return urls
}

// styleOf is the content of the page's <style> elements.
func styleOf(html string) string {
	var css strings.Builder
	for _, m := range regexp.MustCompile(`(?s)<style>(.*?)</style>`).FindAllStringSubmatch(html, -1) {
		css.WriteString(m[1])
	}
	return css.String()
}

func titleOf(dom string) string {
	if i := strings.Index(dom, "<title>"); i >= 0 {
		return dom[i:min(len(dom), i+120)]
	}
	return "(no title)"
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}
