package render

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/wrapup/wrapup/timeline"
)

// SVG layout. Heights are in CSS pixels and the SVG is not scaled, so
// its text stays at the style sheet's size on any screen; horizontal
// positions are percentages of the SVG's width, which is the page's.
const (
	svgSevLine = 14 // a line of severity labels above the rows
	svgRowH    = 34 // a row: its status label above its bar
	svgBarH    = 14
	svgAxis    = 22
	svgMinBar  = 0.3 // percent: a phase of a few seconds still shows
	svgEdge    = 8   // percent: a label this close to an edge is anchored to it
)

// chart lays out the phases: time in each status from the declaration to
// the resolution (or the last message), with severity changes marked.
func (b *builder) chart() Chart {
	c := Chart{Phases: []Phase{}, Severities: []Mark{}}
	inc := b.tl.Incident
	if inc.DeclaredAt == nil {
		return c
	}
	start, end := *inc.DeclaredAt, b.last
	if inc.ResolvedAt != nil && !inc.ResolvedAt.Before(start) {
		end = *inc.ResolvedAt
	}
	if !end.After(start) {
		return c
	}
	cur, at := timeline.StatusInvestigating, start
	sev := ""
	flush := func(to time.Time) {
		if to.After(at) {
			secs := int64(to.Sub(at) / time.Second)
			c.Phases = append(c.Phases, Phase{Status: cur, Start: b.time(at), End: b.time(to), Duration: Duration(secs), Seconds: secs})
		}
	}
	for _, ev := range b.tl.Events {
		if ev.Severity != "" && ev.Severity != sev && !ev.At.After(end) {
			sev = ev.Severity
			c.Severities = append(c.Severities, Mark{Severity: ev.Severity, At: b.time(maxTime(ev.At, start))})
		}
		if ev.Status == "" || ev.Status == cur {
			continue
		}
		if !ev.At.After(start) {
			cur = ev.Status
			continue
		}
		if ev.At.After(end) {
			break
		}
		flush(ev.At)
		cur, at = ev.Status, ev.At
	}
	if cur != timeline.StatusResolved {
		flush(end)
	}
	if len(c.Phases) > maxPhases {
		c.Changes = len(c.Phases)
		c.Phases = b.coalesce(c.Phases, start, end)
	}
	if len(c.Severities) > maxPhases {
		c.Severities = append(c.Severities[:maxPhases-1], c.Severities[len(c.Severities)-1])
	}
	ax := axisFor(start, end)
	c.Mermaid = b.mermaid(c, ax)
	c.SVG = b.svg(c, start, end, ax)
	// Status words can be untrusted (an unmapped status is kept verbatim):
	// escape them for Markdown once the chart has used the raw ones.
	for i := range c.Phases {
		c.Phases[i].Status = b.text(c.Phases[i].Status)
	}
	for i := range c.Severities {
		c.Severities[i].Severity = b.text(c.Severities[i].Severity)
	}
	return c
}

// maxPhases caps the chart: past it, a gantt is noise, and GitHub refuses
// to draw a mermaid diagram that large.
const maxPhases = 60

// coalesce cuts [start, end] into maxPhases equal slots, gives each slot
// the status that held longest in it, and joins equal neighbours: a
// status that flapped thousands of times still reads as a few phases.
func (b *builder) coalesce(phases []Phase, start, end time.Time) []Phase {
	slot := end.Sub(start) / maxPhases
	if slot <= 0 {
		return phases[:maxPhases]
	}
	var out []Phase
	j := 0
	for k := range maxPhases {
		lo, hi := start.Add(time.Duration(k)*slot), start.Add(time.Duration(k+1)*slot)
		if k == maxPhases-1 {
			hi = end
		}
		held := map[string]time.Duration{}
		best := ""
		for ; j < len(phases) && !phases[j].End.At.After(lo); j++ {
		}
		for i := j; i < len(phases) && phases[i].Start.At.Before(hi); i++ {
			p := phases[i]
			d := minTime(p.End.At, hi).Sub(maxTime(p.Start.At, lo))
			held[p.Status] += d
			if best == "" || held[p.Status] > held[best] || held[p.Status] == held[best] && p.Status < best {
				best = p.Status
			}
		}
		if best == "" {
			continue
		}
		if n := len(out); n > 0 && out[n-1].Status == best {
			out[n-1].End = b.time(hi)
			continue
		}
		out = append(out, Phase{Status: best, Start: b.time(lo), End: b.time(hi)})
	}
	for i := range out {
		out[i].Seconds = int64(out[i].End.At.Sub(out[i].Start.At) / time.Second)
		out[i].Duration = Duration(out[i].Seconds)
	}
	return out
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// mermaid writes the chart as a mermaid gantt. Labels keep only letters,
// digits, spaces, dots and dashes, so no text can change its syntax.
func (b *builder) mermaid(c Chart, ax axis) string {
	if len(c.Phases) == 0 {
		return ""
	}
	const layout = "2006-01-02 15:04:05"
	var s strings.Builder
	s.WriteString("gantt\n    title Time in each status (UTC)\n    dateFormat YYYY-MM-DD HH:mm:ss\n    axisFormat " + ax.Mermaid + "\n")
	if ax.Interval != "" {
		s.WriteString("    tickInterval " + ax.Interval + "\n")
	}
	s.WriteString("    section Status\n")
	for i, p := range c.Phases {
		fmt.Fprintf(&s, "    %s (%s) :%s, p%d, %s, %ds\n", MermaidLabel(p.Status), MermaidLabel(p.Duration),
			statusTag(p.Status), i, p.Start.At.Format(layout), max(p.Seconds, 1))
	}
	if len(c.Severities) > 0 {
		s.WriteString("    section Severity\n")
		for i, m := range c.Severities {
			fmt.Fprintf(&s, "    %s :milestone, m%d, %s, 0s\n", MermaidLabel(m.Severity), i, m.At.At.Format(layout))
		}
	}
	return strings.TrimSuffix(s.String(), "\n")
}

// statusTag is mermaid's task state, which colours the bar.
func statusTag(status string) string {
	switch status {
	case timeline.StatusInvestigating:
		return "crit"
	case timeline.StatusIdentified:
		return "active"
	case timeline.StatusMonitoring:
		return "done"
	}
	return "active"
}

// svg lays the chart out for HTML: a row per status, in the canonical
// order, then any other status in order of appearance.
func (b *builder) svg(c Chart, start, end time.Time, ax axis) SVG {
	rows := []string{}
	for _, s := range []string{timeline.StatusInvestigating, timeline.StatusIdentified, timeline.StatusMonitoring} {
		for _, p := range c.Phases {
			if p.Status == s {
				rows = append(rows, s)
				break
			}
		}
	}
	for _, p := range c.Phases {
		if !containsString(rows, p.Status) {
			rows = append(rows, p.Status)
		}
	}
	span := end.Sub(start).Seconds()
	x := func(t time.Time) float64 { return percent(t.Sub(start).Seconds() / span * 100) }

	// Severity labels take one line, or two when neighbours would collide:
	// each label goes on the first line where the last one is far enough.
	var g SVG
	lastX := []float64{-100, -100}
	lines := 0
	for _, m := range c.Severities {
		mx := x(m.At.At)
		line := 0
		if mx-lastX[0] < 25 && mx-lastX[1] >= 25 {
			line = 1
		}
		lastX[line] = mx
		lines = max(lines, line+1)
		g.Marks = append(g.Marks, SVGMark{X: mx, Y: svgSevLine*line + 11, Top: svgSevLine*line + 14, Anchor: anchor(mx),
			Label: PlainText(b.redact(m.Severity)) + " at " + m.At.At.UTC().Format(ax.Mark)})
	}
	top := svgSevLine*lines + 4
	g.Height = top + len(rows)*svgRowH + svgAxis
	for i := range g.Marks {
		g.Marks[i].Bottom = top + len(rows)*svgRowH
	}
	for i, r := range rows {
		g.Rows = append(g.Rows, Tick{X: 0, Y: top + i*svgRowH + 13, Anchor: "start", Label: PlainText(b.redact(r))})
	}
	for _, p := range c.Phases {
		row := indexString(rows, p.Status)
		x0, x1 := x(p.Start.At), x(p.End.At)
		g.Bars = append(g.Bars, Bar{X: x0, Y: top + row*svgRowH + 17, W: percent(max(x1-x0, svgMinBar)), H: svgBarH,
			Class: "s-" + cssClass(p.Status), Label: PlainText(b.redact(p.Status)) + ", " + p.Duration})
	}
	axisY := top + len(rows)*svgRowH + 14
	for _, t := range ax.ticks(start, end) {
		tx := x(t)
		g.Ticks = append(g.Ticks, Tick{X: tx, Y: axisY, Anchor: anchor(tx), Label: t.UTC().Format(ax.Tick)})
	}
	return g
}

// percent rounds a position to a hundredth of a percent, which is finer
// than a pixel on any screen and keeps the markup short.
func percent(v float64) float64 { return math.Round(v*100) / 100 }

// anchor keeps a label near an edge inside the chart.
func anchor(x float64) string {
	switch {
	case x < svgEdge:
		return "start"
	case x > 100-svgEdge:
		return "end"
	}
	return "middle"
}

// cssClass keeps a status usable as a class name; an unknown status gets
// the neutral colour.
func cssClass(status string) string {
	switch status {
	case timeline.StatusInvestigating, timeline.StatusIdentified, timeline.StatusMonitoring, timeline.StatusResolved:
		return status
	}
	return "other"
}

func containsString(ss []string, s string) bool { return indexString(ss, s) >= 0 }

func indexString(ss []string, s string) int {
	for i, x := range ss {
		if x == s {
			return i
		}
	}
	return -1
}
