package browsertest

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestPage drives one page through everything the helper offers: the
// viewport and colour scheme reach the page's CSS, evaluation works under
// a CSP that forbids scripts while the page's own script does not run, a
// screenshot has the viewport's width, and the net log shows a request
// the page made although the network is off.
func TestPage(t *testing.T) {
	bin := Chromium(t)
	dir := t.TempDir()
	page := filepath.Join(dir, "page.html")
	const html = `<!DOCTYPE html><html><head>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src http://probe.example">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>before</title>
<style>body { background: #fff; } @media (prefers-color-scheme: dark) { body { background: #000; } }</style>
<script>document.title = "script ran"</script>
</head><body><p>x</p><img src="http://probe.example/a.png"></body></html>`
	if err := os.WriteFile(page, []byte(html), 0o600); err != nil {
		t.Fatal(err)
	}
	b := Start(t, bin)
	p := b.NewPage(t)
	for _, tc := range []struct {
		width  int
		mobile bool
		scheme string
		bg     string
	}{
		{1280, false, "light", "rgb(255, 255, 255)"},
		{390, true, "dark", "rgb(0, 0, 0)"},
	} {
		if err := p.SetViewport(tc.width, 800, tc.mobile); err != nil {
			t.Fatal(err)
		}
		if err := p.SetColorScheme(tc.scheme); err != nil {
			t.Fatal(err)
		}
		if err := p.Navigate("file://" + page); err != nil {
			t.Fatal(err)
		}
		var got struct {
			Width int    `json:"width"`
			Title string `json:"title"`
			BG    string `json:"bg"`
		}
		if err := p.Eval(`({width: document.documentElement.clientWidth, title: document.title, bg: getComputedStyle(document.body).backgroundColor})`, &got); err != nil {
			t.Fatal(err)
		}
		if got.Width != tc.width {
			t.Errorf("clientWidth %d, want %d", got.Width, tc.width)
		}
		if got.Title != "before" {
			t.Errorf("title %q: the page's script ran", got.Title)
		}
		if got.BG != tc.bg {
			t.Errorf("%s: background %s, want %s", tc.scheme, got.BG, tc.bg)
		}
		path, w := p.Screenshot(t, "shot")
		if st, err := os.Stat(path); err != nil || st.Size() == 0 {
			t.Errorf("screenshot %s: %v", path, err)
		}
		if w != tc.width {
			t.Errorf("screenshot %d px wide, want %d", w, tc.width)
		}
	}
	if err := p.Eval(`no_such_thing()`, nil); err == nil {
		t.Error("an exception in the page is not an error")
	}
	dom, err := p.DOM()
	if err != nil || !strings.Contains(dom, "<title>before</title>") {
		t.Errorf("DOM: %v: %.200s", err, dom)
	}
	if got := b.Requests(t); !slices.Contains(got, "http://probe.example/a.png") {
		t.Errorf("the net log shows %q, not the page's request for its image", got)
	}
}
