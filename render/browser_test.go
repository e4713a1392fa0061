package render

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/wrapup/wrapup/internal/browsertest"
)

// TestBrowser opens the hostile corpus's postmortem.html in headless
// Chromium with the network off. The DOM after load has the timeline and
// the chart, no script ran, no element the corpus tried to inject exists,
// and the page asked for nothing but itself. Then, at 1280 and 390 px,
// light and dark (TestBrowserLayout's checks), the page reads: no
// sideways scrolling, no text under 11 px in the timeline or the chart,
// dates on one line, readable contrast; and print stays as it was.
func TestBrowser(t *testing.T) {
	bin := browsertest.Chromium(t)
	arc := hostileArchive(t, hostile)
	out, err := renderWhole(arc, buildTimeline(t, arc, "chatops"), testOptions(t))
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
	browsertest.CheckStyle(t, string(html))

	b := browsertest.Start(t, bin)
	p := b.NewPage(t)
	if err := p.SetViewport(1280, 900, false); err != nil {
		t.Fatal(err)
	}
	if err := p.Navigate("file://" + page); err != nil {
		t.Fatal(err)
	}
	dom, err := p.DOM()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(dom, "<title>Postmortem: API latency</title>") {
		t.Errorf("the title changed, so a script ran (or the page did not load): %s", tail(titleOf(dom), 200))
	}
	if !strings.Contains(dom, "<svg") || !strings.Contains(dom, `class="s-identified"`) {
		t.Error("the DOM has no phase chart")
	}
	rows := regexp.MustCompile(`<tr>\s*<td[^>]*>2026-03-26 1\d:\d\d:\d\d</td>`).FindAllString(dom, -1)
	if len(rows) < len(hostileCorpus) {
		t.Errorf("the DOM has %d timeline rows, want at least %d", len(rows), len(hostileCorpus))
	}
	if !strings.Contains(dom, "<details>") {
		t.Error("the DOM has no folded thread")
	}
	if err := checkDOMSafe(dom); err != nil {
		t.Error(err)
	}

	checkLayout(t, p, page)

	b.ProveNetLog(t, p, dir, nil)
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
