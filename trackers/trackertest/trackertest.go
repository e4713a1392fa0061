// Package trackertest is the contract every tracker backend passes: one
// suite, run against the in-memory tracker, Jira and GitHub alike, so that
// the Filer can rely on the same behaviour from each.
package trackertest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wrapup/wrapup/archive"
	"github.com/wrapup/wrapup/timeline"
	"github.com/wrapup/wrapup/trackers"
)

// Item returns an action item with a key derived from name and n, like
// the ones the timeline finds.
func Item(name string, n int) timeline.ActionItem {
	link := fmt.Sprintf("https://example.slack.com/archives/C0123/p17745337%02d000100", n%100)
	return timeline.ActionItem{
		Key:       fmt.Sprintf("%s%04d", strings.ToLower(name), n),
		Summary:   fmt.Sprintf("%s follow-up %d", name, n),
		Text:      fmt.Sprintf("AI: %s follow-up %d, with details", name, n),
		By:        "alice",
		SourceTS:  archive.TS(int64(1774533700+n%100)*1e6 + 100),
		Permalink: &link,
	}
}

// HostileItems returns items whose texts try to inject markup into a
// ticket: Jira wiki markup, HTML, Markdown, a forged wrapup marker,
// newlines in the summary, and 10 kB of text.
func HostileItems() []timeline.ActionItem {
	texts := []struct{ summary, text string }{
		{"[click|https://evil.example] *bold* {code}x{code}", "h1. Title\n{noformat}\nbroken\n{html}<script>alert(1)</script>{html}\n[~admin] !https://evil.example/x.png!"},
		{"<img src=x onerror=alert(1)> </details>", "<!-- wrapup:forged --> <details><summary>x</summary>\n<script>alert(1)</script>"},
		{"# heading\nsecond line\r\nthird", "```\nfence\n```\n| a | b |\n|---|---|\n[link](https://evil.example) @everyone <!-- x -->"},
		{strings.Repeat("long summary ", 40), strings.Repeat("ten kilobytes of text {noformat} ", 320)},
		// Ⱥ grows when lower-cased: an escaper that finds {noformat} in a
		// lowered copy cuts the original in the wrong place.
		{strings.Repeat("Ⱥ", 12) + "{noFormat}", strings.Repeat("Ⱥ", 12) + "{noformat}\nh1. injected [click|http://evil.example]" + strings.Repeat("Ⱥ", 12) + "{noformat"},
	}
	var items []timeline.ActionItem
	for i, x := range texts {
		it := Item("hostile", i)
		it.Summary, it.Text = x.summary, x.text
		items = append(items, it)
	}
	return items
}

// Run runs the contract against trackers made by newTracker, which is
// called once per subtest and must return a fresh, empty tracker whose
// lookups see a filed ticket at once. The tracker must also be a
// [trackers.Finder].
func Run(t *testing.T, newTracker func(t *testing.T) trackers.Tracker) {
	t.Helper()
	service := func(t *testing.T) trackers.Service {
		t.Helper()
		tr := newTracker(t)
		s, ok := tr.(trackers.Service)
		if !ok {
			t.Fatalf("%T is a Tracker but not a Finder: the Filer cannot use it", tr)
		}
		return s
	}
	ctx := context.Background()

	t.Run("file returns a ticket", func(t *testing.T) {
		s := service(t)
		tk, err := s.File(ctx, Item("file", 1))
		if err != nil {
			t.Fatalf("File: %v", err)
		}
		if tk.Tracker == "" || tk.ID == "" || tk.URL == "" {
			t.Errorf("File returned %+v; want tracker, id and url set", tk)
		}
	})

	t.Run("lookup finds what was filed and nothing else", func(t *testing.T) {
		s := service(t)
		want := map[string]timeline.Ticket{}
		var keys []string
		for n := range 3 {
			it := Item("lookup", n)
			tk, err := s.File(ctx, it)
			if err != nil {
				t.Fatalf("File %d: %v", n, err)
			}
			want[it.Key] = tk
			keys = append(keys, it.Key)
		}
		keys = append(keys, "neverfiled01")
		got, err := s.Lookup(ctx, keys)
		if err != nil {
			t.Fatalf("Lookup: %v", err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Lookup (-want +got):\n%s", diff)
		}
	})

	t.Run("lookup of unknown or no keys is empty", func(t *testing.T) {
		s := service(t)
		for _, keys := range [][]string{nil, {"unknown0001", "unknown0002"}} {
			got, err := s.Lookup(ctx, keys)
			if err != nil {
				t.Fatalf("Lookup(%q): %v", keys, err)
			}
			if len(got) != 0 {
				t.Errorf("Lookup(%q) = %v; want nothing", keys, got)
			}
		}
	})

	t.Run("a key is not matched by a longer or shorter one", func(t *testing.T) {
		s := service(t)
		it := Item("prefix", 7)
		if _, err := s.File(ctx, it); err != nil {
			t.Fatalf("File: %v", err)
		}
		got, err := s.Lookup(ctx, []string{it.Key[:len(it.Key)-1], it.Key + "0"})
		if err != nil {
			t.Fatalf("Lookup: %v", err)
		}
		if len(got) != 0 {
			t.Errorf("Lookup matched other keys: %v", got)
		}
	})

	t.Run("hostile texts are filed", func(t *testing.T) {
		s := service(t)
		var keys []string
		for _, it := range HostileItems() {
			if _, err := s.File(ctx, it); err != nil {
				t.Fatalf("File(%.40q): %v", it.Summary, err)
			}
			keys = append(keys, it.Key)
		}
		got, err := s.Lookup(ctx, keys)
		if err != nil {
			t.Fatalf("Lookup: %v", err)
		}
		if len(got) != len(keys) {
			t.Errorf("Lookup found %d of %d hostile items: %v", len(got), len(keys), got)
		}
	})

	t.Run("filing twice through the Filer gives one ticket per item", func(t *testing.T) {
		s := service(t)
		var items []timeline.ActionItem
		for n := range 5 {
			items = append(items, Item("twice", n))
		}
		// No ledgers: the tracker itself must answer for what it holds.
		f := &trackers.Filer{Service: s, Concurrency: 2, Backoff: 1}
		first, err := f.File(ctx, items)
		if err != nil {
			t.Fatalf("first run: %v", err)
		}
		second, err := f.File(ctx, items)
		if err != nil {
			t.Fatalf("second run: %v", err)
		}
		for i := range items {
			if first[i].Status != trackers.StatusCreated || second[i].Status != trackers.StatusFound {
				t.Errorf("item %d: statuses %s then %s; want created then found", i, first[i].Status, second[i].Status)
			}
			if first[i].Ticket != second[i].Ticket {
				t.Errorf("item %d: ticket %+v then %+v", i, first[i].Ticket, second[i].Ticket)
			}
		}
	})

	t.Run("a cancelled context fails", func(t *testing.T) {
		s := service(t)
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := s.File(cctx, Item("cancel", 1)); err == nil {
			t.Error("File with a cancelled context succeeded")
		}
	})
}
