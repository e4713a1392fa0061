package archive

import (
	"encoding/json"
	"strings"
)

// blockNode covers the text-bearing parts of Block Kit: section, header and
// context blocks with text objects, and rich_text blocks with their nested
// sections, lists, quotes and preformatted runs.
type blockNode struct {
	Type      string      `json:"type"`
	Text      any         `json:"text"` // a text object in blocks, a string in rich text
	Fields    []blockNode `json:"fields"`
	Elements  []blockNode `json:"elements"`
	URL       string      `json:"url"`
	UserID    string      `json:"user_id"`
	ChannelID string      `json:"channel_id"`
	Name      string      `json:"name"`
	Range     string      `json:"range"`
}

// BlocksText returns the text of a message's blocks in mrkdwn form, one line
// per block: mentions stay as <@U…> tokens and links as <url|label>, so that
// timeline rules see the same text whether a bot used text or blocks.
// Unreadable blocks give "".
func BlocksText(raw json.RawMessage) string {
	var blocks []blockNode
	if err := json.Unmarshal(raw, &blocks); err != nil {
		return ""
	}
	var lines []string
	for _, b := range blocks {
		var sb strings.Builder
		writeBlock(&sb, b)
		if s := strings.TrimSpace(sb.String()); s != "" {
			lines = append(lines, s)
		}
	}
	return strings.Join(lines, "\n")
}

func writeBlock(sb *strings.Builder, b blockNode) {
	switch b.Type {
	case "section", "header":
		writeTextObject(sb, b.Text)
		for _, f := range b.Fields {
			if sb.Len() > 0 {
				sb.WriteByte('\n')
			}
			writeTextObject(sb, f.Text)
			if f.Type != "" && f.Text == nil {
				writeElement(sb, f)
			}
		}
	case "context":
		for i, e := range b.Elements {
			if e.Type == "image" {
				continue
			}
			if i > 0 && sb.Len() > 0 {
				sb.WriteByte(' ')
			}
			writeElement(sb, e)
		}
	case "rich_text":
		for _, e := range b.Elements {
			writeElement(sb, e)
		}
	}
}

// writeTextObject writes a {type, text} object, or a bare string.
func writeTextObject(sb *strings.Builder, v any) {
	switch t := v.(type) {
	case string:
		sb.WriteString(t)
	case map[string]any:
		if s, ok := t["text"].(string); ok {
			sb.WriteString(s)
		}
	}
}

func writeElement(sb *strings.Builder, e blockNode) {
	switch e.Type {
	case "rich_text_section", "rich_text_quote", "rich_text_preformatted":
		for _, c := range e.Elements {
			writeElement(sb, c)
		}
		sb.WriteByte('\n')
	case "rich_text_list":
		for _, c := range e.Elements {
			sb.WriteString("• ")
			writeElement(sb, c)
		}
	case "user":
		sb.WriteString("<@" + e.UserID + ">")
	case "channel":
		sb.WriteString("<#" + e.ChannelID + ">")
	case "usergroup":
		sb.WriteString("<!subteam^" + e.UserID + ">")
	case "broadcast":
		sb.WriteString("<!" + e.Range + ">")
	case "emoji":
		sb.WriteString(":" + e.Name + ":")
	case "link":
		label, _ := e.Text.(string)
		if label == "" {
			sb.WriteString("<" + e.URL + ">")
		} else {
			sb.WriteString("<" + e.URL + "|" + label + ">")
		}
	default: // text, mrkdwn, plain_text
		writeTextObject(sb, e.Text)
	}
}
