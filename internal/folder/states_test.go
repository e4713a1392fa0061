package folder_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/wrapup/wrapup/internal/folder"
	"github.com/wrapup/wrapup/timeline"
	"github.com/wrapup/wrapup/trackers"
)

func TestLedgerStates(t *testing.T) {
	ctx := context.Background()
	checked := time.Date(2026, 11, 2, 9, 30, 0, 0, time.FixedZone("CET", 3600))
	resolved := time.Date(2026, 10, 30, 17, 0, 0, 0, time.UTC)

	t.Run("missing file and missing field are empty", func(t *testing.T) {
		dir := t.TempDir()
		l := &folder.Ledger{Path: filepath.Join(dir, "wrapup.json")}
		if got, err := l.States(ctx); err != nil || len(got) != 0 {
			t.Errorf("States of a missing file = %v, %v; want empty", got, err)
		}
		if err := os.WriteFile(l.Path, []byte(`{"tickets":{}}`), 0o600); err != nil {
			t.Fatal(err)
		}
		if got, err := l.States(ctx); err != nil || got == nil || len(got) != 0 {
			t.Errorf("States without the field = %v, %v; want an empty map", got, err)
		}
	})

	t.Run("merges, keeps every other field, UTC, mode 0600", func(t *testing.T) {
		dir := t.TempDir()
		path := filepath.Join(dir, "wrapup.json")
		orig := `{"schema":"wrapup.run/v1","custom":{"a":[1,2]},"tickets":{"k1":{"tracker":"jira","id":"OPS-1","url":"u1"}},` +
			`"ticket_states":{"old":{"state":"done","done":true,"resolved_at":"2026-01-02T03:04:05Z","checked_at":"2026-01-03T00:00:00Z"},` +
			`"k1":{"state":"open","done":false,"checked_at":"2026-01-03T00:00:00Z"}}}`
		if err := os.WriteFile(path, []byte(orig), 0o644); err != nil {
			t.Fatal(err)
		}
		l := &folder.Ledger{Path: path}
		in := map[string]trackers.TicketState{
			"k1": {State: trackers.StateDone, Done: true, ResolvedAt: &resolved, CheckedAt: checked},
			"k2": {State: trackers.StateNotPlanned, CheckedAt: checked},
		}
		if err := l.SetStates(ctx, in); err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var doc map[string]any
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatal(err)
		}
		want := map[string]any{
			"schema":  "wrapup.run/v1",
			"custom":  map[string]any{"a": []any{1.0, 2.0}},
			"tickets": map[string]any{"k1": map[string]any{"tracker": "jira", "id": "OPS-1", "url": "u1"}},
			"ticket_states": map[string]any{
				"old": map[string]any{"state": "done", "done": true, "resolved_at": "2026-01-02T03:04:05Z", "checked_at": "2026-01-03T00:00:00Z"},
				"k1":  map[string]any{"state": "done", "done": true, "resolved_at": "2026-10-30T17:00:00Z", "checked_at": "2026-11-02T08:30:00Z"},
				"k2":  map[string]any{"state": "not_planned", "done": false, "checked_at": "2026-11-02T08:30:00Z"},
			},
		}
		if diff := cmp.Diff(want, doc); diff != "" {
			t.Errorf("wrapup.json (-want +got):\n%s", diff)
		}
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("mode = %v, want 0600", fi.Mode().Perm())
		}
		entries, _ := os.ReadDir(dir)
		if len(entries) != 1 {
			t.Errorf("folder holds %d entries, want only wrapup.json", len(entries))
		}
		got, err := l.States(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !got["k1"].CheckedAt.Equal(checked) || got["k1"].ResolvedAt == nil || !got["k1"].ResolvedAt.Equal(resolved) || got["k2"].State != "not_planned" || len(got) != 3 {
			t.Errorf("States after SetStates = %+v", got)
		}
	})

	t.Run("the tickets ledger and the states do not undo each other", func(t *testing.T) {
		l := &folder.Ledger{Path: filepath.Join(t.TempDir(), "wrapup.json")}
		tk := timeline.Ticket{Tracker: "github", ID: "acme/incidents#3", URL: "u"}
		if err := l.SetStates(ctx, map[string]trackers.TicketState{"k": {State: "open", CheckedAt: checked}}); err != nil {
			t.Fatal(err)
		}
		if err := l.Record(ctx, "k", tk); err != nil {
			t.Fatal(err)
		}
		if err := l.SetStates(ctx, map[string]trackers.TicketState{"k": {State: "done", Done: true, CheckedAt: checked}}); err != nil {
			t.Fatal(err)
		}
		tickets, err := l.Load(ctx)
		if err != nil || tickets["k"] != tk {
			t.Errorf("Load = %v, %v; want the ticket kept", tickets, err)
		}
		states, err := l.States(ctx)
		if err != nil || states["k"].State != "done" {
			t.Errorf("States = %v, %v; want done", states, err)
		}
	})

	t.Run("no states writes nothing", func(t *testing.T) {
		l := &folder.Ledger{Path: filepath.Join(t.TempDir(), "wrapup.json")}
		if err := l.SetStates(ctx, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(l.Path); !os.IsNotExist(err) {
			t.Errorf("SetStates(nil) made the file: %v", err)
		}
	})

	t.Run("a bad field is an error naming the file and field", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "wrapup.json")
		if err := os.WriteFile(path, []byte(`{"ticket_states":{"k":{"state":3}}}`), 0o600); err != nil {
			t.Fatal(err)
		}
		l := &folder.Ledger{Path: path}
		_, err := l.States(ctx)
		if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "ticket_states") {
			t.Errorf("States = %v; want an error naming %s and ticket_states", err, path)
		}
		err = l.SetStates(ctx, map[string]trackers.TicketState{"k": {State: "open"}})
		if err == nil || !strings.Contains(err.Error(), "ticket_states") {
			t.Errorf("SetStates over a bad field = %v; want an error", err)
		}
		if data, _ := os.ReadFile(path); string(data) != `{"ticket_states":{"k":{"state":3}}}` {
			t.Errorf("SetStates changed a file it could not read: %s", data)
		}
	})

	t.Run("a cancelled context writes nothing", func(t *testing.T) {
		l := &folder.Ledger{Path: filepath.Join(t.TempDir(), "wrapup.json")}
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if err := l.SetStates(cctx, map[string]trackers.TicketState{"k": {State: "open"}}); err == nil {
			t.Error("SetStates with a cancelled context succeeded")
		}
		if _, err := os.Stat(l.Path); !os.IsNotExist(err) {
			t.Errorf("file made: %v", err)
		}
	})
}
