package render

import (
	"bytes"
	"testing"
)

// TestGolden renders each fixture channel (a chatops bot, Dispatch, and a
// channel with no bot) and compares the Markdown and HTML with golden files.
func TestGolden(t *testing.T) {
	for _, fx := range fixtures {
		t.Run(fx.name, func(t *testing.T) {
			out := renderFixture(t, fx.name, fx.preset, testOptions(t))
			checkGolden(t, fx.name+".md", file(t, out, MarkdownFile))
			checkGolden(t, fx.name+".html", file(t, out, HTMLFile))

			// Same input, same bytes.
			again := renderFixture(t, fx.name, fx.preset, testOptions(t))
			for i, f := range out.Files {
				if !bytes.Equal(f.Data, again.Files[i].Data) {
					t.Errorf("%s: two renders of the same input differ", f.Name)
				}
			}
		})
	}
}
