package mrkdwn

import (
	"strings"
	"testing"
)

// hostile is text an attacker, or an unlucky paste, could put in a Slack
// message. Slack sends a typed "<" as "&lt;", so raw "<" below stands for
// API-posted text and for Slack's own tokens.
var hostile = []string{
	"<script>alert(1)</script>",
	"&lt;script&gt;alert(1)&lt;/script&gt;",
	"&amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt;",
	"&lt;img src=x onerror=alert(1)&gt;",
	"<img src=x onerror=alert(1)>",
	"&lt;a href=\"javascript:alert(1)\"&gt;x&lt;/a&gt;",
	"&lt;iframe src=//evil&gt;",
	"&lt;!-- hidden --&gt; visible",
	"<!-- hidden --> visible",
	"&#x3C;script&#x3E;alert(1)&#x3C;/script&#x3E;",
	"&#60;script&#62; &lt &gt &quot;x&quot; &#106;avascript:",
	"<javascript:alert(1)|click>",
	"<javascript:alert(1)>",
	"<JaVaScRiPt:alert(1)|click>",
	"<data:text/html;base64,PHNjcmlwdD4=|data>",
	"<vbscript:msgbox(1)|vb>",
	"<file:///etc/passwd|file>",
	"< javascript:alert(1)|space>",
	"<java&amp;#x73;cript:alert(1)|entity>",
	"<https://ok.example/a)b(c d<e>f|label>",
	"<https://ok.example/|[x](javascript:alert(1))>",
	"<https://ok.example/\u202e|rtl url>",
	"<mailto:a@b.c?subject=&lt;x&gt;|mail>",
	"[x](javascript:alert(1))",
	"[x]: javascript:alert(1)\n[x]",
	"![img](http://evil/x.png)",
	"!<https://evil/x.png|img>",
	"<http://a>",
	"&lt;http://a&gt; &lt;javascript:alert(1)&gt;",
	"ftp://evil.example/x xmpp:a@b.c javascript:alert(1)",
	"see https://example.com/a_b_(c)_d, then www.example.com",
	"https://example.com/?a=1&amp;b=&amp;lt;2",
	"a | b | c\n--- | --- | ---\n1 | 2 | 3",
	"| a |\n|---|",
	"header\n:-\nx\n-:\ny\n:---:",
	"{{ .Secret }} {{define \"x\"}}{{end}} {{- /* c */ -}}",
	"`{{ .Secret }}` and ```{{{x}}}```",
	"{\u200b{ .Secret }}",
	"`a``b` ``c`` ```d``` ````e````",
	"```unterminated fence\nstill text",
	"```\ncode ``` with ```` runs\n```",
	"```a``b```c`",
	"# heading\n## two\n###### six",
	"---\n***\n___\n- - -",
	"title\n===\nsub\n---",
	"- item\n+ item\n* item\n1. one\n2) two",
	"    indented code\n\tTabbed",
	"&gt; quote\n&gt;&gt; nested\n&gt;&gt;&gt; rest",
	"&gt;&gt;&gt;\n# in quote\n```x```",
	"text\n&gt; quote\nlazy continuation?",
	"\u202eevil\u202c \u2066isolate\u2069 \u200fmark",
	"zero\u200bwidth\u200cjoin\u200djoiner\ufeffbom\u2060wj",
	"a\x00b\x07c\x1bd\x7fe\u0085f",
	"\xff\xfe invalid utf8 \xc3",
	"line\r\nbreak\rcr",
	"$x^2$ and $$\\sum$$",
	"trailing backslash \\\nnext",
	"\\*not bold\\* \\_ \\` \\\\",
	"*bold with `code` and <https://x.example|link>*",
	"*unclosed _mixed ~markers",
	"**double** __double__ ~~double~~",
	"*_~all~_*",
	"<@U1|**bold**> <#C1|<b>> <!subteam^S1|@{{x}}>",
	"<!date^notanumber^{date}> <!date^99999999999999^{date}>",
	"<>, <@>, <#>, <!>, <|>, <<>>",
	"<https://example.com|>",
	"[!NOTE]\n> [!WARNING]",
	"[^1]\n[^1]: footnote",
	"- [ ] task\n- [x] done",
	"Term\n: definition",
	"<div>\n*bold*\n</div>",
	"\\<script\\> &amp;amp; &amp;#60;",
	"@everyone #123 :smile:",
	"*" + strings.Repeat("a", 10) + "*" + strings.Repeat("_", 20),
}

// resolver is a hostile resolver: its names are untrusted too.
var hostileResolver = MapResolver{
	Users:      map[string]string{"U1": "<img src=x>", "U2": "alice\n# heading"},
	Channels:   map[string]string{"C1": "ops|{{x}}"},
	Usergroups: map[string]string{"S1": "@[x](javascript:1)"},
}

func TestHostileMarkdownStaysText(t *testing.T) {
	if len(hostile) < 50 {
		t.Fatalf("hostile corpus has %d inputs, want at least 50", len(hostile))
	}
	for _, in := range hostile {
		for _, r := range []Resolver{nil, hostileResolver} {
			md := ToMarkdown(in, r)
			if p := markdownProblem(md, false); p != "" {
				t.Errorf("ToMarkdown(%q) = %q: %s", in, md, p)
			}
			il := ToInline(in, r)
			if p := markdownProblem(il, true); p != "" {
				t.Errorf("ToInline(%q) = %q: %s", in, il, p)
			}
		}
	}
}

// TestCheckerCatches makes sure the checker is not vacuous: each of these
// is a way the output could go wrong.
func TestCheckerCatches(t *testing.T) {
	bad := map[string]string{
		"html":             "<script>",
		"javascript link":  "[x](javascript:alert(1))",
		"javascript auto":  "<javascript:alert(1)>",
		"image":            "![x](https://evil/x.png)",
		"pipe":             "a | b",
		"template":         `\{{x}}`,
		"entity":           "&#60;",
		"heading":          "# x",
		"list":             "- x",
		"ordered":          "1. x",
		"setext":           "x\n===",
		"indented":         "    code",
		"linkify ftp":      "ftp://evil",
		"bidi":             "\u202e",
		"zero width":       "a\u200bb",
		"unmatched tick":   "`x",
		"code pipe inline": "`a|b`",
		"unclosed fence":   "```\nx",
		"fence info":       "```mermaid\nx\n```",
		"thematic":         "***",
		"spaced thematic":  "- - -",
		"underscores":      "___",
		"math":             "$x$",
	}
	for name, out := range bad {
		t.Run(name, func(t *testing.T) {
			if markdownProblem(out, true) == "" {
				t.Errorf("markdownProblem(%q) found nothing", out)
			}
		})
	}
}
