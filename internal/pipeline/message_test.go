package pipeline

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wrapup/wrapup/timeline"
	"github.com/wrapup/wrapup/trackers"
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

func TestHuman(t *testing.T) {
	for d, want := range map[time.Duration]string{30 * time.Second: "30s", 45 * time.Minute: "45m",
		85 * time.Minute: "1h 25m", 50 * time.Hour: "2d 2h"} {
		if got := Human(d); got != want {
			t.Errorf("Human(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestRecordKeepsOtherFields(t *testing.T) {
	p := filepath.Join(t.TempDir(), RecordName)
	r, err := LoadRecord(p)
	if err != nil || len(r.Steps) != 0 {
		t.Fatalf("%+v %v", r, err)
	}
	r.Steps[StepExport] = time.Date(2026, 3, 26, 16, 0, 0, 0, time.UTC)
	if err := r.Save(p); err != nil {
		t.Fatal(err)
	}
	// Another writer (the ticket ledger) adds its field; a save keeps it.
	led := &trackers.FileLedger{Path: p}
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
	back, err := LoadRecord(p)
	if err != nil || !back.Done(StepExport) || !back.Done(StepTimeline) || back.Done(StepFile) {
		t.Errorf("%+v %v", back, err)
	}
}
