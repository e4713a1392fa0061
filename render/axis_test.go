package render

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wrapup/wrapup/timeline"
)

// spanTimeline is the chatops fixture's timeline with its phases replaced
// by an incident of the given length: declared at SEV2, identified at a
// third, monitoring at two thirds, resolved at the end.
func spanTimeline(t *testing.T, start time.Time, span time.Duration, sev string) *timeline.Timeline {
	t.Helper()
	arc := readFixture(t, "chatops")
	tl := buildTimeline(t, arc, "chatops")
	end := start.Add(span)
	tl.Incident.DeclaredAt, tl.Incident.ResolvedAt, tl.Incident.MitigatedAt = &start, &end, nil
	at := func(f float64) time.Time { return start.Add(time.Duration(float64(span) * f)) }
	tl.Events = []timeline.Event{
		{At: start, Kind: "declared", Status: timeline.StatusInvestigating, Severity: sev},
		{At: at(1.0 / 3), Kind: "status", Status: timeline.StatusIdentified},
		{At: at(0.4), Kind: "severity", Severity: "SEV1"},
		{At: at(2.0 / 3), Kind: "status", Status: timeline.StatusMonitoring},
		{At: end, Kind: "status", Status: timeline.StatusResolved},
	}
	return tl
}

// TestAxisFollowsSpan: a 20-minute incident reads in clock times, six
// hours across midnight carry the day, three days are dates; the gantt
// and the SVG agree, and no two SVG ticks say the same thing.
func TestAxisFollowsSpan(t *testing.T) {
	tests := []struct {
		name       string
		start      time.Time
		span       time.Duration
		axisFormat string
		interval   string
		ticks      []string
		mark       string
	}{
		{"20 minutes", time.Date(2026, 3, 26, 14, 2, 11, 0, time.UTC), 20 * time.Minute, "%H:%M", "",
			[]string{"14:05", "14:10", "14:15", "14:20"}, "SEV1 at 14:10"},
		{"6 hours across midnight", time.Date(2026, 3, 26, 21, 40, 0, 0, time.UTC), 6 * time.Hour, "%d %H:%M", "",
			[]string{"26 22:00", "26 23:00", "27 00:00", "27 01:00", "27 02:00", "27 03:00"}, "SEV1 at 27 00:04"},
		{"6 hours in a day", time.Date(2026, 3, 26, 9, 40, 0, 0, time.UTC), 6 * time.Hour, "%H:%M", "",
			[]string{"10:00", "11:00", "12:00", "13:00", "14:00", "15:00"}, "SEV1 at 12:04"},
		{"3 days", time.Date(2026, 3, 26, 21, 40, 0, 0, time.UTC), 3 * 24 * time.Hour, "%b %d", "1day",
			[]string{"Mar 27", "Mar 28", "Mar 29"}, "SEV1 at Mar 28 02:28"},
		{"2 minutes", time.Date(2026, 3, 26, 14, 2, 11, 0, time.UTC), 2 * time.Minute, "%H:%M:%S", "",
			[]string{"14:02:30", "14:03:00", "14:03:30", "14:04:00"}, "SEV1 at 14:02:59"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			arc := readFixture(t, "chatops")
			out, err := renderWhole(arc, spanTimeline(t, tt.start, tt.span, "SEV2"), testOptions(t))
			if err != nil {
				t.Fatal(err)
			}
			c := out.Data.Chart
			if want := "\n    axisFormat " + tt.axisFormat + "\n"; !strings.Contains(c.Mermaid, want) {
				t.Errorf("the gantt lacks %q:\n%s", want, c.Mermaid)
			}
			hasInterval := strings.Contains(c.Mermaid, "tickInterval")
			if tt.interval != "" && !strings.Contains(c.Mermaid, "\n    tickInterval "+tt.interval+"\n") || tt.interval == "" && hasInterval {
				t.Errorf("the gantt's tickInterval is not %q:\n%s", tt.interval, c.Mermaid)
			}
			var ticks []string
			for _, tk := range c.SVG.Ticks {
				ticks = append(ticks, tk.Label)
			}
			if !slices.Equal(ticks, tt.ticks) {
				t.Errorf("SVG ticks %q, want %q", ticks, tt.ticks)
			}
			var marks []string
			for _, m := range c.SVG.Marks {
				marks = append(marks, m.Label)
			}
			if !slices.Contains(marks, tt.mark) {
				t.Errorf("severity marks %q, want %q among them", marks, tt.mark)
			}
			for _, tk := range c.SVG.Ticks {
				if tk.X < 0 || tk.X > 100 {
					t.Errorf("tick %q at %v%%, outside the chart", tk.Label, tk.X)
				}
			}
			html := string(file(t, out, HTMLFile))
			for _, l := range tt.ticks {
				if !strings.Contains(html, ">"+l+"</text>") {
					t.Errorf("postmortem.html has no axis label %q", l)
				}
			}
		})
	}
}

// ganttLexable is what mermaid's gantt lexer (gantt.jison) reads as one
// task name: [^#:\n;]+, with no "%" (a comment where a token starts).
var ganttLexable = regexp.MustCompile(`^[^#:\n;%]+$`)

// TestMermaidLabel: severities and statuses keep their meaning in the
// gantt: the characters mermaid's lexer would take as syntax become
// look-alikes, and a name that starts like a keyword or a date is quoted.
func TestMermaidLabel(t *testing.T) {
	tests := []struct{ in, want string }{
		{"SEV2: major; #1", "SEV2∶ major, ＃1"},
		{"investigating", "investigating"},
		{"50% errors", "50％ errors"},
		{"a%%b", "a％％b"},
		{"<b>&\"x\"", "‹b›＆”x”"},
		{"two\nlines\r\n  end", "two lines end"},
		{"Sévérité élevée ⚠", "Sévérité élevée ⚠"},
		{"title change", "“title change”"},
		{"Click here", "“Click here”"},
		{"ganttish", "“ganttish”"},
		{"2026-03-26 rollback", "“2026-03-26 rollback”"},
		{"2026 plan", "2026 plan"},
		{"rtl\u202eevil", "rtl[U+202E]evil"},
		{"", "unknown"},
		{" \n", "unknown"},
		{"back\\slash `tick`", "back/slash 'tick'"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got := MermaidLabel(tt.in)
			if got != tt.want {
				t.Errorf("mermaidLabel(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if !ganttLexable.MatchString(got) || startsLikeSyntax(got) {
				t.Errorf("mermaidLabel(%q) = %q does not lex as a task name", tt.in, got)
			}
		})
	}
}

// TestMermaidSeverityReadable: a severity with mermaid's syntax in it
// reaches the gantt readable, each task on its own line with its data
// after the first colon (taskData is ":"[^#\n;]+).
func TestMermaidSeverityReadable(t *testing.T) {
	arc := readFixture(t, "chatops")
	out, err := renderWhole(arc, spanTimeline(t, time.Date(2026, 3, 26, 14, 0, 0, 0, time.UTC), time.Hour, "SEV2: major; #1"), testOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	g := out.Data.Chart.Mermaid
	if !strings.Contains(g, "\n    SEV2∶ major, ＃1 :milestone, m0, 2026-03-26 14:00:00, 0s") {
		t.Errorf("the gantt does not carry the severity readably:\n%s", g)
	}
	for line := range strings.Lines(g) {
		line = strings.TrimSpace(line)
		name, data, ok := strings.Cut(line, ":")
		if !ok || strings.HasPrefix(line, "dateFormat") || strings.HasPrefix(line, "axisFormat") || strings.HasPrefix(line, "title") {
			continue
		}
		if !ganttLexable.MatchString(name) || strings.ContainsAny(data, "#;") {
			t.Errorf("gantt line %q does not lex as name : data", line)
		}
	}
}
