package library_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wrapup/wrapup/internal/browsertest"
	"github.com/wrapup/wrapup/library"
	"github.com/wrapup/wrapup/timeline"
)

// minTextPx is the smallest text index.html may show in its tables and
// charts, in CSS pixels as rendered.
const minTextPx = 11

// browserLibrary writes an index over 36 generated incidents across 18
// months, titles, severities, owners and tickets taken from the hostile
// strings, and returns the path of its index.html.
func browserLibrary(t *testing.T) (page string, idx *library.Index) {
	t.Helper()
	specs := generate(36, 18, genStart, 11)
	for i := range specs {
		specs[i].title = hostile[i%len(hostile)]
		if i%4 == 0 {
			specs[i].severity = hostile[(i+3)%len(hostile)]
			specs[i].peak = specs[i].severity
		}
		for j := range specs[i].items {
			specs[i].items[j].summary = hostile[(i+j)%len(hostile)]
			specs[i].items[j].assignee = hostile[(i+j+1)%len(hostile)]
			if j%2 == 0 {
				specs[i].items[j].state = "open"
				specs[i].items[j].ticket = &timeline.Ticket{Tracker: "jira", ID: "OPS-1 | <b>x</b>", URL: "javascript:alert(1)"}
			}
		}
	}
	// A long unbroken title, as a channel topic can be.
	specs[1].title = strings.Repeat("unbroken-", 30)
	dir := t.TempDir()
	write(t, dir, specs)
	idx, err := library.Build(context.Background(), library.Options{Dir: dir, Now: genNow, OverdueAfter: 720 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if len(idx.Months) != 18 || len(idx.Overdue) == 0 {
		t.Fatalf("%d months, %d overdue items; want 18 and some", len(idx.Months), len(idx.Overdue))
	}
	docs, err := library.Render(idx, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := docs.Write(dir); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, library.HTMLFile), idx
}

// TestBrowser opens index.html, built over generated incidents with
// hostile titles, in headless Chromium with the network off: no script
// ran, nothing the titles tried to inject exists, the page asked for
// nothing; and at 1280 and 390 px, light and dark, it reads
// (checkIndexLayout).
func TestBrowser(t *testing.T) {
	bin := browsertest.Chromium(t)
	page, idx := browserLibrary(t)
	html, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
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
	if !strings.Contains(dom, "<title>Postmortem library</title>") {
		t.Errorf("the title changed, so a script ran (or the page did not load): %.200s", dom)
	}
	checkIndexDOM(t, p, dom)
	var rows int
	if err := p.Eval(`document.querySelectorAll('table.incidents tbody tr').length`, &rows); err != nil {
		t.Fatal(err)
	}
	if rows != len(idx.Incidents) {
		t.Errorf("the DOM's incidents table has %d rows, want %d", rows, len(idx.Incidents))
	}

	checkIndexLayout(t, p, page)

	// The net log check itself, and domProbe's: it finds the probe's image.
	b.ProveNetLog(t, p, filepath.Dir(page), func(p *browsertest.Page) {
		var found []string
		if err := p.Eval(domProbe, &found); err != nil || !slices.Contains(found, "<img>") {
			t.Errorf("domProbe found %q (%v) in a page with an image: the DOM check above proves nothing", found, err)
		}
	})
}

// domProbe lists, in the page as the browser built it, what the hostile
// titles tried to make: elements that run, load or format something,
// event handler attributes, links that are not to a file or the web.
const domProbe = `(() => {
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (/^(SCRIPT|IMG|IFRAME|OBJECT|EMBED|LINK|META|FORM|INPUT|B|H3|UL|LI)$/.test(el.tagName) && !el.closest('ul.skipped')) out.push('<' + el.tagName.toLowerCase() + '>');
    for (const a of el.attributes) {
      if (/^on/i.test(a.name)) out.push(el.tagName.toLowerCase() + ' ' + a.name);
      if (/^(href|src|xlink:href)$/i.test(a.name) && !/^(https?:|[^:]*$)/i.test(a.value.trim())) out.push(a.name + '=' + a.value);
      if (/^(href|src)$/i.test(a.name) && /evil/.test(a.value)) out.push(a.name + '=' + a.value);
    }
  }
  return out;
})()`

// checkIndexDOM checks that the page holds nothing domProbe finds, and
// shows a hostile title as text.
func checkIndexDOM(t *testing.T, p *browsertest.Page, dom string) {
	t.Helper()
	var bad []string
	if err := p.Eval(domProbe, &bad); err != nil {
		t.Fatal(err)
	}
	for _, b := range bad {
		t.Errorf("the DOM holds %s", b)
	}
	if !strings.Contains(dom, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Error("the DOM does not show the <script> title as text")
	}
}

// indexMeasure runs in the page and reports what checkIndexLayout needs.
// A text's size is its element's computed font-size; an SVG text's is
// that times the SVG's scale (getScreenCTM), where a viewBox that shrinks
// a chart to a phone's width shows. Only what is displayed counts.
const indexMeasure = `(() => {
  const de = document.documentElement, body = document.body;
  const css = (el) => getComputedStyle(el);
  const visible = (el) => el.getClientRects().length > 0 && css(el).visibility !== 'hidden';
  const out = {scrollWidth: de.scrollWidth, clientWidth: de.clientWidth,
    bg: css(body).backgroundColor, fg: css(body).color, muted: css(document.querySelector('p.how')).color,
    tableTexts: 0, svgTexts: 0, charts: 0, small: [], offside: [], overlaps: [], fills: [],
    incScroll: 0, incClient: 0, incDisplay: '', wide: [], broken: []};
  for (const tbl of document.querySelectorAll('table')) {
    const walk = document.createTreeWalker(tbl, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      const el = n.parentElement;
      if (!n.data.trim() || !visible(el)) continue;
      out.tableTexts++;
      const px = parseFloat(css(el).fontSize);
      if (px < 11) out.small.push({text: n.data.slice(0, 40), px});
      if (el.closest('.title, .text, .sev, small')) continue; // text from Slack may break anywhere
      const re = /\S+/g;
      for (let m = re.exec(n.data); m; m = re.exec(n.data)) {
        const r = document.createRange(); r.setStart(n, m.index); r.setEnd(n, m.index + m[0].length);
        const lines = new Set([...r.getClientRects()].map((q) => Math.round(q.top)));
        if (lines.size > 1 && out.broken.length < 5) out.broken.push(m[0]);
      }
    }
  }
  for (const svg of document.querySelectorAll('figure.chart svg')) {
    if (!visible(svg)) continue;
    out.charts++;
    const xs = [];
    for (const t of svg.querySelectorAll('text')) {
      if (!visible(t)) continue;
      out.svgTexts++;
      const m = t.getScreenCTM(), scale = Math.hypot(m.a, m.b);
      const px = parseFloat(css(t).fontSize) * scale;
      if (px < 11) out.small.push({text: 'svg: ' + t.textContent, px});
      const r = t.getBoundingClientRect();
      if (r.left < 0 || r.right > de.clientWidth) out.offside.push(t.textContent);
      if (t.getAttribute('text-anchor') === 'middle') xs.push(r);
    }
    xs.sort((a, b) => a.left - b.left);
    for (let i = 1; i < xs.length; i++) if (xs[i].left < xs[i-1].right) out.overlaps.push(out.charts + ':' + i);
    if (out.charts === 1) {
      out.fills.push(css(svg.querySelector('text')).fill);
      for (const r of svg.querySelectorAll('rect')) { out.fills.push(css(r).fill); break; }
    }
  }
  const inc = document.querySelector('table.incidents');
  if (inc) {
    out.incScroll = inc.parentElement.scrollWidth; out.incClient = inc.parentElement.clientWidth;
    out.incDisplay = css(inc).display;
    const right = inc.parentElement.getBoundingClientRect().right;
    for (const el of inc.querySelectorAll('td, td *')) {
      if (el.getBoundingClientRect().right > right + 0.5 && out.wide.length < 3) out.wide.push(el.outerHTML.slice(0, 80));
    }
  }
  return out;
})()`

// indexLayout is what indexMeasure reports.
type indexLayout struct {
	ScrollWidth int      `json:"scrollWidth"`
	ClientWidth int      `json:"clientWidth"`
	BG          string   `json:"bg"`
	FG          string   `json:"fg"`
	Muted       string   `json:"muted"`
	TableTexts  int      `json:"tableTexts"`
	SVGTexts    int      `json:"svgTexts"`
	Charts      int      `json:"charts"`
	Small       []any    `json:"small"`
	Offside     []string `json:"offside"`
	Overlaps    []string `json:"overlaps"`
	Fills       []string `json:"fills"`
	IncScroll   int      `json:"incScroll"`
	IncClient   int      `json:"incClient"`
	IncDisplay  string   `json:"incDisplay"`
	Wide        []string `json:"wide"`   // what sticks out of the incidents table
	Broken      []string `json:"broken"` // words in tables split across lines
}

// checkIndexLayout loads page at 1280 and 390 px, light and dark, and
// checks that it reads: nothing wider than the screen, the incidents
// table without sideways scrolling on a phone, no text under 11 px in
// the tables or the charts, the three charts shown with their labels
// inside the screen and apart, readable contrast, and dark mode
// changing the colours. It takes a screenshot of each, as wide as the
// viewport (kept in $WRAPUP_SCREENSHOTS). Last, the printout with a dark
// preference is dark on white.
func checkIndexLayout(t *testing.T, p *browsertest.Page, page string) {
	t.Helper()
	browsertest.EachLayout(t, p, page, func(t *testing.T, width int) string {
		var l indexLayout
		if err := p.Eval(indexMeasure, &l); err != nil {
			t.Fatal(err)
		}
		if l.ClientWidth != width {
			t.Errorf("the viewport is %d px wide, want %d", l.ClientWidth, width)
		}
		if l.ScrollWidth > l.ClientWidth {
			t.Errorf("the page scrolls sideways: %d px wide in %d", l.ScrollWidth, l.ClientWidth)
		}
		if width < 600 && l.IncScroll > l.IncClient {
			t.Errorf("the incidents scroll sideways: %d px in %d, because of %q", l.IncScroll, l.IncClient, l.Wide)
		}
		if l.Charts != 3 || l.SVGTexts < 3*9 || l.TableTexts < 36*5 {
			t.Errorf("measured %d charts, %d chart texts and %d table texts: a chart or a table is missing",
				l.Charts, l.SVGTexts, l.TableTexts)
		}
		if n := len(l.Small); n > 0 {
			t.Errorf("%d texts under %d px, such as %v", n, minTextPx, l.Small[:min(n, 3)])
		}
		if len(l.Broken) > 0 {
			t.Errorf("words in the tables break across lines, such as %q", l.Broken)
		}
		for _, s := range l.Offside {
			t.Errorf("a chart label is off the screen: %q", s)
		}
		if len(l.Overlaps) > 0 {
			t.Errorf("month labels overlap (chart:label): %v", l.Overlaps)
		}
		if c := browsertest.Contrast(t, l.FG, l.BG); c < 7 {
			t.Errorf("text contrast %.1f:1 (%s on %s), want 7:1", c, l.FG, l.BG)
		}
		if c := browsertest.Contrast(t, l.Muted, l.BG); c < 4.5 {
			t.Errorf("muted text contrast %.1f:1 (%s on %s), want 4.5:1", c, l.Muted, l.BG)
		}
		if len(l.Fills) != 2 {
			t.Fatalf("the first chart has no text or no bar: fills %v", l.Fills)
		}
		if c := browsertest.Contrast(t, l.Fills[0], l.BG); c < 4.5 {
			t.Errorf("chart text contrast %.1f:1 (%s on %s), want 4.5:1", c, l.Fills[0], l.BG)
		}
		if c := browsertest.Contrast(t, l.Fills[1], l.BG); c < 3 {
			t.Errorf("chart bar contrast %.1f:1 (%s on %s), want 3:1", c, l.Fills[1], l.BG)
		}
		return l.BG + " " + strings.Join(l.Fills, " ")
	})
	browsertest.Printout(t, p, page, func(t *testing.T) {
		var l indexLayout
		if err := p.Eval(indexMeasure, &l); err != nil {
			t.Fatal(err)
		}
		if l.BG != "rgb(255, 255, 255)" || browsertest.Contrast(t, l.FG, l.BG) < 7 {
			t.Errorf("the printout is %s on %s, want dark on white", l.FG, l.BG)
		}
		if l.IncDisplay != "table" {
			t.Errorf("the printout lays the incidents out as %q, want a table", l.IncDisplay)
		}
	})
}
