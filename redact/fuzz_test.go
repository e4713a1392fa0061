package redact

import (
	"slices"
	"strings"
	"testing"
)

// FuzzRedactInvisible: whatever invisible characters an input holds and
// wherever it is cut, the output, with those characters dropped the way a
// renderer drops them, holds no secret that the redactor finds in the
// input with them dropped, and no part of one past the cut.
func FuzzRedactInvisible(f *testing.F) {
	for _, s := range []string{xoxb, ghp, pemKey, jwt, akia, gkey, webhook, "https://u:p@ss@h/x", "plain text",
		"a://b:c@d x://y:z@w <https://u:p@h|l> ftp://a'b:c@d", "x://://u:p@h@://"} {
		f.Add(s, "\u200b", uint8(3), uint16(40))
		f.Add("lead "+s+" tail", "\x00", uint8(7), uint16(12))
		f.Add(s+s, "\u00ad", uint8(1), uint16(200))
	}
	r, err := New(true, []string{`tok-[0-9a-f]{8}`})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s, inv string, every uint8, cut uint16) {
		in := sprinkle(s, inv, int(every))
		raw := Visible(in)
		out := r.String(in)
		if got, want := Visible(out), r.String(raw); got != want {
			t.Fatalf("redacting %q then dropping invisibles gave %q; dropping then redacting gave %q", in, got, want)
		}
		n := int(cut) % (len(in) + 2)
		short := Visible(r.Cut(in, n))
		if !strings.HasPrefix(Visible(out), strings.TrimSuffix(short, Ellipsis)) {
			t.Fatalf("Cut(%q, %d) = %q is not a prefix of the redacted text %q", in, n, short, out)
		}
		for _, ru := range r.rules {
			if got, want := ru.find(raw), ru.re.FindAllStringSubmatchIndex(raw, -1); !slices.EqualFunc(got, want, slices.Equal) {
				t.Fatalf("%s: windows found %v, the whole text %v, in %q", ru.kind, got, want, raw)
			}
			for _, loc := range ru.re.FindAllStringSubmatchIndex(raw, -1) {
				secret := raw[loc[0]:loc[1]]
				if ru.keep > 0 {
					secret = raw[loc[2*ru.keep+1]:loc[1]] // the kept prefix is no secret
				}
				if len(secret) < 4 || strings.Count(raw, secret) > 1 {
					continue // too short, or also in the text outside a match ("a'b:c@d")
				}
				for _, o := range []string{Visible(out), short} {
					if strings.Contains(o, secret) {
						t.Fatalf("%s secret %q survived in %q (input %q)", ru.kind, secret, o, in)
					}
				}
			}
		}
	})
}

// sprinkle puts inv after every every-th byte of s that starts a rune.
func sprinkle(s, inv string, every int) string {
	if inv == "" || every == 0 {
		return s
	}
	var b strings.Builder
	k := 0
	for _, r := range s {
		b.WriteRune(r)
		if k++; k%every == 0 {
			b.WriteString(inv)
		}
	}
	return b.String()
}
