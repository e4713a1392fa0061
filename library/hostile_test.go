package library_test

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/wrapup/wrapup/library"
	"github.com/wrapup/wrapup/timeline"
	"github.com/yuin/goldmark"
	gast "github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
)

// hostile are titles, severities and handles as a channel could set them:
// each tries to end a table cell, start a block, inject HTML or a link, or
// run a template action.
var hostile = []string{
	"a | b || c",
	"line one\nline two\r\n| x | y |",
	"<script>alert(1)</script>",
	"</td></tr></table><img src=x onerror=alert(1)>",
	"[click](javascript:alert(1)) ![img](https://evil.example/x.png)",
	"{{.Dir}} {{template \"x\"}}",
	"**bold** `code | pipe` ~~gone~~",
	"# heading",
	"- list item",
	"\u202eevil\u202c reversed",
	"<!-- comment",
	"https://evil.example/auto-link",
	"\\| escaped pipe \\",
}

func hostileLibrary(t *testing.T) (*library.Index, *library.Documents) {
	t.Helper()
	specs := generate(len(hostile), 3, genStart, 9)
	for i := range specs {
		specs[i].title = hostile[i]
		specs[i].severity = hostile[(i+3)%len(hostile)]
		specs[i].peak = specs[i].severity
		for j := range specs[i].items {
			specs[i].items[j].summary = hostile[(i+j)%len(hostile)]
			specs[i].items[j].assignee = hostile[(i+j+1)%len(hostile)]
			specs[i].items[j].state = "open"
			specs[i].items[j].ticket = &timeline.Ticket{Tracker: "jira", ID: "OPS-1 | <b>x</b>", URL: "javascript:alert(1)"}
		}
		specs[i].folder = fmt.Sprintf("2025-0%d-01-a|b(c)[d] %d", i%3+1, i)
	}
	dir := t.TempDir()
	write(t, dir, specs)
	idx, err := library.Build(context.Background(), library.Options{Dir: dir, Now: genNow, OverdueAfter: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if len(idx.Incidents) != len(hostile) || len(idx.Overdue) == 0 {
		t.Fatalf("%d incidents, %d overdue items; want %d and some", len(idx.Incidents), len(idx.Overdue), len(hostile))
	}
	docs, err := library.Render(idx, "")
	if err != nil {
		t.Fatal(err)
	}
	return idx, docs
}

// TestHostileMarkdown: every table of index.md has, in every row, as many
// cells as its header (GFM would silently drop or pad cells, so the rows'
// source lines are split too), the incidents table has one row per
// incident whose title cell reads as the title, and the Markdown, rendered,
// carries no HTML, image or script link.
func TestHostileMarkdown(t *testing.T) {
	idx, docs := hostileLibrary(t)
	md := goldmark.New(goldmark.WithExtensions(extension.GFM))
	doc := md.Parser().Parse(text.NewReader(docs.Markdown))
	tables := 0
	err := gast.Walk(doc, func(n gast.Node, entering bool) (gast.WalkStatus, error) {
		tbl, ok := n.(*east.Table)
		if !entering || !ok {
			return gast.WalkContinue, nil
		}
		tables++
		var header int
		rows := 0
		for c := tbl.FirstChild(); c != nil; c = c.NextSibling() {
			switch c.(type) {
			case *east.TableHeader:
				header = c.ChildCount()
			case *east.TableRow:
				rows++
				if c.ChildCount() != header {
					t.Errorf("table %d row %d has %d cells, header %d", tables, rows, c.ChildCount(), header)
				}
			}
		}
		if tables == 1 {
			if rows != len(idx.Incidents) {
				t.Errorf("incidents table has %d rows, want %d", rows, len(idx.Incidents))
			}
			i := 0
			for c := tbl.FirstChild(); c != nil; c = c.NextSibling() {
				if _, ok := c.(*east.TableRow); !ok {
					continue
				}
				// The Incident column holds one link, to the incident's
				// postmortem, whatever its title.
				cell := c.FirstChild().NextSibling()
				link, ok := cell.FirstChild().(*gast.Link)
				wantDest := strings.ReplaceAll(url.PathEscape(idx.Incidents[i].Folder), "%2F", "/") + "/postmortem.md"
				if !ok || cell.ChildCount() != 1 || string(link.Destination) != wantDest {
					t.Errorf("row %d's title cell is not one link to %s (%d children)", i, wantDest, cell.ChildCount())
				}
				i++
			}
		}
		return gast.WalkContinue, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if tables != 5 {
		t.Errorf("index.md has %d tables, want 5 (incidents, months, severities, open by age, overdue)", tables)
	}
	// The source lines of each table: unescaped pipes, outside code, count
	// the header's cells.
	checkPipes(t, docs.Markdown)
	var out bytes.Buffer
	if err := md.Convert(docs.Markdown, &out); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"<script", "<img", "href=\"javascript", "<b>", "<!--", "<h1>heading", "<li>list", "href=\"https://evil.example"} {
		if strings.Contains(out.String(), bad) {
			t.Errorf("index.md renders with %q", bad)
		}
	}
	// Template syntax in a title is text, shown as written.
	if !strings.Contains(out.String(), "{{.Dir}}") {
		t.Error("a title's template syntax does not show as written")
	}
}

// checkPipes splits each table line on pipes not escaped by a backslash.
func checkPipes(t *testing.T, md []byte) {
	t.Helper()
	want := -1
	for n, line := range strings.Split(string(md), "\n") {
		if !strings.HasPrefix(line, "|") {
			want = -1
			continue
		}
		cells := 0
		for i := 0; i < len(line); i++ {
			switch line[i] {
			case '\\':
				i++
			case '|':
				cells++
			}
		}
		if want < 0 {
			want = cells
		} else if cells != want {
			t.Errorf("index.md line %d has %d pipes, its table's header %d: %s", n+1, cells, want, line)
		}
	}
}

// TestHostileHTML: index.html shows the hostile strings as text: no
// element, attribute or link comes from them.
func TestHostileHTML(t *testing.T) {
	idx, docs := hostileLibrary(t)
	h := string(docs.HTML)
	for _, bad := range []string{"<script", "<img", "href=\"javascript", "<b>x", "<!-- comment", "\u202e", "onerror=alert(1)>"} {
		if strings.Contains(h, bad) {
			t.Errorf("index.html contains %q", bad)
		}
	}
	for _, want := range []string{"&lt;script&gt;alert(1)&lt;/script&gt;", "[U&#43;202E]evil", "a | b || c"} {
		if !strings.Contains(h, want) {
			t.Errorf("index.html does not show %q as text", want)
		}
	}
	if got := strings.Count(h, "<tr><td class=\"date\">") - len(idx.Months); got != len(idx.Incidents) {
		t.Errorf("incidents table has %d rows, want %d", got, len(idx.Incidents))
	}
	if strings.Contains(h, "<script") || !strings.Contains(h, "Content-Security-Policy") || !strings.Contains(h, "default-src 'none'") {
		t.Error("index.html lacks its CSP or carries a script")
	}
}
