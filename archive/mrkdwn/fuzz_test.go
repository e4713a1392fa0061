package mrkdwn

import (
	"testing"
)

// FuzzToMarkdown checks the safety model on arbitrary input: no panic,
// valid UTF-8 out for valid UTF-8 in, and Markdown and table-cell output
// that markdownProblem accepts (no "{{", no unescaped "|" in a cell, no
// newline in a cell, no link to a scheme other than http, https, mailto).
func FuzzToMarkdown(f *testing.F) {
	for _, cases := range [][]conversion{markdownCases, inlineCases} {
		for _, c := range cases {
			f.Add(c.in)
		}
	}
	for _, in := range hostile {
		f.Add(in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		for _, r := range []Resolver{nil, hostileResolver} {
			md := ToMarkdown(in, r)
			if p := markdownProblem(md, false); p != "" {
				t.Fatalf("ToMarkdown(%q) = %q: %s", in, md, p)
			}
			il := ToInline(in, r)
			if p := markdownProblem(il, true); p != "" {
				t.Fatalf("ToInline(%q) = %q: %s", in, il, p)
			}
		}
	})
}
