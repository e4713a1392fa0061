package archive

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
)

// Channel is a conversation's metadata, as channels.json (or groups.json)
// and conversations.info describe it. Fields wrapup does not model are kept
// in Extra and written back unchanged.
type Channel struct {
	ID        string     `json:"id"`
	Name      string     `json:"name"`
	Created   Int        `json:"created"`
	Creator   string     `json:"creator,omitempty"`
	Archived  bool       `json:"is_archived"`
	General   bool       `json:"is_general,omitempty"`
	Private   bool       `json:"is_private,omitempty"`
	Members   []string   `json:"members,omitempty"`
	Topic     Topic      `json:"topic"`
	Purpose   Topic      `json:"purpose"`
	Pins      []Pin      `json:"pins,omitempty"`
	Bookmarks []Bookmark `json:"bookmarks,omitempty"`

	// Extra holds the fields of the source's JSON that have no field above.
	Extra map[string]json.RawMessage `json:"-"`
}

// Topic is a channel's topic or purpose.
type Topic struct {
	Value   string `json:"value"`
	Creator string `json:"creator"`
	LastSet Int    `json:"last_set"`
}

// Pin is a pinned message, as an export's channels.json records it.
type Pin struct {
	TS      TS     `json:"id"`
	Type    string `json:"type,omitempty"`
	Created Int    `json:"created,omitempty"`
	User    string `json:"user,omitempty"`  // who pinned it
	Owner   string `json:"owner,omitempty"` // who posted it
}

// Bookmark is a channel bookmark (bookmarks.list). Exports do not carry
// them; wrapup's archive keeps them in channels.json.
type Bookmark struct {
	ID      string `json:"id"`
	Title   string `json:"title,omitempty"`
	Link    string `json:"link,omitempty"`
	Emoji   string `json:"emoji,omitempty"`
	Type    string `json:"type,omitempty"`
	Created Int    `json:"date_created,omitempty"`
}

type channelFields Channel

// channelKeys are the JSON names of Channel's typed fields.
var channelKeys = []string{"id", "name", "created", "creator", "is_archived", "is_general",
	"is_private", "members", "topic", "purpose", "pins", "bookmarks"}

// UnmarshalJSON decodes the typed fields and keeps every other field in Extra.
func (c *Channel) UnmarshalJSON(b []byte) error {
	var all map[string]json.RawMessage
	if err := json.Unmarshal(b, &all); err != nil {
		return err
	}
	if err := json.Unmarshal(b, (*channelFields)(c)); err != nil {
		return err
	}
	for _, k := range channelKeys {
		delete(all, k)
	}
	c.Extra = nil
	if len(all) > 0 {
		c.Extra = all
	}
	return nil
}

// MarshalJSON writes the typed fields and Extra as one object, keys sorted.
func (c *Channel) MarshalJSON() ([]byte, error) {
	typed, err := json.Marshal((*channelFields)(c))
	if err != nil {
		return nil, err
	}
	if len(c.Extra) == 0 {
		return typed, nil
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal(typed, &all); err != nil {
		return nil, err
	}
	for _, k := range slices.Sorted(maps.Keys(c.Extra)) {
		if _, typed := all[k]; typed || slices.Contains(channelKeys, k) {
			return nil, fmt.Errorf("channel %s: extra field %q shadows a typed field", c.ID, k)
		}
		all[k] = c.Extra[k]
	}
	return json.Marshal(all)
}

// User is a workspace member or bot user.
type User struct {
	ID        string      `json:"id"`
	Name      string      `json:"name"` // the handle
	RealName  string      `json:"real_name,omitempty"`
	Deleted   bool        `json:"deleted,omitempty"`
	IsBot     bool        `json:"is_bot,omitempty"`
	Profile   UserProfile `json:"profile"`
	IsAppUser bool        `json:"is_app_user,omitempty"`
	TZ        string      `json:"tz,omitempty"`
	// Raw is the user's JSON as the source sent it (nil for users built in code).
	Raw json.RawMessage `json:"-"`
}

// UserProfile holds the profile fields wrapup reads.
type UserProfile struct {
	RealName    string `json:"real_name,omitempty"`
	DisplayName string `json:"display_name,omitempty"`
	Email       string `json:"email,omitempty"`
}

type userFields struct {
	ID        string      `json:"id"`
	Name      string      `json:"name"`
	RealName  string      `json:"real_name,omitempty"`
	Deleted   bool        `json:"deleted,omitempty"`
	IsBot     bool        `json:"is_bot,omitempty"`
	Profile   UserProfile `json:"profile"`
	IsAppUser bool        `json:"is_app_user,omitempty"`
	TZ        string      `json:"tz,omitempty"`
}

// UnmarshalJSON decodes the typed fields and keeps a copy of b as Raw.
func (u *User) UnmarshalJSON(b []byte) error {
	var f userFields
	if err := json.Unmarshal(b, &f); err != nil {
		return err
	}
	*u = User{ID: f.ID, Name: f.Name, RealName: f.RealName, Deleted: f.Deleted, IsBot: f.IsBot,
		Profile: f.Profile, IsAppUser: f.IsAppUser, TZ: f.TZ, Raw: append(json.RawMessage(nil), b...)}
	return nil
}

// MarshalJSON returns Raw when set, else the typed fields.
func (u *User) MarshalJSON() ([]byte, error) {
	if u.Raw != nil {
		return u.Raw, nil
	}
	return json.Marshal(userFields{ID: u.ID, Name: u.Name, RealName: u.RealName, Deleted: u.Deleted,
		IsBot: u.IsBot, Profile: u.Profile, IsAppUser: u.IsAppUser, TZ: u.TZ})
}

// Email is the user's e-mail address, when the token may read it.
func (u *User) Email() string { return u.Profile.Email }

// FullName is the real name, from the profile when the top level lacks it.
func (u *User) FullName() string {
	if u.RealName != "" {
		return u.RealName
	}
	return u.Profile.RealName
}

// DisplayName is what Slack shows: the display name, else the real name,
// else the handle.
func (u *User) DisplayName() string {
	for _, s := range []string{u.Profile.DisplayName, u.FullName(), u.Name} {
		if s != "" {
			return s
		}
	}
	return u.ID
}

// File is a file shared in the channel: Slack's metadata, and its bytes when
// they were downloaded.
type File struct {
	ID                 string `json:"id"`
	Name               string `json:"name,omitempty"`
	Title              string `json:"title,omitempty"`
	Mimetype           string `json:"mimetype,omitempty"`
	Filetype           string `json:"filetype,omitempty"`
	Size               Int    `json:"size,omitempty"`
	Mode               string `json:"mode,omitempty"` // hosted, external, snippet, tombstone …
	IsExternal         bool   `json:"is_external,omitempty"`
	User               string `json:"user,omitempty"`
	Created            Int    `json:"created,omitempty"`
	URLPrivate         string `json:"url_private,omitempty"`
	URLPrivateDownload string `json:"url_private_download,omitempty"`
	Permalink          string `json:"permalink,omitempty"`

	// Content is the file's bytes, when they were fetched or read.
	Content []byte `json:"-"`
}

// Downloadable reports whether Slack hosts the file's bytes.
func (f *File) Downloadable() bool {
	return !f.IsExternal && f.Mode != "external" && f.Mode != "tombstone" && f.Mode != "hidden_by_limit" &&
		(f.URLPrivateDownload != "" || f.URLPrivate != "")
}
