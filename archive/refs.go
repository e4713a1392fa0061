package archive

import "strings"

// ReferencedUsers returns the IDs of every user the channel references:
// posters, mentions, reactors, editors, file owners, pinners, members and
// the creator. An archive keeps exactly these users.
func ReferencedUsers(a *Archive) map[string]bool {
	ids := map[string]bool{}
	add := func(id string) {
		if id != "" {
			ids[id] = true
		}
	}
	add(a.Channel.Creator)
	add(a.Channel.Topic.Creator)
	add(a.Channel.Purpose.Creator)
	for _, id := range a.Channel.Members {
		add(id)
	}
	for _, p := range a.Channel.Pins {
		add(p.User)
		add(p.Owner)
	}
	for m := range a.All() {
		add(m.User)
		add(m.ParentUserID)
		if m.Edited != nil {
			add(m.Edited.User)
		}
		for _, r := range m.Reactions {
			for _, u := range r.Users {
				add(u)
			}
		}
		for _, f := range m.Files {
			add(f.User)
		}
		addMentions(m.Text, add)
	}
	return ids
}

// addMentions finds <@U123> and <@U123|name> tokens in mrkdwn text.
func addMentions(text string, add func(string)) {
	for {
		i := strings.Index(text, "<@")
		if i < 0 {
			return
		}
		text = text[i+2:]
		end := strings.IndexAny(text, "|>")
		if end < 0 {
			return
		}
		add(text[:end])
		text = text[end:]
	}
}
