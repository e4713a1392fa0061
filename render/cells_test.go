package render

import (
	"bytes"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// attrLabels is how tableLabels marked cells before cellRenderer: as
// node attributes, which goldmark's table renderer writes.
type attrLabels struct{}

func (attrLabels) Transform(doc *ast.Document, reader text.Reader, _ parser.Context) {
	src := reader.Source()
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		t, ok := n.(*east.Table)
		if !entering || !ok {
			return ast.WalkContinue, nil
		}
		var labels []string
		for c := t.FirstChild(); c != nil; c = c.NextSibling() {
			if c.Kind() == east.KindTableHeader {
				for h := c.FirstChild(); h != nil; h = h.NextSibling() {
					labels = append(labels, plainOf(h, src))
				}
				continue
			}
			i := 0
			for cell := c.FirstChild(); cell != nil; cell = cell.NextSibling() {
				if i < len(labels) && labels[i] != "" {
					cell.SetAttributeString("data-label", []byte(labels[i]))
				}
				if startsWithTime.MatchString(plainOf(cell, src)) {
					cell.SetAttributeString("class", []byte("when"))
				}
				i++
			}
		}
		if len(labels) >= 3 {
			t.SetAttributeString("class", []byte("cards"))
		}
		return ast.WalkSkipChildren, nil
	})
}

// TestCellRendererMatchesAttributes: cells rendered by cellRenderer are
// byte for byte what goldmark's table renderer wrote from node attributes:
// labels escaped, empty headers, times, alignments, narrow tables, two
// tables in a row.
func TestCellRendererMatchesAttributes(t *testing.T) {
	md := []byte("| When | Who & \"why\" | | n |\n|---|:---:|---|---:|\n" +
		"| 2026-03-26 14:02 UTC | **ann** \"x\" | `code` | 3 |\n| later | [b](https://x.example/) | | 2026-03-26 14:03 |\n\n" +
		"| A | B |\n|---|---|\n| 2026-01-01 00:00 | b |\n\n" +
		"| X | Y | Z |\n|:--|--|--:|\n| 1 | 2 |\n")
	old := goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.Linkify),
		goldmark.WithParserOptions(parser.WithAutoHeadingID(),
			parser.WithASTTransformers(util.Prioritized(attrLabels{}, 100))))
	var want, got bytes.Buffer
	if err := old.Convert(md, &want); err != nil {
		t.Fatal(err)
	}
	if err := newGoldmark(nil).Convert(md, &got); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(want.Bytes(), []byte(`data-label="Who &amp; &quot;why&quot;"`)) ||
		!bytes.Contains(want.Bytes(), []byte(`class="when" style="text-align:right"`)) {
		t.Fatalf("the reference lacks what the test is about:\n%s", want.Bytes())
	}
	if got.String() != want.String() {
		t.Errorf("got\n%s\nwant\n%s", got.Bytes(), want.Bytes())
	}
}
