package render

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/wrapup/wrapup/archive"
)

// hostileCorpus is message text written to break a document: HTML,
// scripts, dangerous links, Markdown injection, table-breaking pipes,
// template syntax, mrkdwn edge cases, invisible characters and secrets
// hidden from the redactor (secretCorpus). URLs point at evil.example, so
// that links the text legitimately makes can be told from the document's
// own.
var hostileCorpus = append([]string{
	`<script>document.title='pwned'</script>`,
	`&lt;script&gt;document.title='pwned'&lt;/script&gt;`,
	`<img src=x onerror="document.title='pwned'">`,
	`&lt;img src=x onerror=alert(1)&gt;`,
	`<svg onload=alert(1)>`,
	`<iframe src="https://evil.example/"></iframe>`,
	`<a href="javascript:alert(1)">click</a>`,
	`<javascript:alert(1)|click me>`,
	`<JaVaScRiPt:alert(1)>`,
	`<data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==|data>`,
	`<vbscript:msgbox(1)|vb>`,
	`[click](javascript:alert(1))`,
	`[click](https://evil.example/phish)`,
	`![tracker](https://evil.example/pixel.png)`,
	`![x](data:image/png;base64,AAAA)`,
	`[ref]: https://evil.example/ref` + "\n" + `[ref]`,
	`<https://evil.example/a)b|label](javascript:x)>`,
	`| col | col |` + "\n" + `|---|---|` + "\n" + `| a | b |`,
	`a | b | c | d`,
	`\| escaped \| pipes \|`,
	`{{.Title}} {{template "x"}} {{printf "%s" "x"}}`,
	`{{ define "postmortem.md.tmpl" }}owned{{ end }}`,
	"`{{.Incident}}` in code",
	"```" + "\n{{range .}}{{end}}\n```",
	`# Heading injection`,
	"line one\n## second heading\n---\n=====",
	`> quoted <script>x</script>`,
	"- list item\n* star\n+ plus\n1. one",
	`*bold* _italic_ ~strike~ ` + "`code`",
	`**double** __double__ ***triple***`,
	`*unclosed _nested ~mixed`,
	`<!-- comment --> <!DOCTYPE html> <?php echo 1; ?>`,
	`<style>body{display:none}</style>`,
	`<link rel=stylesheet href=https://evil.example/x.css>`,
	`<meta http-equiv="refresh" content="0;url=https://evil.example">`,
	`<base href="https://evil.example/">`,
	`<form action=https://evil.example><input name=x></form>`,
	`<object data=x></object><embed src=x>`,
	`<details open ontoggle=alert(1)>`,
	"\u202eevil\u202c reversed \u2066isolate\u2069",
	"zero\u200bwidth\u200c\u200djoin\ufeffbom",
	"control\x00chars\x07\x1b[31m",
	`&amp;lt;script&amp;gt; double-escaped`,
	`<@U01ALICE|"><script>x</script>>`,
	`<#C0CHATOPS|"><img src=x>>`,
	`<!subteam^S1|<script>>`,
	`<!date^1392734382^{date_num}|<img src=x>>`,
	`<mailto:a@evil.example?subject=<script>|mail>`,
	`<https://evil.example/"onmouseover="alert(1)|quoted>`,
	`<https://evil.example/%22%3E%3Cscript%3E|enc>`,
	`$$\mathrm{math}$$ $x$`,
	`:smile: :<script>: :::`,
	`[REDACTED:fake] \[brackets\]`,
	`http://evil.example/plain www.evil.example a@evil.example`,
	`<https://user:pass@evil.example/x|creds>`,
	"trailing backslash \\",
	`<<<>>> &&& ||| ***`,
	`</td></tr></table><table><tr><td>`,
	`</details></li></ol><script>x</script>`,
	`:rotating_light: Incident declared: *Fake* (SEV1) — commander <@U02BOB>`,
}, secretCorpus...)

// hostileArchive is the chatops fixture plus, for each text, a message, a
// bot status update, an action item and a topic change carrying it, and a
// shared file named with it. text(i) gives the i-th text.
func hostileArchive(t testing.TB, text func(i int) string) *archive.Archive {
	t.Helper()
	arc := readFixture(t, "chatops")
	var flat []*archive.Message
	for m := range arc.All() {
		flat = append(flat, m)
	}
	base := archive.MustTS("1774539000.000000")
	for i := range hostileCorpus {
		ts := func(k int) archive.TS { return base + archive.TS((i*5+k)*1000) }
		h := text(i)
		flat = append(flat,
			&archive.Message{TS: ts(0), Type: "message", User: "U02BOB", Text: h,
				Files: []*archive.File{{ID: fmt.Sprintf("F%03d", i), Name: h, Filetype: "txt", Size: 10}}},
			&archive.Message{TS: ts(1), Type: "message", User: "UBOTOPS", BotID: "B0OPS",
				Text: ":large_blue_circle: Status: *identified* — " + h},
			&archive.Message{TS: ts(2), Type: "message", User: "U03CAROL", Text: "AI: " + h},
			&archive.Message{TS: ts(3), Type: "message", Subtype: "channel_topic", User: "U01ALICE",
				Text: "<@U01ALICE|alice> set the channel topic: " + h},
		)
	}
	arc.Messages, _ = archive.Thread(flat)
	return arc
}

func benign(i int) string  { return fmt.Sprintf("benign text number %d", i) }
func hostile(i int) string { return hostileCorpus[i] }

// TestHostileCorpus renders the corpus and a benign control of the same
// shape, and checks that the documents' structure is the same.
func TestHostileCorpus(t *testing.T) {
	if len(hostileCorpus) < 50 {
		t.Fatalf("the corpus has %d texts, want at least 50", len(hostileCorpus))
	}
	render := func(text func(int) string) *Output {
		arc := hostileArchive(t, text)
		out, err := renderWhole(arc, buildTimeline(t, arc, "chatops"), testOptions(t))
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	bad, good := render(hostile), render(benign)
	badMD, goodMD := string(file(t, bad, MarkdownFile)), string(file(t, good, MarkdownFile))
	badHTML, goodHTML := string(file(t, bad, HTMLFile)), string(file(t, good, HTMLFile))

	t.Run("markdown structure", func(t *testing.T) {
		for name, count := range map[string]func(string) int{
			"headings":   func(s string) int { return countLines(s, "#") },
			"table rows": func(s string) int { return countLines(s, "|") },
			"links":      func(s string) int { return len(mdLink.FindAllString(s, -1)) - len(mdEvilLink.FindAllString(s, -1)) },
			"fences":     func(s string) int { return countLines(s, "```") },
		} {
			if b, g := count(badMD), count(goodMD); b != g {
				t.Errorf("%s: %d with the corpus, %d without", name, b, g)
			}
		}
		if err := checkTableCells(badMD); err != nil {
			t.Error(err)
		}
		for _, bad := range []string{"{{", "](javascript", "](data:", "](vbscript"} {
			if strings.Contains(strings.ToLower(badMD), bad) {
				t.Errorf("the Markdown holds %q", bad)
			}
		}
		if m := mdRawHTML.FindString(badMD); m != "" {
			t.Errorf("the Markdown holds unescaped HTML: %q", m)
		}
		if m := mdImage.FindString(badMD); m != "" {
			t.Errorf("the Markdown holds an image: %q", m)
		}
	})
	t.Run("html structure", func(t *testing.T) {
		bt, gt := tagCounts(badHTML), tagCounts(goodHTML)
		for _, tag := range structuralTags {
			if bt[tag] != gt[tag] {
				t.Errorf("<%s>: %d with the corpus, %d without", tag, bt[tag], gt[tag])
			}
		}
		if b, g := countOwnLinks(badHTML), countOwnLinks(goodHTML); b != g {
			t.Errorf("links: %d with the corpus, %d without", b, g)
		}
		if err := checkHTMLSafe(badHTML); err != nil {
			t.Error(err)
		}
	})
}

var (
	mdLink     = regexp.MustCompile(`[^\\]\]\(`)
	mdEvilLink = regexp.MustCompile(`[^\\]\]\([^)\s]*evil\.example`)
	mdRawHTML  = regexp.MustCompile(`(^|[^\\])<(?:[A-Za-z][A-Za-z0-9-]*[\s/>]|[!/?])`) // a tag, not an <https://…> autolink
	mdImage    = regexp.MustCompile(`(^|[^\\])!\[`)
	tagRE      = regexp.MustCompile(`(?i)<([a-z][a-z0-9]*)\b[^>]*>`)
	urlAttr    = regexp.MustCompile(`(?i)\s(href|src|srcset|action|formaction|xlink:href|data|poster|background)\s*=\s*("[^"]*"|'[^']*'|[^\s>]*)`)
	eventAttr  = regexp.MustCompile(`(?i)\son[a-z]+\s*=`)
	unsafeTags = []string{"script", "img", "iframe", "object", "embed", "form", "input", "link", "base", "button", "frame", "audio", "video", "image", "foreignobject"}
)

// structuralTags are the elements only the templates may create; the
// corpus may add emphasis, code and paragraphs, which are text.
var structuralTags = []string{"h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td",
	"ul", "ol", "li", "details", "summary", "section", "main", "svg", "rect", "line", "text", "figure", "style", "meta",
	"script", "img", "iframe", "object", "embed", "form", "input", "link", "base", "button"}

func countLines(s, prefix string) int {
	n := 0
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(l, prefix) {
			n++
		}
	}
	return n
}

// tagCounts counts the HTML's elements by lower-case tag name.
func tagCounts(html string) map[string]int {
	n := map[string]int{}
	for _, m := range tagRE.FindAllStringSubmatch(html, -1) {
		n[strings.ToLower(m[1])]++
	}
	return n
}

// countOwnLinks counts <a> elements but those the messages made to evil.example.
func countOwnLinks(html string) int {
	n := 0
	for _, m := range anchorRE.FindAllStringSubmatch(html, -1) {
		if !strings.Contains(m[1], "evil.example") {
			n++
		}
	}
	return n
}

var anchorRE = regexp.MustCompile(`<a href="([^"]*)"`)

// checkTableCells checks that every row of each Markdown table has as many
// cells as its header: no pipe in a message split a cell.
func checkTableCells(md string) error {
	want := -1
	border := regexp.MustCompile(`(^|[^\\])\|`)
	for i, l := range strings.Split(md, "\n") {
		if !strings.HasPrefix(l, "|") {
			want = -1
			continue
		}
		n := len(border.FindAllString(l, -1))
		if want < 0 {
			want = n
		} else if n != want {
			return fmt.Errorf("markdown line %d has %d cell borders, its table %d: %s", i+1, n, want, l)
		}
	}
	return nil
}

// checkHTMLSafe checks the HTML for elements and attributes that could run
// code or load anything: scripts, images, frames, event handlers, and URLs
// that are neither http(s)/mailto links nor the folder's own files.
func checkHTMLSafe(html string) error {
	for _, m := range tagRE.FindAllStringSubmatch(html, -1) {
		tag := m[0]
		for _, bad := range unsafeTags {
			if strings.EqualFold(m[1], bad) {
				return fmt.Errorf("the HTML has a <%s> element: %.200s", bad, tag)
			}
		}
		if eventAttr.MatchString(tag) {
			return fmt.Errorf("the HTML has an event handler attribute: %.200s", tag)
		}
		for _, a := range urlAttr.FindAllStringSubmatch(tag, -1) {
			attr, u := strings.ToLower(a[1]), strings.ToLower(strings.Trim(a[2], `"'`))
			if attr != "href" || !strings.EqualFold(m[1], "a") {
				return fmt.Errorf("the HTML has a %s attribute on <%s>: %.200s", attr, m[1], tag)
			}
			switch {
			case strings.HasPrefix(u, "https://"), strings.HasPrefix(u, "http://"), strings.HasPrefix(u, "mailto:"),
				strings.HasPrefix(u, "#"), u == "archive/", u == "transcript.html", u == "postmortem.html":
			default:
				return fmt.Errorf("the HTML links to %q", a[2])
			}
		}
	}
	if !strings.Contains(html, `content="default-src 'none'; style-src 'unsafe-inline'; img-src data:`) {
		return fmt.Errorf("the HTML lacks the Content-Security-Policy")
	}
	return nil
}
