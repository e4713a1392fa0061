package pipeline

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/wrapup/wrapup/internal/folder"
	"github.com/wrapup/wrapup/timeline"
)

func TestSummaryText(t *testing.T) {
	s := Summary{Title: "Checkout <!channel> & <https://evil|x>", Severity: "SEV1", Status: "resolved",
		Duration: 85 * time.Minute, Postmortem: "https://ci.example.com/pm/2026-03-26-x/postmortem.html",
		Tickets: []timeline.Ticket{{ID: "OPS-2", URL: "http://127.0.0.1/browse/OPS-2"}, {ID: "OPS-1", URL: "http://127.0.0.1/browse/OPS-1"}},
		Final:   true, Archiving: true}
	got := s.Text()
	for _, want := range []string{
		":memo: *Wrap-up: Checkout &lt;!channel&gt; &amp; &lt;https://evil|x&gt;* (SEV1, resolved, lasted 1h 25m)",
		"Postmortem draft: <https://ci.example.com/pm/2026-03-26-x/postmortem.html>",
		"Action items filed (2): <http://127.0.0.1/browse/OPS-1|OPS-1>, <http://127.0.0.1/browse/OPS-2|OPS-2>",
		"the channel is archived next",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("text lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "<!channel>") {
		t.Error("channel text reached Slack as a mention")
	}
	progress := Summary{Title: "x"}.Text()
	if !strings.Contains(progress, "will be updated") {
		t.Errorf("progress text %q", progress)
	}
	if got := (Summary{Final: true, Postmortem: "out/2026/postmortem.md", Failed: 2}).Text(); !strings.Contains(got, "`out/2026/postmortem.md`") ||
		!strings.Contains(got, "2 action item(s) could not be filed") || !strings.Contains(got, "No action items") {
		t.Errorf("text %q", got)
	}
}

// TestSummaryTextKeepsShortcodes: messages to Slack keep shortcodes, which
// Slack renders, custom emoji included (see Summary.Text).
func TestSummaryTextKeepsShortcodes(t *testing.T) {
	got := Summary{Title: ":fire: Checkout :party_parrot:", Final: true}.Text()
	if want := ":memo: *Wrap-up: :fire: Checkout :party_parrot:*"; !strings.Contains(got, want) {
		t.Errorf("text lacks %q:\n%s", want, got)
	}
}

func TestHuman(t *testing.T) {
	for d, want := range map[time.Duration]string{30 * time.Second: "30s", 45 * time.Minute: "45m",
		85 * time.Minute: "1h 25m", 50 * time.Hour: "2d 2h"} {
		if got := Human(d); got != want {
			t.Errorf("Human(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestRecordKeepsOtherFields(t *testing.T) {
	p := filepath.Join(t.TempDir(), folder.RecordName)
	r, err := folder.LoadRecord(p)
	if err != nil || len(r.Steps) != 0 {
		t.Fatalf("%+v %v", r, err)
	}
	r.Steps[StepExport] = time.Date(2026, 3, 26, 16, 0, 0, 0, time.UTC)
	if err := r.Save(p); err != nil {
		t.Fatal(err)
	}
	// Another writer (the ticket ledger) adds its field; a save keeps it.
	led := &folder.Ledger{Path: p}
	if err := led.Record(t.Context(), "k1", timeline.Ticket{Tracker: "jira", ID: "OPS-1"}); err != nil {
		t.Fatal(err)
	}
	r.Steps[StepTimeline] = r.Steps[StepExport]
	if err := r.Save(p); err != nil {
		t.Fatal(err)
	}
	tickets, err := led.Load(t.Context())
	if err != nil || tickets["k1"].ID != "OPS-1" {
		t.Errorf("tickets %v %v", tickets, err)
	}
	back, err := folder.LoadRecord(p)
	if err != nil || !back.Done(StepExport) || !back.Done(StepTimeline) || back.Done(StepFile) {
		t.Errorf("%+v %v", back, err)
	}
}

// TestSummaryTextFitsSlack: chat.update refuses text over 4,000 characters
// (msg_too_long, Slack's chat.update docs), so however many tickets there
// are, and however long the title, the wrap-up message stays under it,
// listing the first tickets and then how many more.
func TestSummaryTextFitsSlack(t *testing.T) {
	var tickets []timeline.Ticket
	for i := range 300 {
		id := fmt.Sprintf("acme/incidents#%d", 1000+i)
		tickets = append(tickets, timeline.Ticket{Tracker: "github", ID: id,
			URL: fmt.Sprintf("https://github.example.com/acme/incidents/issues/%d", 1000+i)})
	}
	for _, s := range []Summary{
		{Title: "Checkout errors", Severity: "SEV1", Status: "resolved", Duration: time.Hour, Tickets: tickets, Final: true, Archiving: true,
			Postmortem: "https://ci.example.com/postmortems/2026-03-26-incident-2026-03-26-checkout-errors/postmortem.html"},
		{Title: strings.Repeat("<&>é", 5000), Tickets: tickets},
		{Title: strings.Repeat("<&>é", 5000), Final: true, Tickets: tickets[:1]},
	} {
		got := s.Text()
		if len(got) > MaxText {
			t.Errorf("%d bytes, over Slack's %d:\n%.300s…", len(got), MaxText, got)
		}
		if !utf8.ValidString(got) {
			t.Error("the text was cut inside a character")
		}
		if regexp.MustCompile(`&[a-z]{0,3}…`).MatchString(got) {
			t.Error("an entity was cut")
		}
		if len(s.Tickets) > 1 {
			if !strings.Contains(got, "|acme/incidents#1000>") || !regexp.MustCompile(` and \d+ more: see the postmortem`).MatchString(got) {
				t.Errorf("the text does not list the first tickets and then how many more:\n%s", got)
			}
		}
	}
	// Few tickets: all are listed, no "more".
	few := Summary{Final: true, Tickets: tickets[:3]}.Text()
	if strings.Contains(few, "more") || strings.Count(few, "|acme/incidents#") != 3 {
		t.Errorf("three tickets: %s", few)
	}
}
