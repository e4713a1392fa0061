package render

import (
	"bytes"
	"testing"

	"github.com/wrapup/wrapup/archive/mrkdwn"
)

var fastPathSeeds = []string{
	"p99 is at 4s on api-gateway, looking at the dashboards",
	"rolling back deploy 123. ETA 5 min",
	"1. first", "- item", "a  b", "www.example.com", "Www", "a@b.com", "x://y", "a -- b", "a;b", "it's 50% done?",
	"héllo wörld", "a\tb", "a\u00a0b", "abc\x00", "zero\u200bwidth", "rtl\u202emark", "a & b", "<b>", "a_b_", "a*b*", "A",
}

// TestPlainFastPath: for text the fast paths accept, they give exactly
// what mrkdwn and goldmark give.
func TestPlainFastPath(t *testing.T) {
	for _, s := range fastPathSeeds {
		t.Run(s, func(t *testing.T) { checkFastPath(t, s) })
	}
}

func FuzzPlainFastPath(f *testing.F) {
	for _, s := range fastPathSeeds {
		f.Add(s)
	}
	f.Fuzz(checkFastPath)
}

func checkFastPath(t *testing.T, s string) {
	t.Helper()
	if isPlainSlack(s) {
		if md := mrkdwn.ToMarkdown(s, nil); md != s {
			t.Errorf("isPlainSlack(%q) but mrkdwn gives %q", s, md)
		}
	}
	md := mrkdwn.ToMarkdown(s, nil)
	if md == "" || !isPlainLine(md) {
		return
	}
	tr := &transcriber{b: &builder{}, gm: newGoldmark(nil)}
	fast, err := tr.toHTML(md)
	if err != nil {
		t.Fatal(err)
	}
	var slow bytes.Buffer
	if err := tr.gm.Convert([]byte(md), &slow); err != nil {
		t.Fatal(err)
	}
	if string(fast) != slow.String() {
		t.Errorf("Markdown %q: fast path gives %q, goldmark %q", md, fast, slow.String())
	}
}
