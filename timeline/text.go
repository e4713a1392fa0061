package timeline

import (
	"strings"

	"github.com/wrapup/wrapup/archive"
	"github.com/wrapup/wrapup/archive/mrkdwn"
)

// matchText is the text rules see. A bot's text is often only the
// notification fallback of its blocks (Dispatch's "Incident Notification"),
// so for a bot message with blocks the blocks' text follows the text on
// new lines; an anchored pattern still sees the text first.
func matchText(m *archive.Message, bot bool) string {
	text := m.Text
	if text == "" {
		return mrkdwn.Decode(m.ContentText())
	}
	if bot && len(m.Blocks) > 0 {
		if bt := archive.BlocksText(m.Blocks); bt != "" && bt != text {
			text += "\n" + bt
		}
	}
	return mrkdwn.Decode(text)
}

// firstLine is s up to its first newline, trimmed.
func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}

// people resolves the ways a message names a user to a handle.
type people struct {
	arc    *archive.Archive
	byName map[string]string // lower-case handle, real name or display name -> handle
}

func newPeople(arc *archive.Archive) *people {
	p := &people{arc: arc, byName: map[string]string{}}
	// Handles first, so that a real name never shadows someone's handle.
	for _, u := range arc.Users {
		if u.Name != "" {
			p.byName[strings.ToLower(u.Name)] = u.Name
		}
	}
	for _, u := range arc.Users {
		if u.Name == "" {
			continue
		}
		for _, n := range []string{u.FullName(), u.Profile.DisplayName} {
			if k := strings.ToLower(strings.TrimSpace(n)); k != "" {
				if _, taken := p.byName[k]; !taken {
					p.byName[k] = u.Name
				}
			}
		}
	}
	return p
}

// handle returns the handle of the user with the given ID, or the ID.
func (p *people) handle(id string) string { return p.arc.Handle(id) }

// resolve turns <@U123>, <@U123|name>, @name, a handle, a real name or a
// display name into a handle; an unknown name is kept as written (without @).
func (p *people) resolve(s string) string {
	s = strings.TrimSpace(s)
	s = strings.Trim(s, "*_")
	if strings.HasPrefix(s, "<@") && strings.HasSuffix(s, ">") {
		id, name, _ := strings.Cut(s[2:len(s)-1], "|")
		if u, ok := p.arc.User(id); ok && u.Name != "" {
			return u.Name
		}
		if name != "" {
			return name
		}
		return id
	}
	s = strings.TrimPrefix(s, "@")
	if h, ok := p.byName[strings.ToLower(s)]; ok {
		return h
	}
	return s
}

// mentioned returns the handle of the first user mentioned in s: a <@U…>
// token, or an @name that is a known handle.
func (p *people) mentioned(s string) string {
	if i := strings.Index(s, "<@"); i >= 0 {
		if j := strings.IndexByte(s[i:], '>'); j > 0 {
			return p.resolve(s[i : i+j+1])
		}
	}
	for _, f := range strings.Fields(s) {
		if name, ok := strings.CutPrefix(f, "@"); ok {
			name = strings.TrimRight(name, ".,;:!?)")
			if h, ok := p.byName[strings.ToLower(name)]; ok && strings.EqualFold(h, name) {
				return h
			}
		}
	}
	return ""
}
