package mrkdwn

import (
	"strconv"
	"strings"
	"time"

	"github.com/wrapup/wrapup/archive/emoji"
)

// token interprets the inside of a <...> token. It is split on its first
// "|" while still raw, so an escaped "&gt;" or "|" in a label cannot end
// or split it; each piece is decoded afterwards. Anything not understood
// is shown as the literal token text.
func (p *parser) token(raw string) node {
	body, label, _ := strings.Cut(raw, "|")
	label = clean(decode(label), false)
	literal := node{kind: nText, text: clean(decode("<"+raw+">"), false)}
	if body == "" {
		return literal
	}
	switch body[0] {
	case '@':
		return p.mention("@", body[1:], label, p.user, literal)
	case '#':
		return p.mention("#", body[1:], label, p.channel, literal)
	case '!':
		return p.special(body[1:], label, literal)
	}
	// Any scheme makes a link node; whether it may be a link is the
	// renderer's call (allowedURL), made where the Markdown is written.
	if u := decode(body); hasScheme(u) {
		// Slack shows emoji in a link's label as in any text.
		return node{kind: nLink, url: u, text: emoji.Replace(label)}
	}
	return literal
}

// mention shows a user, channel or group. The resolver wins over the
// token's own label because the label is a snapshot Slack took when the
// message was sent; the raw ID is the last resort.
func (p *parser) mention(sigil, id, label string, resolve func(string) (string, bool), literal node) node {
	if id == "" {
		return literal
	}
	name, ok := resolve(id)
	if name = clean(name, false); !ok || name == "" {
		name = label
	}
	if name == "" {
		name = clean(decode(id), false)
	}
	return node{kind: nText, text: sigil + strings.TrimPrefix(name, sigil)}
}

// special handles <!...>: broadcasts, user groups and dates.
func (p *parser) special(name, label string, literal node) node {
	switch {
	case name == "here", name == "channel", name == "everyone", name == "group":
		return node{kind: nText, text: "@" + name}
	case strings.HasPrefix(name, "subteam^"):
		return p.mention("@", strings.TrimPrefix(name, "subteam^"), label, p.usergroup, literal)
	case strings.HasPrefix(name, "date^"):
		if label != "" {
			return node{kind: nText, text: label}
		}
		// Slack's fallback is the only text that matches the reader's
		// locale; without one, an unambiguous UTC time is the honest choice.
		ts, _, _ := strings.Cut(strings.TrimPrefix(name, "date^"), "^")
		sec, err := strconv.ParseInt(ts, 10, 64)
		if t := time.Unix(sec, 0).UTC(); err == nil && t.Year() >= 0 && t.Year() <= 9999 {
			return node{kind: nText, text: t.Format(time.RFC3339)}
		}
	case label != "":
		return node{kind: nText, text: label}
	}
	return literal
}

func (p *parser) user(id string) (string, bool) {
	if p.r == nil {
		return "", false
	}
	return p.r.User(id)
}

func (p *parser) channel(id string) (string, bool) {
	if p.r == nil {
		return "", false
	}
	return p.r.Channel(id)
}

func (p *parser) usergroup(id string) (string, bool) {
	if p.r == nil {
		return "", false
	}
	return p.r.Usergroup(id)
}

// plainNode is a node's text with all formatting dropped.
func plainNode(n node) string {
	switch n.kind {
	case nText, nCode:
		return n.text
	case nLink:
		return plainLink(n.url, n.text)
	}
	var b strings.Builder
	for _, k := range n.kids {
		b.WriteString(plainNode(k))
	}
	return b.String()
}
