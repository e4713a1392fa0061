package render

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wrapup/wrapup/archive"
)

// TestEmptyChannel: a channel with no messages still renders, and says so.
func TestEmptyChannel(t *testing.T) {
	arc := &archive.Archive{Channel: archive.Channel{ID: "C0EMPTY", Name: "inc-empty", Created: 1774533590}}
	out, err := renderWhole(arc, buildTimeline(t, arc, "chatops"), testOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	md, html := string(file(t, out, MarkdownFile)), string(file(t, out, HTMLFile))
	for _, want := range []string{"# Postmortem: \\#inc-empty", "No declaration was found", "_The channel has no events", "_No phases", "_Nobody posted._"} {
		if !strings.Contains(md, want) {
			t.Errorf("the Markdown lacks %q", want)
		}
	}
	if !strings.Contains(html, "The channel has no messages.") {
		t.Error("the HTML does not say the channel is empty")
	}
}

// TestManyEvents: 10,000 events still give a usable document: every
// event is a row, the transcript moves to its own file past the limit,
// and the chart stays one chart.
func TestManyEvents(t *testing.T) {
	statuses := []string{"investigating", "identified", "monitoring"}
	arc := &archive.Archive{Channel: archive.Channel{ID: "C0MANY", Name: "inc-many"},
		Users: []*archive.User{{ID: "UBOT", Name: "opsbot", IsBot: true}, {ID: "U1", Name: "alice"}}}
	base := archive.MustTS("1774533600.000000")
	for i := range 10_001 {
		text := fmt.Sprintf(":large_blue_circle: Status: *%s* — update %d", statuses[i%3], i)
		if i == 0 {
			text = ":rotating_light: Incident declared: *Many events* (SEV2) — commander <@U1>"
		}
		arc.Messages = append(arc.Messages, &archive.Message{TS: base + archive.TS(i)*1_000_000, User: "UBOT", BotID: "B1", Text: text})
	}
	tl := buildTimeline(t, arc, "chatops")
	if len(tl.Events) < 10_000 {
		t.Fatalf("the generated channel has %d events, want 10,000 or more", len(tl.Events))
	}
	opts := testOptions(t)
	opts.TranscriptLimit = 5000
	start := time.Now()
	out, err := renderWhole(arc, tl, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("rendered %d events, %d messages in %v", len(tl.Events), out.Messages, time.Since(start))
	md := string(file(t, out, MarkdownFile))
	if rows := strings.Count(md, "| **status → "); rows < 9_000 {
		t.Errorf("%d status rows in the timeline, want every status event", rows)
	}
	if n := strings.Count(md, "```mermaid"); n != 1 {
		t.Errorf("%d mermaid charts, want 1", n)
	}
	if n := strings.Count(out.Data.Chart.Mermaid, "\n    "); n > 2*maxPhases+5 || out.Data.Chart.Changes < 9_000 || len(out.Data.Chart.Phases) > maxPhases {
		t.Errorf("the chart has %d lines and %d phases (%d changes): it should be coalesced to at most %d", n, len(out.Data.Chart.Phases), out.Data.Chart.Changes, maxPhases)
	}
	html := string(file(t, out, HTMLFile))
	if !strings.Contains(html, `<a href="transcript.html">transcript.html</a>`) || strings.Contains(html, `<ol class="msgs">`) {
		t.Error("past the limit, postmortem.html should link to transcript.html and hold no transcript")
	}
	tr := string(file(t, out, TranscriptFile))
	if got := strings.Count(tr, `<li class="msg`); int64(got) != out.Messages {
		t.Errorf("transcript.html has %d messages, want %d", got, out.Messages)
	}
	if n := strings.Count(html, "<rect "); n > maxPhases {
		t.Errorf("the SVG chart has %d bars", n)
	}
}

// TestRedaction: secrets are masked in every rendered file, and the
// archive keeps the raw text.
func TestRedaction(t *testing.T) {
	arc := readFixture(t, "chatops")
	secret := "postgres://readonly:hunter2@db-replica.internal"
	var raw *archive.Message
	for m := range arc.All() {
		if strings.Contains(m.Text, secret) {
			raw = m
		}
	}
	if raw == nil {
		t.Fatal("the fixture lost its secret")
	}
	before := raw.Text
	// A status update carrying a token reaches the timeline and timeline.json too.
	token := "ghp_" + strings.Repeat("x1Y2", 9)
	arc.Messages = append(arc.Messages, &archive.Message{TS: archive.MustTS("1774539999.000100"), User: "UBOTOPS", BotID: "B0OPS",
		Text: ":large_green_circle: Status: *monitoring* — rotated " + token})
	out, err := renderWhole(arc, buildTimeline(t, arc, "chatops"), testOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range out.Files {
		for _, s := range []string{"hunter2", "AKIAIOSFODNN7EXAMPLE", token} {
			if strings.Contains(string(f.Data), s) {
				t.Errorf("%s holds the secret %q", f.Name, s)
			}
		}
	}
	if !strings.Contains(string(file(t, out, TimelineFile)), "[REDACTED:github-token]") {
		t.Error("timeline.json does not show the token's redaction")
	}
	if raw.Text != before {
		t.Error("rendering changed the archive's message text")
	}
	if out.Redactions < 3 {
		t.Errorf("Redactions = %d, want at least 3", out.Redactions)
	}
}

// TestTemplateOverride: a folder's file replaces the built-in one of the
// same name and the others stay.
func TestTemplateOverride(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("_metrics.md.tmpl", "## Numbers\n\n{{range .Metrics}}- {{.Name}}: {{.Value}}\n{{end}}{{template \"_mine.md.tmpl\" .}}")
	write("_mine.md.tmpl", "Severity at peak: {{.Incident.PeakSeverity}}, {{duration 90}}, {{plural 2 \"reply\"}}, {{text \"a|b\"}}")
	opts := testOptions(t)
	opts.Templates = dir
	out := renderFixture(t, "chatops", "chatops", opts)
	md := string(file(t, out, MarkdownFile))
	for _, want := range []string{"## Numbers\n\n- Time to mitigate: 1h 7m 49s\n", "Severity at peak: SEV1, 1m 30s, 2 replies, a\\|b", "## Timeline"} {
		if !strings.Contains(md, want) {
			t.Errorf("the Markdown lacks %q", want)
		}
	}
	if strings.Contains(md, "## Key metrics") {
		t.Error("the built-in _metrics.md.tmpl was used despite the override")
	}
	if !strings.Contains(string(file(t, out, HTMLFile)), `<h2 id="numbers">Numbers</h2>`) {
		t.Error("the HTML is not the override's Markdown")
	}
}

// TestTemplateErrors: a template that fails names its file and line.
func TestTemplateErrors(t *testing.T) {
	tests := []struct {
		name, file, text, want string
	}{
		{"parse", "_header.md.tmpl", "# {{if .Title}}", "_header.md.tmpl: template: _header.md.tmpl:1: unexpected EOF"},
		{"unknown function", "_actions.md.tmpl", "\n\n{{shout .Title}}", "_actions.md.tmpl: template: _actions.md.tmpl:3: function \"shout\" not defined"},
		{"missing field", "postmortem.md.tmpl", "x\n{{.Incident.Nope}}", "postmortem.md.tmpl: template: postmortem.md.tmpl:2:11: executing \"postmortem.md.tmpl\" at <.Incident.Nope>: can't evaluate field Nope"},
		{"html parse", "page.html.tmpl", "<p>{{if}}</p>", "page.html.tmpl: template: page.html.tmpl:1: missing value for if"},
		{"html exec", "_chart.html.tmpl", "<svg>\n{{.Nope}}</svg>", "_chart.html.tmpl: template: _chart.html.tmpl:2:2: executing \"_chart.html.tmpl\" at <.Nope>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, tt.file), []byte(tt.text), 0o600); err != nil {
				t.Fatal(err)
			}
			opts := testOptions(t)
			opts.Templates = dir
			arc := readFixture(t, "chatops")
			out, err := renderWhole(arc, buildTimeline(t, arc, "chatops"), opts)
			var terr *TemplateError
			if !errors.As(err, &terr) || out != nil {
				t.Fatalf("Render = %v, %v; want a *TemplateError and no output", out, err)
			}
			if !strings.Contains(err.Error(), filepath.Join(dir, tt.want)) {
				t.Errorf("error %q\nwant it to contain %q", err, filepath.Join(dir, tt.want))
			}
		})
	}
}

// TestTemplateSymlinkRefused: an override that is a symbolic link is a
// TemplateError naming it (issue 12, item 7), which wrapup reports as a
// config error; the linked file never reaches a document.
func TestTemplateSymlinkRefused(t *testing.T) {
	dir := t.TempDir()
	secret := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(secret, []byte("root:x:0:0"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "postmortem.md.tmpl")
	if err := os.Symlink(secret, link); err != nil {
		t.Fatal(err)
	}
	opts := testOptions(t)
	opts.Templates = dir
	arc := readFixture(t, "chatops")
	out, err := renderWhole(arc, buildTimeline(t, arc, "chatops"), opts)
	var terr *TemplateError
	if !errors.As(err, &terr) || out != nil || !strings.Contains(err.Error(), link) {
		t.Fatalf("Render = %v, %v; want a *TemplateError naming %s and no output", out, err, link)
	}
}

// TestTimelineUnchanged: Render does not modify the timeline it is given.
func TestTimelineUnchanged(t *testing.T) {
	arc := readFixture(t, "chatops")
	tl := buildTimeline(t, arc, "chatops")
	before, err := tl.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := renderWhole(arc, tl, testOptions(t)); err != nil {
		t.Fatal(err)
	}
	after, _ := tl.MarshalJSON()
	if string(before) != string(after) {
		t.Error("Render changed the timeline")
	}
}
