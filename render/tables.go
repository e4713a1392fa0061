package render

import (
	"regexp"
	"strings"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// tableLabels marks up the document's tables for a narrow screen, where
// the style sheet lays a table of three columns or more out as a card per
// row: each body cell carries its column's header as data-label, which
// the card shows beside the value, and a cell holding a date and time is
// of class "when", which never wraps. The header text is set as an
// attribute value, which goldmark escapes.
type tableLabels struct{}

func (tableLabels) Transform(doc *ast.Document, reader text.Reader, _ parser.Context) {
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

// startsWithTime is how every time in the document starts: "2026-03-26 14:02".
var startsWithTime = regexp.MustCompile(`^\d{4}-\d\d-\d\d \d\d:\d\d`)

// plainOf is the text of a node without its markup.
func plainOf(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch t := c.(type) {
		case *ast.Text:
			b.Write(t.Segment.Value(src))
			if t.SoftLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(t.Value)
		}
		return ast.WalkContinue, nil
	})
	return strings.TrimSpace(b.String())
}
