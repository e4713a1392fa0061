package render

import (
	"strings"
	"testing"

	"github.com/wrapup/wrapup/internal/browsertest"
)

// minTextPx is the smallest text the timeline and the chart may show, in
// CSS pixels as rendered.
const minTextPx = 11

// measure runs in the page and reports what the layout checks need. The
// timeline is the first table after the "Timeline" heading. A text node's
// size is its element's computed font-size; an SVG text's is that times
// the SVG's scale (getScreenCTM), which is where a viewBox that shrinks
// the chart to a phone's width shows.
const measure = `(() => {
  const de = document.documentElement, body = document.body;
  const css = (el) => getComputedStyle(el);
  const out = {scrollWidth: de.scrollWidth, clientWidth: de.clientWidth,
    bg: css(body).backgroundColor, fg: css(body).color, muted: css(document.querySelector('figcaption')).color,
    texts: 0, small: [], wrapped: [], whens: 0, offside: [], overlaps: [], svgFills: []};
  let tl = document.getElementById('timeline');
  while (tl && tl.tagName !== 'TABLE') tl = tl.nextElementSibling;
  if (!tl) return out;
  out.tableScroll = tl.scrollWidth; out.tableClient = tl.clientWidth; out.tableDisplay = css(tl).display;
  const visible = (el) => el.getClientRects().length > 0 && css(el).visibility !== 'hidden' && !el.closest('thead');
  const walk = document.createTreeWalker(tl, NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    const el = n.parentElement;
    if (!n.data.trim() || !visible(el)) continue;
    out.texts++;
    const px = parseFloat(css(el).fontSize);
    if (px < 11) out.small.push({text: n.data.slice(0, 40), px});
  }
  for (const td of tl.querySelectorAll('td.when')) {
    if (!visible(td)) continue;
    out.whens++;
    const r = document.createRange(); r.selectNodeContents(td);
    const lines = new Set([...r.getClientRects()].map((q) => Math.round(q.top)));
    if (lines.size > 1) out.wrapped.push(td.textContent);
  }
  const svg = document.querySelector('figure.chart svg');
  const ticks = [];
  for (const t of svg.querySelectorAll('text')) {
    out.texts++;
    const m = t.getScreenCTM(), scale = Math.hypot(m.a, m.b);
    const px = parseFloat(css(t).fontSize) * scale;
    if (px < 11) out.small.push({text: 'svg: ' + t.textContent, px});
    const r = t.getBoundingClientRect();
    if (r.left < 0 || r.right > de.clientWidth) out.offside.push(t.textContent);
    if (t.classList.contains('tick')) ticks.push(r);
  }
  ticks.sort((a, b) => a.left - b.left);
  for (let i = 1; i < ticks.length; i++) if (ticks[i].left < ticks[i-1].right) out.overlaps.push(i);
  for (const sel of ['text.row', 'text.tick', '.s-investigating', '.s-monitoring']) out.svgFills.push(css(svg.querySelector(sel)).fill);
  return out;
})()`

// layout is what measure reports.
type layout struct {
	ScrollWidth  int      `json:"scrollWidth"`
	ClientWidth  int      `json:"clientWidth"`
	BG           string   `json:"bg"`
	FG           string   `json:"fg"`
	Muted        string   `json:"muted"`
	Texts        int      `json:"texts"`
	Small        []any    `json:"small"`
	Wrapped      []string `json:"wrapped"`
	Whens        int      `json:"whens"`
	Offside      []string `json:"offside"`
	Overlaps     []int    `json:"overlaps"`
	SVGFills     []string `json:"svgFills"`
	TableScroll  int      `json:"tableScroll"`
	TableClient  int      `json:"tableClient"`
	TableDisplay string   `json:"tableDisplay"`
}

// checkLayout loads page at 1280 and 390 px, light and dark, and checks
// that it reads: nothing wider than the screen, the timeline without
// sideways scrolling on a phone, its times on one line, no text under
// 11 px in the timeline or the chart, the chart's labels inside it and
// apart, and contrast enough in both schemes. It takes a screenshot of
// each (kept in $WRAPUP_SCREENSHOTS). Last, it prints the page with a
// dark preference and checks the printout is as before: dark on light,
// tables as tables.
func checkLayout(t *testing.T, p *browsertest.Page, page string) {
	t.Helper()
	browsertest.EachLayout(t, p, page, func(t *testing.T, width int) string {
		var l layout
		if err := p.Eval(measure, &l); err != nil {
			t.Fatal(err)
		}
		if l.ClientWidth != width {
			t.Errorf("the viewport is %d px wide, want %d", l.ClientWidth, width)
		}
		if l.ScrollWidth > l.ClientWidth {
			t.Errorf("the page scrolls sideways: %d px wide in %d", l.ScrollWidth, l.ClientWidth)
		}
		if width < 600 && l.TableScroll > l.TableClient {
			t.Errorf("the timeline scrolls sideways: %d px in %d", l.TableScroll, l.TableClient)
		}
		if l.Texts < 3*len(hostileCorpus) || l.Whens < len(hostileCorpus) {
			t.Errorf("measured %d texts and %d times: the timeline or the chart is missing", l.Texts, l.Whens)
		}
		if n := len(l.Small); n > 0 {
			t.Errorf("%d texts under %d px, such as %v", n, minTextPx, l.Small[:min(n, 3)])
		}
		if n := len(l.Wrapped); n > 0 {
			t.Errorf("%d times wrap, such as %q", n, l.Wrapped[:min(n, 3)])
		}
		for _, s := range l.Offside {
			t.Errorf("a chart label is off the screen: %q", s)
		}
		if len(l.Overlaps) > 0 {
			t.Errorf("axis labels overlap: %v", l.Overlaps)
		}
		if c := browsertest.Contrast(t, l.FG, l.BG); c < 7 {
			t.Errorf("text contrast %.1f:1 (%s on %s), want 7:1", c, l.FG, l.BG)
		}
		if c := browsertest.Contrast(t, l.Muted, l.BG); c < 4.5 {
			t.Errorf("muted text contrast %.1f:1 (%s on %s), want 4.5:1", c, l.Muted, l.BG)
		}
		for _, f := range l.SVGFills[:2] {
			if c := browsertest.Contrast(t, f, l.BG); c < 4.5 {
				t.Errorf("chart text contrast %.1f:1 (%s on %s), want 4.5:1", c, f, l.BG)
			}
		}
		for _, f := range l.SVGFills[2:] {
			if c := browsertest.Contrast(t, f, l.BG); c < 3 {
				t.Errorf("chart bar contrast %.1f:1 (%s on %s), want 3:1", c, f, l.BG)
			}
		}
		return l.BG + " " + strings.Join(l.SVGFills, " ")
	})
	browsertest.Printout(t, p, page, func(t *testing.T) {
		var l layout
		if err := p.Eval(measure, &l); err != nil {
			t.Fatal(err)
		}
		if l.BG != "rgb(255, 255, 255)" || browsertest.Contrast(t, l.FG, l.BG) < 7 {
			t.Errorf("the printout is %s on %s, want dark on white", l.FG, l.BG)
		}
		if l.TableDisplay != "table" {
			t.Errorf("the printout lays the timeline out as %q, want a table", l.TableDisplay)
		}
	})
}
