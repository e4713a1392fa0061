package library

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/wrapup/wrapup/timeline"
)

// Chart is an SVG bar chart's geometry, in viewBox units, for
// templates/_index_chart.html.tmpl. Every string in it is made here from
// numbers and months, or is a severity label the template escapes.
//
// The SVG scales to the page's width, its text with it: so that the text
// stays readable on a phone, a chart comes in two drawings, the wide one
// (Class "wide") and, in Narrow, one a phone shows instead (Class
// "narrow"), less wide and with fewer month labels.
type Chart struct {
	Title         string // the SVG's accessible title
	Class         string // "wide" or "narrow": which drawing this is
	Narrow        *Chart // the phone's drawing; nil in the narrow one itself
	Width, Height int
	Bars          []Bar
	XLabels       []Label
	YLabels       []Label
	Grid          []string // y of each horizontal grid line
	Left, Right   string   // the plot's x bounds, for grid lines
	Legend        []Legend
	Empty         bool // no value above zero: the template says so instead
}

// Bar is one rectangle; Label is its tooltip.
type Bar struct {
	X, Y, W, H string
	Class      string
	Label      string
}

// Label is an axis label at X, Y.
type Label struct {
	X, Y string
	Text string
}

// Legend names a series and its colour class.
type Legend struct {
	Class, Text string
}

type series struct {
	name, class string
	values      []float64
}

const (
	padL, padR, padT, padB         = 44, 8, 12, 28
	barShare                       = 0.72 // of a slot, the rest is the gap between months
	hour                   float64 = 3600
)

// chartSize is one drawing's viewBox and how many month labels fit under
// it: a label ("2026-10", 12 units of text) takes about 50 units.
type chartSize struct {
	class         string
	width, height int
	maxXLabels    int
}

// wide is drawn 720 units wide, shown from 48rem (768 px) up, so its
// text is never under 12 × 728/720 px; narrow is 320 units, shown up to
// 30rem wide, so its text is 12 × 366/320 ≈ 13.7 px on a 390 px phone
// and over 11 px down to a 320 px one (296 px of page).
var (
	wide   = chartSize{"wide", 720, 240, 12}
	narrow = chartSize{"narrow", 320, 200, 4}
)

// barChart draws the chart wide, and narrow for phones.
func barChart(title string, xs []string, ss []series, stacked, integer bool, unit func(float64) string) Chart {
	c := drawBars(wide, title, xs, ss, stacked, integer, unit)
	if !c.Empty {
		n := drawBars(narrow, title, xs, ss, stacked, integer, unit)
		c.Narrow = &n
	}
	return c
}

// drawBars lays out series over the x labels in a drawing of size sz,
// stacked or side by side. unit formats a y-axis value. Counts (integer)
// get an axis whose top is a multiple of 4, so that every grid line is a
// whole number.
func drawBars(sz chartSize, title string, xs []string, ss []series, stacked, integer bool, unit func(float64) string) Chart {
	chartW, chartH := sz.width, sz.height
	c := Chart{Title: title, Class: sz.class, Width: chartW, Height: chartH, Left: f(padL), Right: f(float64(chartW - padR))}
	for _, s := range ss {
		c.Legend = append(c.Legend, Legend{Class: s.class, Text: s.name})
	}
	top := 0.0
	for i := range xs {
		sum := 0.0
		for _, s := range ss {
			if stacked {
				sum += s.values[i]
			} else {
				sum = math.Max(sum, s.values[i])
			}
		}
		top = math.Max(top, sum)
	}
	if top <= 0 || len(xs) == 0 {
		c.Empty = true
		return c
	}
	if integer {
		top = math.Ceil(top/4) * 4
	} else {
		top = niceCeil(top)
	}
	plotW, plotH := float64(chartW-padL-padR), float64(chartH-padT-padB)
	y := func(v float64) float64 { return padT + plotH*(1-v/top) }
	for i := 0; i <= 4; i++ {
		v := top * float64(i) / 4
		c.Grid = append(c.Grid, f(y(v)))
		c.YLabels = append(c.YLabels, Label{X: f(padL - 4), Y: f(y(v) + 4), Text: unit(v)})
	}
	slot := plotW / float64(len(xs))
	step := (len(xs) + sz.maxXLabels - 1) / sz.maxXLabels
	for i, x := range xs {
		x0 := padL + slot*float64(i) + slot*(1-barShare)/2
		if i%step == 0 {
			c.XLabels = append(c.XLabels, Label{X: f(padL + slot*(float64(i)+0.5)), Y: f(float64(chartH - 10)), Text: x})
		}
		base := 0.0
		w := slot * barShare
		if !stacked {
			w /= float64(len(ss))
		}
		for j, s := range ss {
			v := s.values[i]
			if v <= 0 {
				continue
			}
			bx, lo := x0, base
			if stacked {
				base += v
			} else {
				bx, lo = x0+w*float64(j), 0
			}
			c.Bars = append(c.Bars, Bar{X: f(bx), Y: f(y(lo + v)), W: f(w), H: f(y(lo) - y(lo+v)), Class: s.class,
				Label: x + ", " + s.name + ": " + unit(v)})
		}
	}
	return c
}

// niceCeil rounds v up to 1, 2, 2.5 or 5 times a power of ten.
func niceCeil(v float64) float64 {
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if v <= m*p {
			return m * p
		}
	}
	return 10 * p
}

func f(v float64) string { return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64) }

// count formats a count axis value; a fractional tick shows one decimal.
func count(v float64) string {
	if v == math.Trunc(v) {
		return strconv.Itoa(int(v))
	}
	return strconv.FormatFloat(v, 'f', 1, 64)
}

// hours formats an hours axis value.
func hours(v float64) string { return count(math.Round(v*10)/10) + "h" }

// SeverityClass is the CSS class of a severity's colour: sev1 … sev4 by
// rank (4 and below share sev4), sevx for a label outside the known scales.
func SeverityClass(s string) string {
	r, ok := timeline.SeverityRank(s)
	if !ok || s == "" {
		return "sevx"
	}
	return "sev" + strconv.Itoa(min(max(r, 1), 4))
}

func (idx *Index) months() []string {
	out := make([]string, len(idx.Months))
	for i, m := range idx.Months {
		out[i] = m.Label
	}
	return out
}

// IncidentsChart is incidents by month, stacked by final severity.
func (idx *Index) IncidentsChart() Chart {
	var ss []series
	for j, s := range idx.Severities {
		v := make([]float64, len(idx.Months))
		for i, m := range idx.Months {
			v[i] = float64(m.BySeverity[j])
		}
		ss = append(ss, series{name: SeverityName(s.Label), class: SeverityClass(s.Label), values: v})
	}
	return barChart("Incidents by month and final severity", idx.months(), ss, true, true, count)
}

// TimesChart is the median TTM and TTR by month, in hours.
func (idx *Index) TimesChart() Chart {
	ttm, ttr := make([]float64, len(idx.Months)), make([]float64, len(idx.Months))
	for i, m := range idx.Months {
		if m.MedianTTM != nil {
			ttm[i] = float64(*m.MedianTTM) / hour
		}
		if m.MedianTTR != nil {
			ttr[i] = float64(*m.MedianTTR) / hour
		}
	}
	return barChart("Median time to mitigate and to resolve by month, in hours", idx.months(),
		[]series{{"median TTM", "ttm", ttm}, {"median TTR", "ttr", ttr}}, false, false, hours)
}

// ActionsChart is action items opened by month, and how many of them are done.
func (idx *Index) ActionsChart() Chart {
	opened, done := make([]float64, len(idx.Months)), make([]float64, len(idx.Months))
	for i, m := range idx.Months {
		opened[i], done[i] = float64(m.Actions.Total), float64(m.Actions.Done)
	}
	return barChart("Action items opened by month, and done since", idx.months(),
		[]series{{"opened", "opened", opened}, {"done", "done", done}}, false, true, count)
}

// SeverityName is how a severity label reads in a legend or table: "none"
// for no severity.
func SeverityName(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// Mermaid is the Markdown's chart: an xychart-beta of incidents by
// month. It holds months and counts only, nothing from Slack.
func (idx *Index) Mermaid() string {
	if len(idx.Months) == 0 {
		return ""
	}
	var b strings.Builder
	top := 0
	xs, ys := make([]string, len(idx.Months)), make([]string, len(idx.Months))
	for i, m := range idx.Months {
		xs[i] = strconv.Quote(m.Label)
		ys[i] = strconv.Itoa(m.Incidents)
		top = max(top, m.Incidents)
	}
	b.WriteString("xychart-beta\n")
	b.WriteString("    title \"Incidents by month (UTC month of declaration)\"\n")
	fmt.Fprintf(&b, "    x-axis [%s]\n", strings.Join(xs, ", "))
	fmt.Fprintf(&b, "    y-axis \"Incidents\" 0 --> %d\n", max(top, 1))
	fmt.Fprintf(&b, "    bar [%s]\n", strings.Join(ys, ", "))
	return b.String()
}
