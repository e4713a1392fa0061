package redact

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// hide puts c between every two characters of s.
func hide(s, c string) string {
	return strings.Join(strings.Split(s, ""), c)
}

// TestInvisibleInsideSecret: renderers drop these characters (render's
// plainText drops control and zero-width characters and invalid bytes), so
// a token split by them must still be masked, all of it.
func TestInvisibleInsideSecret(t *testing.T) {
	r, err := New(true, []string{`tok-[0-9a-f]{8}`})
	if err != nil {
		t.Fatal(err)
	}
	invisibles := map[string]string{
		"zero-width space":  "\u200b",
		"zero-width joiner": "\u200d",
		"nul":               "\x00",
		"soft hyphen":       "\u00ad",
		"bom":               "\ufeff",
		"word joiner":       "\u2060",
		"bidi override":     "\u202e",
		"escape":            "\x1b",
		"c1 control":        "\u0085",
		"tag character":     "\U000E0041",
		"variation sel":     "\ufe0f",
		"invalid byte":      "\xff",
	}
	secrets := map[string]string{"slack": xoxb, "github": ghp, "aws": akia, "jwt": jwt, "pattern": "tok-0123abcd"}
	for iname, c := range invisibles {
		for sname, secret := range secrets {
			t.Run(iname+"/"+sname, func(t *testing.T) {
				in := "before " + hide(secret, c) + " after"
				out, n := r.Redact(in)
				if n != 1 {
					t.Errorf("masked %d secrets in %q, want 1: %q", n, in, out)
				}
				if !strings.HasPrefix(out, "before [REDACTED:") || !strings.HasSuffix(out, "] after") {
					t.Errorf("Redact(%q) = %q, want the whole token masked", in, out)
				}
			})
		}
	}
}

// TestInvisibleOutsideKept: characters around a secret are not the
// redactor's business; only those inside a mask go.
func TestInvisibleOutsideKept(t *testing.T) {
	r, _ := New(true, nil)
	in := "a\u200bb " + xoxp + "\u200b c\u00add 👩\u200d💻"
	want := "a\u200bb [REDACTED:slack-token]\u200b c\u00add 👩\u200d💻"
	if got := r.String(in); got != want {
		t.Errorf("String(%q)\n got %q\nwant %q", in, got, want)
	}
}

// TestURLPasswordWithAt: a password with an unencoded "@" is masked up to
// the host, not up to its first "@".
func TestURLPasswordWithAt(t *testing.T) {
	r, _ := New(true, nil)
	tests := []struct{ in, want string }{
		{"postgres://admin:p@ss@db.internal:5432/x", "postgres://[REDACTED:url-password]@db.internal:5432/x"},
		{"<https://bob:a@b@c@example.com/x|box> mail me at bob@example.com", "<https://[REDACTED:url-password]@example.com/x|box> mail me at bob@example.com"},
		{"redis://:s3@cr3t@cache:6379", "redis://[REDACTED:url-password]@cache:6379"},
	}
	for _, tt := range tests {
		got := r.String(tt.in)
		if got != tt.want {
			t.Errorf("String(%q)\n got %q\nwant %q", tt.in, got, tt.want)
		}
		if strings.Contains(got, "ss@") || strings.Contains(got, "cr3t") || strings.Contains(got, "c@") {
			t.Errorf("part of the password survived: %q", got)
		}
	}
}

// TestCutAfterRedaction: a token straddling the cut is masked whole, not
// left as a prefix too short for any rule.
func TestCutAfterRedaction(t *testing.T) {
	r, _ := New(true, nil)
	in := strings.Repeat("x", 190) + " " + xoxb
	got := r.Cut(in, 200)
	if strings.Contains(got, "xoxb") || strings.Contains(got, xoxb[:8]) {
		t.Errorf("Cut left part of the token: %q", got)
	}
	if n := utf8.RuneCountInString(got); n > 200 {
		t.Errorf("Cut gave %d runes, want at most 200", n)
	}
	if !strings.HasSuffix(got, Ellipsis) {
		t.Errorf("Cut(%q) = %q, want a final %q", in, got, Ellipsis)
	}
	if got, n := r.RedactCut("short "+ghp, 200); got != "short [REDACTED:github-token]" || n != 1 {
		t.Errorf("RedactCut = %q, %d", got, n)
	}
	var nilR *Redactor
	if got := nilR.Cut("abcdef", 4); got != "abc"+Ellipsis {
		t.Errorf("nil Cut = %q", got)
	}
	if got := r.Cut("ab   cdef", 5); got != "ab"+Ellipsis {
		t.Errorf("Cut kept spaces before the ellipsis: %q", got)
	}
}

// TestRecut: a summary cut before redaction is cut again from its full
// text, redacted; other text is only redacted.
func TestRecut(t *testing.T) {
	r, _ := New(true, nil)
	full := strings.Repeat("w ", 95) + xoxb + " and more\nsecond line"
	short := string([]rune(full)[:199]) + Ellipsis // the timeline's cut
	got, n := r.RedactRecut(short, full)
	if strings.Contains(got, "xoxb") || n != 1 || utf8.RuneCountInString(got) > 200 || !strings.HasSuffix(got, Ellipsis) {
		t.Errorf("RedactRecut = %q, %d; want the token masked whole within 200 runes", got, n)
	}
	if got := r.Recut("not cut "+ghp, "other text"); got != "not cut [REDACTED:github-token]" {
		t.Errorf("Recut of an uncut summary = %q", got)
	}
	if got := r.Recut("edited…", "something else entirely"); got != "edited…" {
		t.Errorf("Recut of a summary that is no cut of the text = %q", got)
	}
}
