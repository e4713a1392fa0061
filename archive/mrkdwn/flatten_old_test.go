package mrkdwn

import (
	"strings"
	"testing"
)

// oldFlatten is timeline's plainMarkup as it was before Flatten replaced
// it (commit b99b6e6), kept while Flatten is made linear.
func oldFlatten(s string, handle func(id string) string) string {
	if !strings.Contains(s, "<") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			break
		}
		j := strings.IndexByte(s[i:], '>')
		if j < 0 {
			break
		}
		tok := s[i+1 : i+j]
		if !oldIsMarkup(tok) {
			b.WriteString(s[:i+1])
			s = s[i+1:]
			continue
		}
		b.WriteString(s[:i])
		b.WriteString(flatToken(tok, handle))
		s = s[i+j+1:]
	}
	b.WriteString(s)
	return b.String()
}

func oldIsMarkup(tok string) bool {
	if tok == "" || strings.ContainsAny(tok, " \n<") && !strings.Contains(tok, "|") {
		return false
	}
	return strings.HasPrefix(tok, "@") || strings.HasPrefix(tok, "#") || strings.HasPrefix(tok, "!") ||
		strings.Contains(tok, "://") || strings.HasPrefix(tok, "mailto:")
}

// FuzzFlattenDifferential checks Flatten against the flattener it replaced.
func FuzzFlattenDifferential(f *testing.F) {
	for _, cases := range [][]conversion{markdownCases, plainCases} {
		for _, c := range cases {
			f.Add(Decode(c.in))
		}
	}
	for _, in := range []string{"x <y <@U1>", "<a|<http://x>", "<<@U1>>", "< :// >", "<a://|b> <c :/>", "<mailto:a b|c>", "<\n|>", "<>"} {
		f.Add(in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		h := func(id string) string { return "h" + id }
		if got, want := Flatten(in, h), oldFlatten(in, h); got != want {
			t.Fatalf("Flatten(%q) = %q, the old flattener %q", in, got, want)
		}
	})
}
