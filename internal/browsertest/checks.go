package browsertest

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// Widths are the viewport widths a page is checked at: a desktop and a
// phone (390 px, an iPhone's CSS width).
var Widths = []int{1280, 390}

// EachLayout loads page at each of [Widths], in light and dark, each as
// a subtest named "<width>-<scheme>" (a phone's viewport for widths under
// 600 px), and calls check on the loaded page; check returns what it saw
// of the page's colours. Each layout's screenshot is taken (kept in
// $WRAPUP_SCREENSHOTS) and must be a PNG of the viewport's width, and at
// each width dark mode must change what check saw.
func EachLayout(t *testing.T, p *Page, page string, check func(t *testing.T, width int) (colours string)) {
	t.Helper()
	seen := map[string]string{}
	for _, width := range Widths {
		for _, scheme := range []string{"light", "dark"} {
			name := fmt.Sprintf("%d-%s", width, scheme)
			t.Run(name, func(t *testing.T) {
				if err := p.SetViewport(width, 900, width < 600); err != nil {
					t.Fatal(err)
				}
				if err := p.SetColorScheme(scheme); err != nil {
					t.Fatal(err)
				}
				if err := p.Navigate("file://" + page); err != nil {
					t.Fatal(err)
				}
				seen[name] = check(t, width)
				path, w := p.Screenshot(t, name)
				if st, err := os.Stat(path); err != nil || st.Size() < 1000 {
					t.Errorf("screenshot %s: %v", path, err)
				}
				if w != width {
					t.Errorf("the screenshot is %d px wide, want %d", w, width)
				}
			})
		}
	}
	for _, w := range Widths {
		if light := seen[fmt.Sprint(w)+"-light"]; light == seen[fmt.Sprint(w)+"-dark"] {
			t.Errorf("at %d px, dark mode changes neither the background nor the chart: %s", w, light)
		}
	}
}

// Printout loads page as printed on a phone-sized sheet with a dark
// preference (subtest "print"), and calls check on it: print must not
// follow the screen's dark mode.
func Printout(t *testing.T, p *Page, page string, check func(t *testing.T)) {
	t.Helper()
	t.Run("print", func(t *testing.T) {
		if err := p.SetViewport(390, 900, true); err != nil {
			t.Fatal(err)
		}
		if err := p.SetColorScheme("dark"); err != nil {
			t.Fatal(err)
		}
		if err := p.Navigate("file://" + page); err != nil {
			t.Fatal(err)
		}
		if err := p.SetMedia("print"); err != nil {
			t.Fatal(err)
		}
		defer func() { _ = p.SetMedia("") }()
		check(t)
	})
}

// ProveNetLog checks the net log check itself: a page in dir with a
// remote image and no CSP shows its request, and no other. onProbe, when
// set, is called with the probe page loaded, to prove a DOM check too.
func (b *Browser) ProveNetLog(t *testing.T, p *Page, dir string, onProbe func(*Page)) {
	t.Helper()
	const probeURL = "http://probe.example/a.png"
	probe := filepath.Join(dir, "probe.html")
	if err := os.WriteFile(probe, []byte(`<!DOCTYPE html><p>x<img src="`+probeURL+`">`), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := p.Navigate("file://" + probe); err != nil {
		t.Fatal(err)
	}
	if onProbe != nil {
		onProbe(p)
	}
	reqs := b.Requests(t)
	if !slices.Contains(reqs, probeURL) {
		t.Error("the net log did not show a page's request for a remote image: the check above proves nothing")
	}
	for _, u := range reqs {
		if u != probeURL {
			t.Errorf("the page requested %s", u)
		}
	}
}

// CheckStyle fails t when the page's <style> elements load anything.
func CheckStyle(t *testing.T, html string) {
	t.Helper()
	var css strings.Builder
	for _, m := range regexp.MustCompile(`(?s)<style>(.*?)</style>`).FindAllStringSubmatch(html, -1) {
		css.WriteString(m[1])
	}
	if regexp.MustCompile(`(?i)url\(|@import`).MatchString(css.String()) {
		t.Error("the CSS loads something")
	}
}

// Contrast is WCAG's contrast ratio of two CSS colours "rgb(r, g, b)".
func Contrast(tb testing.TB, a, b string) float64 {
	tb.Helper()
	la, lb := luminance(tb, a), luminance(tb, b)
	return (math.Max(la, lb) + 0.05) / (math.Min(la, lb) + 0.05)
}

func luminance(tb testing.TB, c string) float64 {
	tb.Helper()
	var r, g, b float64
	if _, err := fmt.Sscanf(c, "rgb(%g, %g, %g)", &r, &g, &b); err != nil {
		tb.Fatalf("colour %q: %v", c, err)
	}
	lin := func(v float64) float64 {
		v /= 255
		if v <= 0.03928 {
			return v / 12.92
		}
		return math.Pow((v+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}
