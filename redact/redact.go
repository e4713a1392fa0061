// Package redact masks secrets in text before it reaches a document or a
// ticket: Slack, GitHub, AWS and Google credentials, private keys, JWTs,
// passwords in URLs, and any regular expressions the config adds. Each
// secret becomes "[REDACTED:kind]".
//
// Redaction works on copies: callers redact the text they are about to
// render, never the archive, which keeps the messages as they were.
package redact

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// Redactor masks secrets. The zero value and a nil *Redactor mask nothing.
// A Redactor is safe for concurrent use.
type Redactor struct {
	rules []rule
}

// rule is one kind of secret. hint is a literal every match contains, so
// that the regular expression runs only on text that could match; keep is
// the number of the submatch kept in front of the mask (0 for none).
type rule struct {
	kind string
	re   *regexp.Regexp
	hint string
	keep int
	may  func(string) bool // a finer prefilter than hint, or nil
	// windows, when set, gives the ranges of s a match can lie in, so the
	// expression runs on them alone: most of a long text is none.
	windows func(s string) [][2]int
}

// Builtin kinds, as they appear in "[REDACTED:kind]".
const (
	KindPrivateKey   = "private-key"
	KindSlackToken   = "slack-token"
	KindSlackWebhook = "slack-webhook"
	KindGitHubToken  = "github-token"
	KindAWSAccessKey = "aws-access-key"
	KindAWSSecretKey = "aws-secret-key"
	KindGoogleAPIKey = "google-api-key"
	KindJWT          = "jwt"
	KindURLPassword  = "url-password"
	KindPattern      = "pattern" // a pattern from the config
)

// builtins are tried in order: a private key block first, since it may hold
// anything, and URL passwords last, since a token may sit in a URL.
var builtins = []struct {
	kind, hint, expr string
	keep             int
	may              func(string) bool
}{
	{KindPrivateKey, "PRIVATE KEY",
		`-----BEGIN[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----(?s:.*?)(?:-----END[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|\z)`, 0, nil},
	{KindSlackWebhook, "hooks.slack.com",
		`https://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9/_-]+`, 0, nil},
	{KindSlackToken, "xox",
		`\bxox(?:[abposr]|e(?:\.xox[abposr])?)-[A-Za-z0-9-]{6,}`, 0, nil},
	{KindGitHubToken, "",
		`\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})`, 0, mayGitHub},
	{KindAWSAccessKey, "A",
		`\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|APKA|AROA)[A-Z0-9]{16}\b`, 0, mayAWS},
	{KindAWSSecretKey, "ecret",
		`(?i)(\baws_?secret_?(?:access_?)?key["']?\s*[:=]\s*["']?)[A-Za-z0-9/+=]{40}\b`, 1, nil},
	{KindGoogleAPIKey, "AIza",
		`\bAIza[0-9A-Za-z_-]{35,}`, 0, nil},
	{KindJWT, "eyJ",
		`\beyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*`, 0, nil},
	// scheme://user:password@host. The password stops at characters that
	// end a URL in text or in Slack's <url|label> markup; it runs to the
	// last "@" before them, since people paste passwords holding "@"
	// unencoded ("p@ss"). The user holds no brackets, so that a mask is
	// not read as a user on a second pass.
	{KindURLPassword, "://",
		`(\b[A-Za-z][A-Za-z0-9+.-]*://)[^\s/:@<>|"'\[\]]*:[^\s/<>|"']+@`, 1, mayURLPassword},
}

// compiled builtins, built once: the expressions are constants.
var builtinRules = func() []rule {
	rs := make([]rule, len(builtins))
	for i, b := range builtins {
		rs[i] = rule{kind: b.kind, re: regexp.MustCompile(b.expr), hint: b.hint, keep: b.keep, may: b.may}
		if b.kind == KindURLPassword {
			rs[i].windows = urlWindows
		}
	}
	return rs
}()

// MaxPatternBytes bounds a pattern from the config: Go compiles regular
// expressions in time that grows with their size (a 5 MB one took 14 s),
// and a real secret's shape fits in a few hundred bytes.
const MaxPatternBytes = 16 << 10

// New returns a Redactor with the built-in patterns (when builtin is true)
// followed by patterns, Go regular expressions from redact.patterns.
// A pattern that does not compile, or is longer than MaxPatternBytes, is
// an error naming its index.
func New(builtin bool, patterns []string) (*Redactor, error) {
	r := &Redactor{}
	if builtin {
		r.rules = append(r.rules, builtinRules...)
	}
	for i, p := range patterns {
		if err := CheckPattern(p); err != nil {
			return nil, fmt.Errorf("redact.patterns[%d]: %w", i, err)
		}
		re, err := regexp.Compile(p)
		if err != nil {
			return nil, fmt.Errorf("redact.patterns[%d]: %w", i, err)
		}
		if re.MatchString("") {
			return nil, fmt.Errorf("redact.patterns[%d]: %q matches the empty string", i, p)
		}
		lit, _ := re.LiteralPrefix()
		r.rules = append(r.rules, rule{kind: KindPattern, re: re, hint: lit})
	}
	return r, nil
}

// ErrPatternTooLong is the error for a pattern past MaxPatternBytes.
var ErrPatternTooLong = errors.New("pattern too long")

// CheckPattern checks what New can tell of a pattern before compiling it:
// that it is not empty and not longer than MaxPatternBytes.
func CheckPattern(p string) error {
	switch {
	case p == "":
		return errors.New("empty pattern")
	case len(p) > MaxPatternBytes:
		return fmt.Errorf("%w: %d bytes, at most %d", ErrPatternTooLong, len(p), MaxPatternBytes)
	}
	return nil
}

// String returns s with every secret replaced by "[REDACTED:kind]".
func (r *Redactor) String(s string) string {
	out, _ := r.Redact(s)
	return out
}

// Redact is String that also says how many secrets it masked.
//
// Rules match on the text without its invisible characters (see
// [Invisible]), so that no renderer that drops them can reveal a secret;
// the characters outside a mask are kept.
func (r *Redactor) Redact(s string) (string, int) {
	if r == nil || s == "" {
		return s, 0
	}
	n := 0
	v := newView(s)
	for i := range r.rules {
		ru := &r.rules[i]
		if ru.hint != "" && !strings.Contains(v.text, ru.hint) || ru.may != nil && !ru.may(v.text) {
			continue
		}
		locs := ru.find(v.text)
		if len(locs) == 0 {
			continue
		}
		s = ru.mask(v, locs)
		n += len(locs)
		v = newView(s)
	}
	return s, n
}

// find returns the rule's matches in s, as FindAllStringSubmatchIndex.
func (ru *rule) find(s string) [][]int {
	if ru.windows == nil {
		return ru.re.FindAllStringSubmatchIndex(s, -1)
	}
	var locs [][]int
	for _, w := range ru.windows(s) {
		for _, loc := range ru.re.FindAllStringSubmatchIndex(s[w[0]:w[1]], -1) {
			for k := range loc {
				if loc[k] >= 0 {
					loc[k] += w[0]
				}
			}
			locs = append(locs, loc)
		}
	}
	return locs
}

// mask replaces each match in locs, found in v.text, in v.raw.
func (ru *rule) mask(v view, locs [][]int) string {
	mask := "[REDACTED:" + ru.kind + "]"
	var b strings.Builder
	b.Grow(len(v.raw))
	last := 0
	for _, loc := range locs {
		start, end := v.span(loc[0], loc[1])
		b.WriteString(v.raw[last:start])
		if ru.keep > 0 && loc[2*ru.keep] >= 0 {
			_, keepEnd := v.span(loc[2*ru.keep], loc[2*ru.keep+1])
			b.WriteString(v.raw[start:max(start, keepEnd)])
		}
		b.WriteString(mask)
		if ru.kind == KindURLPassword {
			b.WriteByte('@')
		}
		last = end
	}
	b.WriteString(v.raw[last:])
	return b.String()
}

// Kinds lists the built-in kinds in the order they are applied.
func Kinds() []string {
	ks := make([]string, len(builtins))
	for i, b := range builtins {
		ks[i] = b.kind
	}
	return ks
}

// awsPrefixes start AWS access key IDs.
var awsPrefixes = []string{"AKIA", "ASIA", "ABIA", "ACCA", "AGPA", "AIDA", "AIPA", "ANPA", "ANVA", "APKA", "AROA"}

// mayAWS reports whether s holds an AWS key ID prefix: "A" is in most
// text, the prefixes are not.
func mayAWS(s string) bool {
	for _, p := range awsPrefixes {
		if strings.Contains(s, p) {
			return true
		}
	}
	return false
}

// mayGitHub reports whether s holds a GitHub token prefix: "gh" is in
// many words ("high", "through"), "gh?_" is not.
func mayGitHub(s string) bool {
	if strings.Contains(s, "github_pat_") {
		return true
	}
	for i := strings.Index(s, "gh"); i >= 0; {
		if i+3 < len(s) && strings.IndexByte("pousr", s[i+2]) >= 0 && s[i+3] == '_' {
			return true
		}
		j := strings.Index(s[i+2:], "gh")
		if j < 0 {
			break
		}
		i += 2 + j
	}
	return false
}

// urlDelims end a URL password match: every character of one is outside
// them (the expression's classes exclude \s, <, >, |, " and ').
const urlDelims = " \t\n\f\r<>|\"'"

// urlWindows gives the runs of s between delimiters that hold a "://"
// with an "@" after it: a URL password match lies inside one, and since a
// delimiter is no word character, \b reads the same inside it as in s.
func urlWindows(s string) [][2]int {
	var out [][2]int
	for i := 0; ; {
		j := strings.Index(s[i:], "://")
		if j < 0 {
			return out
		}
		j += i
		start := strings.LastIndexAny(s[:j], urlDelims) + 1
		end := len(s)
		if k := strings.IndexAny(s[j:], urlDelims); k >= 0 {
			end = j + k
		}
		if strings.IndexByte(s[j:end], '@') >= 0 {
			out = append(out, [2]int{start, end})
		}
		i = max(end, j+3)
	}
}

// mayURLPassword reports whether an "@" follows a "://": most URLs carry
// no user, and the expression has no literal to skip ahead with.
func mayURLPassword(s string) bool {
	i := strings.Index(s, "://")
	return i >= 0 && strings.IndexByte(s[i:], '@') >= 0
}
