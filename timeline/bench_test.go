package timeline

import (
	"fmt"
	"testing"

	"github.com/wrapup/wrapup/archive/archivetest"
)

// benchRules are 20 config rules of the shapes teams write: bot and human,
// anchored and not, some on topics, one needing a reaction.
func benchRules() []RuleConfig {
	var rules []RuleConfig
	for i := range 5 {
		rules = append(rules,
			RuleConfig{Name: fmt.Sprintf("opsbot-status-%d", i), Kind: KindStatus, From: "bot", Bot: "OpsBot",
				Pattern: fmt.Sprintf(`^:ops%d: \*(?P<status>\w+)\*`, i)},
			RuleConfig{Name: fmt.Sprintf("human-ack-%d", i), Kind: KindSeverity, From: "human", RequireReaction: "white_check_mark",
				Pattern: fmt.Sprintf(`^!sev%d (?P<severity>P\d)`, i)},
			RuleConfig{Name: fmt.Sprintf("pager-%d", i), Kind: KindEscalation, Pattern: fmt.Sprintf(`paged team-%d via (?P<team>\S+)`, i)},
			RuleConfig{Name: fmt.Sprintf("topic-%d", i), Kind: KindNote, Subtype: "channel_topic", Pattern: fmt.Sprintf(`freeze-%d`, i)},
		)
	}
	return rules
}

// BenchmarkBuild builds the timeline of a generated 100k-message channel
// with the chatops preset plus 20 config rules.
func BenchmarkBuild(b *testing.B) {
	texts := []string{
		":large_blue_circle: Status: *identified* — rolling back",
		":arrow_up: Severity: *SEV1* (was SEV2)",
		":bust_in_silhouette: <@U0000001> is now *comms lead*",
		":hourglass: Reminder: next update due",
		":globe_with_meridians: Status page: *Degraded* — <https://status.example.com|status>",
	}
	arc := archivetest.Generate(archivetest.Options{Messages: 100_000, BotText: func(i int) string {
		if i == 0 {
			return ":rotating_light: Incident declared: *Synthetic* (SEV2) — commander <@U0000001>"
		}
		return texts[i%len(texts)]
	}})
	cfg := Defaults()
	cfg.Rules = benchRules()
	cfg.WorkspaceURL = "https://acme.slack.com"
	rs, err := Compile(cfg)
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	for range arc.All() {
		n++
	}
	b.ReportAllocs()
	b.ResetTimer()
	var tl *Timeline
	for b.Loop() {
		if tl, err = Build(arc, rs, Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
	if len(tl.Events) == 0 {
		b.Fatal("no events: the generated bot messages matched nothing")
	}
}
