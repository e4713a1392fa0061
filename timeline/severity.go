package timeline

import (
	"strings"
)

// severityWords rank the word scales wrapup knows; lower is more severe.
// Response uses Critical..Trivial, Dispatch High..Low.
var severityWords = map[string]int{
	"critical": 1, "major": 2, "minor": 3, "trivial": 4,
	"high": 1, "medium": 2, "low": 3,
}

// NormalizeSeverity spells a severity the one way timeline.json uses:
// "sev2", "SEV 2" and "Sev-2" are SEV2, "p1" is P1, "critical" is Critical.
// Anything else is kept as written, trimmed.
func NormalizeSeverity(s string) string {
	s = strings.TrimSpace(strings.Trim(strings.TrimSpace(s), "*_`"))
	if n, ok := severityNumber(s); ok {
		if s[0] == 'p' || s[0] == 'P' {
			return "P" + n
		}
		return "SEV" + n
	}
	if _, ok := severityWords[strings.ToLower(s)]; ok {
		return strings.ToUpper(s[:1]) + strings.ToLower(s[1:])
	}
	return s
}

// severityNumber reads SEVn / SEV-n / SEV n / Pn, returning n.
func severityNumber(s string) (string, bool) {
	l := strings.ToLower(s)
	var rest string
	switch {
	case strings.HasPrefix(l, "sev"):
		rest = strings.TrimLeft(l[3:], " -_")
	case strings.HasPrefix(l, "p"):
		rest = l[1:]
	default:
		return "", false
	}
	if rest == "" || len(rest) > 2 {
		return "", false
	}
	for _, c := range rest {
		if c < '0' || c > '9' {
			return "", false
		}
	}
	return rest, true
}

// SeverityRank orders severities: a lower rank is more severe (SEV1 < SEV2,
// P1 < P2, Critical < Major < Minor < Trivial, High < Medium < Low). ok is
// false for a severity outside these scales.
func SeverityRank(s string) (rank int, ok bool) {
	s = NormalizeSeverity(s)
	if n, isNum := severityNumber(s); isNum {
		r := 0
		for _, c := range n {
			r = r*10 + int(c-'0')
		}
		return r, true
	}
	r, ok := severityWords[strings.ToLower(s)]
	return r, ok
}

// normalizeRole spells a role the one way timeline.json uses: lower case,
// and every name for the person in charge is "commander".
func normalizeRole(s string) string {
	s = strings.ToLower(strings.TrimSpace(strings.Trim(strings.TrimSpace(s), "*_`")))
	s = strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == '_' || r == ' ' || r == '-' }), " ")
	switch s {
	case "commander", "incident commander", "ic", "lead", "incident lead", "incident manager":
		return "commander"
	}
	return s
}

// mapStatus maps a status word through the config's mapping, then the rule's
// preset's, then the canonical names. ok is false for a word none of them
// knows; the word is then returned as written, trimmed.
func (r *rule) mapStatus(config map[string]string, word string) (string, bool) {
	word = strings.TrimSpace(strings.Trim(strings.TrimSpace(word), "*_`"))
	k := strings.ToLower(word)
	if s, ok := config[k]; ok {
		return s, true
	}
	if s, ok := r.statuses[k]; ok {
		return s, true
	}
	for _, c := range canonicalStatuses {
		if k == c {
			return c, true
		}
	}
	return word, false
}
