package timeline

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/wrapup/wrapup/archive"
)

// FuzzRuleMatch checks that no pattern and text make the matcher panic, and
// that the prefilter never rejects a text the pattern matches.
func FuzzRuleMatch(f *testing.F) {
	for _, name := range Presets() {
		p, err := loadPreset(name)
		if err != nil {
			f.Fatal(err)
		}
		for _, r := range p.Rules {
			f.Add(r.Pattern, ":large_blue_circle: Status: *identified* — x")
		}
	}
	f.Add(`^a(?P<user>\S+)`, "a<@U1|bob>")
	f.Add(`Status Change\*: [^\n→]*→ (?P<status>[A-Za-z]+)`, "*🛡️ Status Change*: Active → Stable")
	f.Fuzz(func(t *testing.T, pattern, text string) {
		r, err := compileRule(RuleConfig{Name: "fuzz", Kind: KindNote, Pattern: pattern}, "fuzz")
		if err != nil {
			return
		}
		if r.re != nil && r.re.MatchString(text) && !r.prefilter(text) {
			t.Fatalf("prefilter (literal %q, anchored %v) rejects %q, which %q matches", r.literal, r.anchored, text, pattern)
		}
		cfg := Defaults()
		cfg.Rules = []RuleConfig{{Name: "fuzz", Kind: KindRole, Pattern: pattern, Set: map[string]string{"role": "x", "user": "y"}}}
		rs, err := Compile(cfg)
		if err != nil {
			return
		}
		msg := &archive.Message{TS: archive.MustTS("1774533731.000100"), User: "U1", Text: text,
			Reactions: []archive.Reaction{{Name: "ticket"}}}
		tl, err := Build(&archive.Archive{Channel: archive.Channel{ID: "C1"}, Messages: []*archive.Message{msg}}, rs, Options{Explain: true})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tl.MarshalJSON(); err != nil {
			t.Fatal(err)
		}
	})
}

// FuzzParseMarkers checks that every item is a piece of one line of the
// text and never empty.
func FuzzParseMarkers(f *testing.F) {
	for _, s := range []string{"AI: x", "• *AI:* add <@U1>", "_TODO:_ one\n> AI: two", "*Follow-up*: x", "ＡＩ: wide", "Action item:\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		for _, it := range ParseMarkers(text, Defaults().Markers) {
			if strings.TrimSpace(it) == "" || strings.Contains(it, "\n") {
				t.Fatalf("item %q from %q", it, text)
			}
			if utf8.ValidString(text) && !strings.Contains(text, it) {
				t.Fatalf("item %q is not in %q", it, text)
			}
		}
	})
}
