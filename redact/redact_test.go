package redact

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Fake credentials of the real shapes, assembled at run time so that no
// secret scanner mistakes this file for a leak.
var (
	ghp     = "ghp_" + strings.Repeat("a1B2", 9)
	ghs     = "ghs_" + strings.Repeat("Z9y8", 9)
	gho     = "gho_" + strings.Repeat("Q7w6", 9)
	pat     = "github_pat_" + strings.Repeat("11ABCDEFG0", 5) + "_xyz"
	xoxb    = "xox" + "b-1234567890-0987654321-" + strings.Repeat("aBcD", 6)
	xoxp    = "xox" + "p-1234-5678-abcdef"
	xoxe    = "xox" + "e.xoxp-1-" + strings.Repeat("Mi0y", 8)
	akia    = "AKIA" + "IOSFODNN7EXAMPLE"
	awsSec  = "wJalrXUtnFEMI/K7MDENG/bPxRfiCY" + "EXAMPLEKEY"
	gkey    = "AIza" + "SyA-" + strings.Repeat("x9", 15) + "a"
	jwt     = "eyJ" + "hbGciOiJIUzI1NiJ9.eyJ" + "zdWIiOiIxMjM0In0.dBjftJeZ4CVPmB92K27uhbUJU1p1r_wW1gFWFOEjXk"
	webhook = "https://hooks.slack.com/" + "services/T000/B000/XXXXXXXXXXXXXXXX"
	pemKey  = "-----BEGIN RSA " + "PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\nabc\n-----END RSA " + "PRIVATE KEY-----"
)

func TestBuiltin(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"slack bot token", "token is " + xoxb + " ok", "token is [REDACTED:slack-token] ok"},
		{"slack user token", xoxp, "[REDACTED:slack-token]"},
		{"slack refresh token", "x " + xoxe, "x [REDACTED:slack-token]"},
		{"github classic", "use " + ghp, "use [REDACTED:github-token]"},
		{"github server", ghs + ".", "[REDACTED:github-token]."},
		{"github oauth", "(" + gho + ")", "([REDACTED:github-token])"},
		{"github fine-grained", pat, "[REDACTED:github-token]"},
		{"aws access key", "key=" + akia, "key=[REDACTED:aws-access-key]"},
		{"aws secret key", "aws_secret_access_key = " + awsSec, "aws_secret_access_key = [REDACTED:aws-secret-key]"},
		{"google api key", "k " + gkey, "k [REDACTED:google-api-key]"},
		{"jwt", "Bearer " + jwt, "Bearer [REDACTED:jwt]"},
		{"slack webhook", "post to " + webhook, "post to [REDACTED:slack-webhook]"},
		{"private key", "here:\n" + pemKey + "\nthanks", "here:\n[REDACTED:private-key]\nthanks"},
		{"truncated private key", "-----BEGIN OPENSSH " + "PRIVATE KEY-----\nb3BlbnNzaC1rZXk", "[REDACTED:private-key]"},
		{"password in url", "db at postgres://admin:hunter2@db.internal:5432/x", "db at postgres://[REDACTED:url-password]@db.internal:5432/x"},
		{"password in slack link", "<https://bob:s3cret@example.com/x|the box>", "<https://[REDACTED:url-password]@example.com/x|the box>"},
		{"two secrets", xoxp + " and " + ghp, "[REDACTED:slack-token] and [REDACTED:github-token]"},
		{"user without password", "ssh://git@github.com/x", "ssh://git@github.com/x"},
		{"plain text", "high throughput; AKIA is a prefix; eyJ alone", "high throughput; AKIA is a prefix; eyJ alone"},
		{"mention markup", "<@U123|alice> see <https://example.com|docs>", "<@U123|alice> see <https://example.com|docs>"},
		{"short xox", "xoxb-1", "xoxb-1"},
	}
	r, err := New(true, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := r.String(tt.in); got != tt.want {
				t.Errorf("String(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestPatterns(t *testing.T) {
	r, err := New(false, []string{`TICKET-\d+`, `(?i)internal\.corp`})
	if err != nil {
		t.Fatal(err)
	}
	got, n := r.Redact("see TICKET-42 on Internal.corp with " + xoxp)
	want := "see [REDACTED:pattern] on [REDACTED:pattern] with " + xoxp
	if diff := cmp.Diff(want, got); diff != "" || n != 2 {
		t.Errorf("Redact: n=%d (-want +got):\n%s", n, diff)
	}
}

func TestNewErrors(t *testing.T) {
	tests := []struct {
		name     string
		patterns []string
		want     string
	}{
		{"bad regexp", []string{`ok`, `(`}, "redact.patterns[1]: error parsing regexp"},
		{"empty", []string{``}, "redact.patterns[0]: empty pattern"},
		{"matches empty", []string{`a*`}, "redact.patterns[0]: \"a*\" matches the empty string"},
		{"too long", []string{`ok`, strings.Repeat("a", MaxPatternBytes+1)}, "redact.patterns[1]: pattern too long: 16385 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(true, tt.patterns)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("New(%q) = %v, want an error containing %q", tt.patterns, err, tt.want)
			}
		})
	}
}

func TestNilAndOff(t *testing.T) {
	var nilR *Redactor
	if got := nilR.String(xoxp); got != xoxp {
		t.Errorf("nil Redactor changed the text: %q", got)
	}
	off, err := New(false, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := off.String(xoxp); got != xoxp {
		t.Errorf("builtin off still redacted: %q", got)
	}
}

// TestIdempotent: redacting twice changes nothing more, so a document
// built from already-redacted text is stable.
func TestIdempotent(t *testing.T) {
	r, _ := New(true, []string{`secret-\w+`})
	for _, in := range []string{xoxb, ghp, pemKey, jwt, "https://u:p@h/x", "secret-abc " + akia} {
		once := r.String(in)
		if twice := r.String(once); twice != once {
			t.Errorf("second pass changed %q to %q", once, twice)
		}
	}
}

func FuzzRedact(f *testing.F) {
	for _, s := range []string{xoxb, ghp, pemKey, jwt, "https://u:p@h/x", akia, gkey, "plain"} {
		f.Add(s)
	}
	r, _ := New(true, []string{`tok-[0-9a-f]{8}`})
	f.Fuzz(func(t *testing.T, s string) {
		out := r.String(s)
		if r.String(out) != out {
			t.Errorf("not idempotent on %q", s)
		}
		for _, needle := range []string{xoxb, ghp, akia, gkey} {
			if strings.Contains(s, needle) && strings.Contains(out, needle) {
				t.Errorf("%q survived in %q", needle, out)
			}
		}
	})
}

func BenchmarkRedact(b *testing.B) {
	r, _ := New(true, nil)
	texts := []string{
		"p99 is at 4s on api-gateway, looking at the dashboards through the high load",
		"deploy 123 went out at 13:55, see <https://ci.example.com/run/9|the run>",
		"rotated " + xoxb + " just now",
	}
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		for _, s := range texts {
			_ = r.String(s)
			n++
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "texts/s")
}
