package archive

import (
	"encoding/json"
	"strings"
)

// Message is one Slack message, as conversations.history, conversations.replies
// and export day files carry it. The typed fields are what wrapup reads; Raw is
// the JSON the source sent, which is what gets written back, so that no field
// Slack sent is lost (slack-go's Msg drops unknown fields and has no
// user_profile).
type Message struct {
	TS      TS     `json:"ts"`
	Type    string `json:"type,omitempty"`
	Subtype string `json:"subtype,omitempty"`
	User    string `json:"user,omitempty"`
	Text    string `json:"text,omitempty"`

	// Bot identity: bot_message posts carry BotID and Username; modern app
	// posts carry BotID and BotProfile and no subtype.
	BotID      string      `json:"bot_id,omitempty"`
	Username   string      `json:"username,omitempty"`
	BotProfile *BotProfile `json:"bot_profile,omitempty"`
	AppID      string      `json:"app_id,omitempty"`

	Blocks      json.RawMessage `json:"blocks,omitempty"`
	Attachments []Attachment    `json:"attachments,omitempty"`
	Files       []*File         `json:"files,omitempty"`
	Reactions   []Reaction      `json:"reactions,omitempty"`
	Edited      *Edited         `json:"edited,omitempty"`
	Metadata    *Metadata       `json:"metadata,omitempty"`

	ThreadTS     TS     `json:"thread_ts,omitempty"`
	ParentUserID string `json:"parent_user_id,omitempty"`
	ReplyCount   Int    `json:"reply_count,omitempty"`
	LatestReply  TS     `json:"latest_reply,omitempty"`

	// Replies holds a thread's replies in ts order, grouped under their
	// parent by Thread whether or not the parent lists them.
	Replies []*Message `json:"-"`

	// Missing marks a thread parent the source did not have: it exists only
	// to hold orphaned replies and is never written.
	Missing bool `json:"-"`

	// Raw is the message's JSON as the source sent it. Nil for messages built
	// in code; MarshalJSON then encodes the typed fields.
	Raw json.RawMessage `json:"-"`
}

// BotProfile is the bot_profile object of an app's message.
type BotProfile struct {
	ID    string `json:"id,omitempty"`
	Name  string `json:"name,omitempty"`
	AppID string `json:"app_id,omitempty"`
}

// Attachment holds the text-bearing fields of a legacy message attachment.
type Attachment struct {
	Fallback  string            `json:"fallback,omitempty"`
	Pretext   string            `json:"pretext,omitempty"`
	Title     string            `json:"title,omitempty"`
	TitleLink string            `json:"title_link,omitempty"`
	Text      string            `json:"text,omitempty"`
	Fields    []AttachmentField `json:"fields,omitempty"`
}

// AttachmentField is one title/value pair of an attachment.
type AttachmentField struct {
	Title string `json:"title,omitempty"`
	Value string `json:"value,omitempty"`
}

// Reaction is an emoji reaction and who left it.
type Reaction struct {
	Name  string   `json:"name"`
	Users []string `json:"users,omitempty"`
	Count Int      `json:"count,omitempty"`
}

// Edited says who last edited a message, and when.
type Edited struct {
	User string `json:"user,omitempty"`
	TS   TS     `json:"ts"`
}

// Metadata is Slack message metadata, which wrapup uses for its ledger message.
type Metadata struct {
	EventType    string          `json:"event_type"`
	EventPayload json.RawMessage `json:"event_payload,omitempty"`
}

// messageFields has Message's JSON fields without its methods.
type messageFields Message

// messageWire decodes a message with Blocks aliasing the input, which is
// safe because every decode path hands it a buffer that stays unchanged.
type messageWire struct {
	*messageFields
	Blocks aliasJSON `json:"blocks,omitempty"`
}

// aliasJSON is a json.RawMessage that keeps a slice of the decoder's input
// instead of copying it.
type aliasJSON []byte

func (a *aliasJSON) UnmarshalJSON(b []byte) error {
	*a = b[:len(b):len(b)]
	return nil
}

func (m *Message) decodeAliasing(b []byte) error {
	if err := decodeMessage(b, m); err != nil {
		return err
	}
	m.Raw = json.RawMessage(b[:len(b):len(b)])
	return nil
}

// UnmarshalJSON decodes the typed fields and keeps a copy of b as Raw.
func (m *Message) UnmarshalJSON(b []byte) error {
	return m.decodeAliasing(append([]byte(nil), b...))
}

// DecodeMessage decodes one message whose Raw, and the strings decoded from
// it, alias b instead of copying it: b must not change afterwards. Readers
// that own their buffer use it to keep one copy of a channel's JSON in
// memory, not two.
func DecodeMessage(b []byte) (*Message, error) {
	m := new(Message)
	if err := m.decodeAliasing(b); err != nil {
		return nil, err
	}
	return m, nil
}

// MarshalJSON returns Raw when set, else the typed fields.
func (m *Message) MarshalJSON() ([]byte, error) {
	if m.Raw != nil {
		return m.Raw, nil
	}
	return json.Marshal((*messageFields)(m))
}

// IsReply reports whether m belongs to another message's thread.
func (m *Message) IsReply() bool { return m.ThreadTS != 0 && m.ThreadTS != m.TS }

// IsBroadcast reports whether m is a thread reply also sent to the channel.
func (m *Message) IsBroadcast() bool { return m.Subtype == "thread_broadcast" }

// HasThread reports whether Slack says m has replies, whether or not they
// were fetched. Slack writes latest_reply "0000000000.000000" for none.
func (m *Message) HasThread() bool {
	return !m.IsReply() && (m.ReplyCount > 0 || m.LatestReply != 0)
}

// IsBot reports whether the message itself says a bot posted it. A poster
// whose user record is a bot is known only to the Archive.
func (m *Message) IsBot() bool { return m.BotID != "" || m.Subtype == "bot_message" }

// BotName is the bot's display name: bot_profile's name, else the username.
func (m *Message) BotName() string {
	if m.BotProfile != nil && m.BotProfile.Name != "" {
		return m.BotProfile.Name
	}
	return m.Username
}

// IsJoinLeave reports whether m is a join or leave notice, which metrics skip.
func (m *Message) IsJoinLeave() bool {
	switch m.Subtype {
	case "channel_join", "channel_leave", "group_join", "group_leave":
		return true
	}
	return false
}

// HasReaction reports whether anyone reacted to m with the emoji name.
func (m *Message) HasReaction(name string) bool {
	for _, r := range m.Reactions {
		if r.Name == name {
			return true
		}
	}
	return false
}

// ContentText is the text a reader sees: Text, or, when a message has none,
// the text of its blocks and attachments joined by newlines.
func (m *Message) ContentText() string {
	if m.Text != "" {
		return m.Text
	}
	var parts []string
	if len(m.Blocks) > 0 {
		if t := BlocksText(m.Blocks); t != "" {
			parts = append(parts, t)
		}
	}
	for _, a := range m.Attachments {
		if t := a.text(); t != "" {
			parts = append(parts, t)
		}
	}
	return strings.Join(parts, "\n")
}

func (a Attachment) text() string {
	var parts []string
	for _, s := range []string{a.Pretext, a.Title, a.Text} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	for _, f := range a.Fields {
		switch {
		case f.Title != "" && f.Value != "":
			parts = append(parts, f.Title+": "+f.Value)
		case f.Value != "":
			parts = append(parts, f.Value)
		}
	}
	if len(parts) == 0 && a.Fallback != "" {
		return a.Fallback
	}
	return strings.Join(parts, "\n")
}
