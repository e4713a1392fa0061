package demo

import (
	"testing"

	"github.com/wrapup/wrapup/timeline"
)

// TestSampleIsARealisticIncident checks the sample has what the demo
// promises: more than an hour, threads, role changes, an escalation, a
// status-page update, action items by marker, reaction and bot command, a
// pasted secret and a shared file.
func TestSampleIsARealisticIncident(t *testing.T) {
	a, err := Archive(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Warnings) != 0 {
		t.Errorf("warnings: %v", a.Warnings)
	}
	rs, err := timeline.Compile(timeline.Defaults())
	if err != nil {
		t.Fatal(err)
	}
	tl, err := timeline.Build(a, rs, timeline.Options{})
	if err != nil {
		t.Fatal(err)
	}
	inc := tl.Incident
	if inc.Title != "Checkout errors" || inc.Severity != "SEV1" || inc.Status != timeline.StatusResolved || inc.Commander != "dave" {
		t.Errorf("incident = %+v", inc)
	}
	if inc.DeclaredAt == nil || inc.ResolvedAt == nil || inc.ResolvedAt.Sub(*inc.DeclaredAt).Minutes() < 60 {
		t.Errorf("declared %v resolved %v: want over an hour", inc.DeclaredAt, inc.ResolvedAt)
	}
	kinds := map[string]int{}
	for _, e := range tl.Events {
		kinds[e.Kind]++
	}
	for _, k := range []string{timeline.KindRole, timeline.KindEscalation, timeline.KindStatuspage, timeline.KindPin,
		timeline.KindNote, timeline.KindSeverity, timeline.KindStatus} {
		if kinds[k] == 0 {
			t.Errorf("no %s event; events by kind: %v", k, kinds)
		}
	}
	if len(tl.ActionItems) != 4 {
		for _, it := range tl.ActionItems {
			t.Logf("item %+v", it)
		}
		t.Errorf("%d action items, want 4 (marker, thread marker, reaction, bot command)", len(tl.ActionItems))
	}
	threads, files := 0, 0
	for m := range a.All() {
		if len(m.Replies) > 0 {
			threads++
		}
		for _, f := range m.Files {
			if len(f.Content) > 0 {
				files++
			}
		}
	}
	if threads < 3 || files != 1 {
		t.Errorf("threads %d, files with content %d", threads, files)
	}
}
