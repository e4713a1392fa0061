package mrkdwn

// Resolver turns the Slack IDs inside mention tokens into display names.
// Any method may report ok=false; the token's own label, or else the raw
// ID, is shown instead. Names are untrusted text and are escaped like any
// other.
type Resolver interface {
	// User returns the handle shown for <@U123>, without the "@".
	User(id string) (name string, ok bool)
	// Channel returns the name shown for <#C123>, without the "#".
	Channel(id string) (name string, ok bool)
	// Usergroup returns the handle shown for <!subteam^S123>, with or
	// without its "@".
	Usergroup(id string) (handle string, ok bool)
}

// MapResolver is a [Resolver] backed by maps from ID to name. Nil maps
// resolve nothing.
type MapResolver struct {
	Users, Channels, Usergroups map[string]string
}

var _ Resolver = MapResolver{}

// User implements [Resolver].
func (m MapResolver) User(id string) (string, bool) { return lookup(m.Users, id) }

// Channel implements [Resolver].
func (m MapResolver) Channel(id string) (string, bool) { return lookup(m.Channels, id) }

// Usergroup implements [Resolver].
func (m MapResolver) Usergroup(id string) (string, bool) { return lookup(m.Usergroups, id) }

func lookup(m map[string]string, id string) (string, bool) {
	name, ok := m[id]
	return name, ok && name != ""
}
