package timeline

import (
	"bytes"
	"testing"
)

// TestGolden builds each preset's fixture channel, written in that bot's
// real message format, and compares timeline.json with its golden file.
func TestGolden(t *testing.T) {
	for _, name := range []string{"chatops", "dispatch", "response", "incidentbot"} {
		t.Run(name, func(t *testing.T) {
			arc := loadArchive(t, name)
			rs := compile(t, presetConfig(name))
			got := encode(t, build(t, arc, rs))
			checkGolden(t, name, got)

			// The same input gives the same bytes, from a fresh build.
			again := encode(t, build(t, loadArchive(t, name), rs))
			if !bytes.Equal(got, again) {
				t.Error("two builds of the same archive gave different bytes")
			}
		})
	}
}
