package mrkdwn

import "strings"

// ToPlain converts Slack mrkdwn to plain text for tickets and logs: entities
// decoded, mentions and dates resolved, links as "label (url)", formatting
// markers and code fences dropped, quoted lines prefixed "> ". Nothing is
// escaped, so the result must not be fed to a Markdown or HTML renderer.
// r may be nil.
func ToPlain(text string, r Resolver) string {
	o := blockWriter{plain: true}
	for _, b := range parse(text, r) {
		if b.code {
			o.unit(b.quote, strings.Split(b.text, "\n"))
			continue
		}
		var para []string
		for _, line := range b.lines {
			var s strings.Builder
			for _, n := range line {
				s.WriteString(plainNode(n))
			}
			l := strings.TrimRight(s.String(), " \t")
			if strings.TrimSpace(l) == "" {
				o.para(b.quote, para)
				para = nil
				continue
			}
			para = append(para, l)
		}
		o.para(b.quote, para)
	}
	return o.b.String()
}
