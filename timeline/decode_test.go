package timeline_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/wrapup/wrapup/timeline"
)

func TestDecodeRoundTrip(t *testing.T) {
	at := time.Date(2026, 3, 26, 14, 2, 11, 0, time.UTC)
	ttr := int64(5400)
	in := &timeline.Timeline{Incident: timeline.Incident{Title: "API | latency", Severity: "SEV2", DeclaredAt: &at},
		Metrics:     timeline.Metrics{TimeToResolve: &ttr, Responders: 3},
		ActionItems: []timeline.ActionItem{{Key: "k1", Summary: "fix", Ticket: &timeline.Ticket{Tracker: "jira", ID: "OPS-1"}}}}
	var buf bytes.Buffer
	if err := timeline.Encode(&buf, in); err != nil {
		t.Fatal(err)
	}
	out, err := timeline.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if out.Incident.Title != "API | latency" || !out.Incident.DeclaredAt.Equal(at) || *out.Metrics.TimeToResolve != 5400 ||
		out.ActionItems[0].Ticket.ID != "OPS-1" {
		t.Errorf("round trip lost data: %+v", out)
	}
}

func TestDecodeErrors(t *testing.T) {
	for name, doc := range map[string]string{
		"empty":      "",
		"not json":   "{",
		"no schema":  `{"incident":{}}`,
		"old schema": `{"schema":"wrapup.timeline/v0"}`,
		"wrong type": `{"schema":"wrapup.timeline/v1","metrics":{"responders":"x"}}`,
	} {
		_, err := timeline.Decode(strings.NewReader(doc))
		if err == nil {
			t.Errorf("%s: Decode succeeded", name)
		}
		var se *timeline.SchemaError
		if wantSchema := strings.Contains(name, "schema"); wantSchema != errors.As(err, &se) {
			t.Errorf("%s: %v; SchemaError %v, want %v", name, err, !wantSchema, wantSchema)
		}
	}
}
