package render

import (
	"regexp"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	gmhtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// tableLabels marks up the document's tables for a narrow screen, where
// the style sheet lays a table of three columns or more out as a card per
// row: each body cell carries its column's header as data-label, which
// the card shows beside the value, and a cell holding a date and time is
// of class "when", which never wraps. The transformer marks the table;
// cellRenderer writes the cells' attributes as it renders them: as node
// attributes they took goldmark's 400-byte attribute list per cell, 20 MB
// for the 11,000 rows of a 100,000-message channel's postmortem.
type tableLabels struct{}

func (tableLabels) Transform(doc *ast.Document, _ text.Reader, _ parser.Context) {
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		t, ok := n.(*east.Table)
		if !entering || !ok {
			return ast.WalkContinue, nil
		}
		if h := t.FirstChild(); h != nil && h.Kind() == east.KindTableHeader && h.ChildCount() >= 3 {
			t.SetAttributeString("class", []byte("cards"))
		}
		return ast.WalkSkipChildren, nil
	})
}

// cellRenderer renders table cells as goldmark's table extension does,
// with a body cell's data-label (its column's header text, escaped as an
// attribute value) and class "when" written first.
type cellRenderer struct {
	header ast.Node // the header whose labels are cached
	labels []string
}

func (r *cellRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(east.KindTableCell, r.render)
}

func (r *cellRenderer) render(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*east.TableCell)
	tag := "td"
	if n.Parent().Kind() == east.KindTableHeader {
		tag = "th"
	}
	if !entering {
		_, _ = w.WriteString("</" + tag + ">\n")
		return ast.WalkContinue, nil
	}
	_, _ = w.WriteString("<" + tag)
	if tag == "td" {
		i := 0
		for c := n.PreviousSibling(); c != nil; c = c.PreviousSibling() {
			i++
		}
		if labels := r.labelsOf(n.Parent().Parent(), src); i < len(labels) && labels[i] != "" {
			_, _ = w.WriteString(` data-label="`)
			_, _ = w.Write(util.EscapeHTML([]byte(labels[i])))
			_ = w.WriteByte('"')
		}
		if startsWithTime.MatchString(plainOf(n, src)) {
			_, _ = w.WriteString(` class="when"`)
		}
	}
	if n.Alignment != east.AlignNone {
		_, _ = w.WriteString(` style="text-align:` + n.Alignment.String() + `"`)
	}
	if n.Attributes() != nil {
		filter := extension.TableTdCellAttributeFilter
		if tag == "th" {
			filter = extension.TableThCellAttributeFilter
		}
		gmhtml.RenderAttributes(w, n, filter)
	}
	_ = w.WriteByte('>')
	return ast.WalkContinue, nil
}

// labelsOf is the header text of each column of table, the last table's
// kept.
func (r *cellRenderer) labelsOf(table ast.Node, src []byte) []string {
	h := table.FirstChild()
	if h == nil || h.Kind() != east.KindTableHeader {
		return nil
	}
	if h != r.header {
		r.header, r.labels = h, r.labels[:0]
		for c := h.FirstChild(); c != nil; c = c.NextSibling() {
			r.labels = append(r.labels, plainOf(c, src))
		}
	}
	return r.labels
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
