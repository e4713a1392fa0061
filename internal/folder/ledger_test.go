package folder_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wrapup/wrapup/internal/folder"
	"github.com/wrapup/wrapup/timeline"
)

func TestLedger(t *testing.T) {
	ctx := context.Background()
	tk := timeline.Ticket{Tracker: "jira", ID: "OPS-1", URL: "https://jira.example/browse/OPS-1"}

	t.Run("missing file is empty", func(t *testing.T) {
		l := &folder.Ledger{Path: filepath.Join(t.TempDir(), "wrapup.json")}
		got, err := l.Load(ctx)
		if err != nil || len(got) != 0 {
			t.Errorf("Load = %v, %v; want empty", got, err)
		}
	})

	t.Run("keeps other fields, mode 0600, no temp files", func(t *testing.T) {
		dir := t.TempDir()
		path := filepath.Join(dir, "wrapup.json")
		orig := `{"version":"1.2.3","steps":[{"name":"export","at":"2026-03-26T14:00:00Z"}],"tickets":{"old":{"tracker":"jira","id":"OPS-0","url":"u"}}}`
		if err := os.WriteFile(path, []byte(orig), 0o644); err != nil {
			t.Fatal(err)
		}
		l := &folder.Ledger{Path: path}
		if err := l.Record(ctx, "k1", tk); err != nil {
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
			"version": "1.2.3",
			"steps":   []any{map[string]any{"name": "export", "at": "2026-03-26T14:00:00Z"}},
			"tickets": map[string]any{
				"old": map[string]any{"tracker": "jira", "id": "OPS-0", "url": "u"},
				"k1":  map[string]any{"tracker": "jira", "id": "OPS-1", "url": "https://jira.example/browse/OPS-1"},
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
			t.Errorf("mode %v; want 0600", fi.Mode().Perm())
		}
		entries, _ := os.ReadDir(dir)
		if len(entries) != 1 {
			t.Errorf("folder holds %d entries; want only wrapup.json", len(entries))
		}
		got, err := l.Load(ctx)
		if err != nil || len(got) != 2 || got["k1"] != tk {
			t.Errorf("Load = %v, %v", got, err)
		}
	})

	t.Run("errors name the file", func(t *testing.T) {
		for name, body := range map[string]string{
			"not an object":  `[1]`,
			"tickets broken": `{"tickets":[1]}`,
		} {
			t.Run(name, func(t *testing.T) {
				path := filepath.Join(t.TempDir(), "wrapup.json")
				if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
					t.Fatal(err)
				}
				l := &folder.Ledger{Path: path}
				if _, err := l.Load(ctx); err == nil {
					t.Error("Load succeeded")
				}
				if err := l.Record(ctx, "k", tk); err == nil {
					t.Error("Record succeeded over a broken file")
				}
			})
		}
	})
}
