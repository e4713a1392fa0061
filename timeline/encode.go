package timeline

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"time"
)

// lower is strings.ToLower, named for the map lookups that use it.
func lower(s string) string { return strings.ToLower(s) }

// timelineFields has Timeline's JSON fields without its methods.
type timelineFields Timeline

// MarshalJSON writes the timeline.json document: the same timeline always
// gives the same bytes (struct fields in a fixed order, map keys sorted,
// times in UTC), and <, > and & are written as themselves.
func (tl *Timeline) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	c := *tl
	c.Schema = Schema
	c.Incident.DeclaredAt = utc(c.Incident.DeclaredAt)
	c.Incident.MitigatedAt = utc(c.Incident.MitigatedAt)
	c.Incident.ResolvedAt = utc(c.Incident.ResolvedAt)
	if err := enc.Encode((*timelineFields)(&c)); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

// Encode writes tl as indented timeline.json, ending in a newline.
func Encode(w io.Writer, tl *Timeline) error {
	b, err := tl.MarshalJSON()
	if err != nil {
		return err
	}
	var out bytes.Buffer
	if err := json.Indent(&out, b, "", "  "); err != nil {
		return err
	}
	out.WriteByte('\n')
	_, err = w.Write(out.Bytes())
	return err
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
