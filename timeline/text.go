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
	byName map[string]*archive.User // lower-case handle, real name or display name -> the user
	// consulted are the users whose records decided something, for a
	// Stream given more users than the channel references (Consulted).
	consulted map[string]bool
}

func newPeople(arc *archive.Archive) *people {
	p := &people{arc: arc, byName: map[string]*archive.User{}, consulted: map[string]bool{}}
	// Handles first, so that a real name never shadows someone's handle.
	for _, u := range arc.Users {
		if u.Name != "" {
			p.byName[strings.ToLower(u.Name)] = u
		}
	}
	for _, u := range arc.Users {
		if u.Name == "" {
			continue
		}
		for _, n := range []string{u.FullName(), u.Profile.DisplayName} {
			if k := strings.ToLower(strings.TrimSpace(n)); k != "" {
				if _, taken := p.byName[k]; !taken {
					p.byName[k] = u
				}
			}
		}
	}
	return p
}

// user finds a user by ID. Every lookup of the timeline goes through
// here, or through named or byHandle: each notes the user it found.
func (p *people) user(id string) (*archive.User, bool) {
	u, ok := p.arc.User(id)
	if ok {
		p.consulted[u.ID] = true
	}
	return u, ok
}

// named finds a user by lower-case handle, real name or display name.
func (p *people) named(key string) (*archive.User, bool) {
	u, ok := p.byName[key]
	if ok {
		p.consulted[u.ID] = true
	}
	return u, ok
}

// byHandle finds the first user whose handle is h.
func (p *people) byHandle(h string) (*archive.User, bool) {
	for _, u := range p.arc.Users {
		if u.Name == h {
			p.consulted[u.ID] = true
			return u, true
		}
	}
	return nil, false
}

// isBotMessage is archive.IsBotMessage through user.
func (p *people) isBotMessage(m *archive.Message) bool {
	if m.IsBot() {
		return true
	}
	u, ok := p.user(m.User)
	return ok && u.IsBot
}

// handle returns the handle of the user with the given ID, or the ID.
func (p *people) handle(id string) string {
	if u, ok := p.user(id); ok && u.Name != "" {
		return u.Name
	}
	return id
}

// resolve turns <@U123>, <@U123|name>, @name, a handle, a real name or a
// display name into a handle; an unknown name is kept as written (without @).
func (p *people) resolve(s string) string {
	s = strings.TrimSpace(s)
	s = strings.Trim(s, "*_")
	if strings.HasPrefix(s, "<@") && strings.HasSuffix(s, ">") {
		id, name, _ := strings.Cut(s[2:len(s)-1], "|")
		if u, ok := p.user(id); ok && u.Name != "" {
			return u.Name
		}
		if name != "" {
			return name
		}
		return id
	}
	s = strings.TrimPrefix(s, "@")
	if u, ok := p.named(strings.ToLower(s)); ok {
		return u.Name
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
			if u, ok := p.named(strings.ToLower(name)); ok && strings.EqualFold(u.Name, name) {
				return u.Name
			}
		}
	}
	return ""
}
