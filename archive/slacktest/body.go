package slacktest

import "strings"

// messagesBody starts a response body with ok and the messages array,
// leaving the object open for the caller's other fields.
func (q *request) messagesBody(page []*message, withMeta bool) []byte {
	n := 64
	for _, m := range page {
		n += len(m.json(withMeta)) + 1
	}
	b := make([]byte, 0, n+len(q.base)*4+128)
	b = append(b, `{"ok":true,"messages":[`...)
	for i, m := range page {
		if i > 0 {
			b = append(b, ',')
		}
		b = q.appendMessage(b, m, withMeta)
	}
	return append(b, ']')
}

// appendMessage appends m's JSON with the emulator's URL in its files.
func (q *request) appendMessage(b []byte, m *message, withMeta bool) []byte {
	j := m.json(withMeta)
	if !m.hasFiles {
		return append(b, j...)
	}
	return append(b, replaceBase(j, q.base)...)
}

func replaceBase(j []byte, base string) []byte {
	return []byte(strings.ReplaceAll(string(j), string(baseMarkerJSON), base))
}
