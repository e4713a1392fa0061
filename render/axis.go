package render

import (
	"time"
)

// axis is how the chart's time axis reads for an incident's span: a
// gantt whose axis says 00:00 at every tick of a three-day incident, or
// 14:02 four times over a two-minute one, says nothing.
type axis struct {
	Mermaid  string // the gantt's axisFormat (d3-time-format)
	Interval string // the gantt's tickInterval, or "" for mermaid's own choice
	Tick     string // Go layout of the SVG's tick labels
	Mark     string // Go layout of the time in a severity mark's label
	minStep  time.Duration
}

// axisFor picks the axis from the span: minutes read as clock times,
// hours that cross midnight carry the day of the month, and days are
// dates.
func axisFor(start, end time.Time) axis {
	start, end = start.UTC(), end.UTC()
	span := end.Sub(start)
	sameDay := start.YearDay() == end.YearDay() && start.Year() == end.Year()
	switch {
	case span >= 48*time.Hour:
		a := axis{Mermaid: "%b %d", Interval: "1day", Tick: "Jan 02", Mark: "Jan 02 15:04", minStep: 24 * time.Hour}
		if span > 21*24*time.Hour {
			a.Interval = "1week"
		}
		return a
	case !sameDay:
		return axis{Mermaid: "%d %H:%M", Tick: "02 15:04", Mark: "02 15:04", minStep: time.Minute}
	case span < 5*time.Minute:
		return axis{Mermaid: "%H:%M:%S", Tick: "15:04:05", Mark: "15:04:05"}
	}
	return axis{Mermaid: "%H:%M", Tick: "15:04", Mark: "15:04", minStep: time.Minute}
}

// tickSteps are the spacings the SVG's axis may use: round times, as a
// person would mark them.
var tickSteps = []time.Duration{
	10 * time.Second, 15 * time.Second, 30 * time.Second,
	time.Minute, 2 * time.Minute, 5 * time.Minute, 10 * time.Minute, 15 * time.Minute, 30 * time.Minute,
	time.Hour, 2 * time.Hour, 3 * time.Hour, 6 * time.Hour, 12 * time.Hour,
	24 * time.Hour, 2 * 24 * time.Hour, 7 * 24 * time.Hour, 14 * 24 * time.Hour, 28 * 24 * time.Hour,
}

// maxTicks keeps the axis labels apart on a phone's width: six labels of
// "02 15:04" fit in 360 px.
const maxTicks = 6

// ticks returns the round times in [start, end] at the smallest step of
// at most maxTicks ticks, or start and end when no step has two.
func (a axis) ticks(start, end time.Time) []time.Time {
	for _, step := range tickSteps {
		if step < a.minStep {
			continue
		}
		first := start.Truncate(step)
		if first.Before(start) {
			first = first.Add(step)
		}
		n := 0
		if !first.After(end) {
			n = int(end.Sub(first)/step) + 1
		}
		if n > maxTicks {
			continue
		}
		if n < 2 {
			break
		}
		ts := make([]time.Time, n)
		for i := range ts {
			ts[i] = first.Add(time.Duration(i) * step)
		}
		return ts
	}
	return []time.Time{start, end}
}
