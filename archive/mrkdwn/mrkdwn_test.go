package mrkdwn

import "testing"

var testResolver = MapResolver{
	Users:      map[string]string{"U1": "alice", "U2": "bob"},
	Channels:   map[string]string{"C1": "ops"},
	Usergroups: map[string]string{"S1": "@oncall"},
}

type conversion struct {
	name, in, want string
}

var markdownCases = []conversion{
	// Tokens.
	{"user resolved", "ping <@U1>", "ping @alice"},
	{"user unknown", "ping <@U9>", "ping @U9"},
	{"user label", "ping <@U9|carol>", "ping @carol"},
	{"resolver beats label", "ping <@U1|old-name>", "ping @alice"},
	{"channel label", "in <#C9|general>", `in \#general`},
	{"channel resolved", "in <#C1>", `in \#ops`},
	{"channel unknown", "in <#C9>", `in \#C9`},
	{"broadcasts", "<!here> <!channel> <!everyone> <!here|here>", "@here @channel @everyone @here"},
	{"usergroup label", "<!subteam^S9|@team>", "@team"},
	{"usergroup resolved", "<!subteam^S1|@old>", "@oncall"},
	{"usergroup unknown", "<!subteam^S9>", "@S9"},
	{"date fallback", "<!date^1392734382^{date_short} at {time}|Feb 18, 2014 at 6:39 AM>", "Feb 18, 2014 at 6:39 AM"},
	{"date no fallback", "<!date^1392734382^{date_short}>", "2014-02-18T14:39:42Z"},
	{"date bad", "<!date^soon^{date}>", `\<\!date^soon^\{date\}\>`},
	{"unknown special", "<!foo> <!foo|bar>", `\<\!foo\> bar`},
	{"not a token", "<script>", `\<script\>`},
	{"unclosed token", "a <@U1 b", `a \<@U1 b`},

	// Links.
	{"labelled link", "<https://x.y/z|label>", "[label](https://x.y/z)"},
	{"bare link", "<https://x.y>", "<https://x.y>"},
	{"label equals url", "<https://x.y|https://x.y>", "<https://x.y>"},
	{"mailto", "<mailto:a@b.c|a@b.c>", "[a@b.c](mailto:a@b.c)"},
	{"upper-case scheme", "<HTTPS://X.Y|x>", "[x](HTTPS://X.Y)"},
	{"label escaped", "<https://x.y|*[a]* (b)>", `[\*\[a\]\* \(b\)](https://x.y)`},
	{"destination encoded", "<https://x.y/a b(c)&lt;d&gt;|l>", "[l](https://x.y/a%20b%28c%29%3Cd%3E)"},
	{"destination entities once", "<https://x.y/?a=1&amp;b=&amp;lt;|l>", `[l](https://x.y/?a=1\&b=\&lt;)`},
	{"fuzz: autolink of a paren", "<http:(>", "<http:(>"},
	{"autolink keeps parens", "<https://en.wikipedia.org/wiki/Go_(language)>", "<https://en.wikipedia.org/wiki/Go_(language)>"},
	{"bare link with ampersand", "<https://x.y/?a=1&amp;b=2>", `[https\://x.y/?a=1\&b=2](https://x.y/?a=1\&b=2)`},
	{"bare link with control", "<https://x.y/\x00a&amp;b>", `[https\://x.y/a\&b](https://x.y/a\&b)`},
	{"fuzz: NUL in shown address", "<http:00000000\x000&>", `[http:000000000\&](http:000000000\&)`},
	{"destination encoded invisible", "<https://x.y/\u202e\u00a0|l>", "[l](https://x.y/%E2%80%AE%C2%A0)"},
	{"javascript refused", "<javascript:alert(1)|click>", `click \(javascript:alert\(1\)\)`},
	{"data refused", "<data:text/html,x>", "data:text/html,x"},
	{"file refused", "<file:///etc/passwd|f>", `f \(file\:///etc/passwd\)`},
	{"image prefix", "!<https://x.y/a.png|img>", `\![img](https://x.y/a.png)`},
	{"raw url in text", "see https://x.y/a_b.", "see <https://x.y/a_b>."},
	{"raw url balanced parens", "(https://x.y/f(1))", `\(<https://x.y/f(1)>\)`},
	{"raw www", "www.example.com and www.example.com/a_b", "www.example.com and [www.example.com/a\\_b](http://www.example.com/a_b)"},
	{"ftp not linkified", "ftp://x.y/z", `ftp\://x.y/z`},
	{"url inside word", "xhttp://x.y", `xhttp\://x.y`},

	// Formatting.
	{"bold", "*bold*", "**bold**"},
	{"italic", "_italic_", "*italic*"},
	{"strike", "~strike~", "~~strike~~"},
	{"nested", "*_both_*", "**_both_**"},
	{"adjacent spans", "*a*_b_ _c_*d*", "**a**_b_ *c*__d__"},
	{"nested mid", "_a *b* c_", "*a **b** c*"},
	{"snake case", "snake_case_names", `snake\_case\_names`},
	{"arithmetic", "2*3*4", `2\*3\*4`},
	{"spaced markers", "a * b * c", `a \* b \* c`},
	{"inner underscore", "_foo_bar_", `*foo\_bar*`},
	{"punctuation boundary", "(*bold*), *x*!", `\(**bold**\), **x**\!`},
	{"across lines", "*a\nb*", "\\*a\\\nb\\*"},
	{"unclosed", "*a _b", `\*a \_b`},
	{"crossed", "*a _b* c_", `**a \_b** c\_`},
	{"doubled", "**a** ~~b~~", `\*\*a\*\* \~\~b\~\~`},
	{"empty", "** __ ~~", `\*\* \_\_ \~\~`},
	{"fuzz: bold dashes", "*--*", "**--**"},
	{"mention in bold", "*<@U1>*", "**@alice**"},
	{"zero-width no boundary", "*\u200b* *!*\x1e0", `\*\* \*\!\*0`},

	// Code.
	{"code", "`x`", "`x`"},
	{"code no formatting", "`*a* _b_ <x>`", "`*a* _b_ <x>`"},
	{"code entities once", "`&amp;lt; &lt;`", "`&lt; <`"},
	{"code token plain", "`<@U1> <https://x.y|l>`", "`@alice l`"},
	{"code braces", "`{{ .X }}`", "`{\u200b{ .X }}`"},
	{"code spaces kept", "` a `", "`  a  `"},
	{"adjacent code", "`a``b`", "`a` `b`"},
	{"unclosed code", "`a", "\\`a"},
	{"double backtick", "``a``", "\\`\\`a\\`\\`"},
	{"fence", "```\nx := 1\n```", "```\nx := 1\n```"},
	{"fence same line", "```x := 1```", "```\nx := 1\n```"},
	{"fence mid line", "before ```x``` after", "before\n\n```\nx\n```\n\nafter"},
	{"fence literal", "```*a* <https://x.y> &amp;lt;\n# h```", "```\n*a* https://x.y &lt;\n# h\n```"},
	{"fence with backticks", "```a ```` b```", "```\na `\n```\n\nb\\`\\`\\`"},
	{"fence longer run", "```a `` b```", "```\na `` b\n```"},
	{"fence closing run", "```a``````", "````\na```\n````"},
	{"fence unterminated", "```a\nb", "\\`\\`\\`a\\\nb"},
	{"fence empty", "``````", "```\n```"},
	{"fence braces", "```{{x}}```", "```\n{\u200b{x}}\n```"},

	// Quotes and lines.
	{"quote", "&gt; q", "> q"},
	{"quote raw", "> q", "> q"},
	{"quote lines", "&gt; a\n&gt; b", "> a\\\n> b"},
	{"quote then text", "&gt; a\nb", "> a\n\nb"},
	{"text then quote", "a\n&gt; b", "a\n\n> b"},
	{"quote rest", "&gt;&gt;&gt; a\nb\n\nc", "> a\\\n> b\n>\n> c"},
	{"quote rest alone", "x\n&gt;&gt;&gt;\na", "x\n\n> a"},
	{"quoted fence", "&gt; ```x```", "> ```\n> x\n> ```"},
	{"quoted fence lines", "&gt; ```a\n&gt; b\n&gt;c```\nd", "> ```\n> a\n> b\n> c\n> ```\n\nd"},
	{"quote-rest fence lines", "&gt;&gt;&gt; ```a\n&gt; b```", "> ```\n> a\n> > b\n> ```"},
	{"quote marker mid line", "a &gt; b", `a \> b`},
	{"quote empty line", "&gt; a\n&gt;\n&gt; b", "> a\n>\n> b"},
	{"line break", "a\nb", "a\\\nb"},
	{"paragraphs", "a\n\n\nb", "a\n\nb"},
	{"crlf", "a\r\nb", "a\\\nb"},
	{"trailing spaces", "a  \nb", "a\\\nb"},
	{"leading spaces", "    code?", "code?"},
	{"trailing backslash", "a\\\nb", "a\\\\  \nb"},
	{"invisible line", "a\n\u200b\nb", "a\n\nb"},

	// Escaping.
	{"html", "&lt;b&gt;x&lt;/b&gt;", `\<b\>x\</b\>`},
	{"entities once", "&amp;lt;b&amp;gt;", `\&lt;b\&gt;`},
	{"numeric entity", "&#60;b&#x3E;", `\&\#60;b\&\#x3E;`},
	{"markdown link", "[x](javascript:alert(1))", `\[x\]\(javascript:alert\(1\)\)`},
	{"markdown image", "![x](y)", `\!\[x\]\(y\)`},
	{"template", "{{ template \"x\" }}", `\{\{ template "x" \}\}`},
	{"pipes", "a | b", `a \| b`},
	{"math", "$x$", `\$x\$`},
	{"heading", "# x", `\# x`},
	{"list markers", "- a\n+ b\n1. c\n2) d", "\\- a\\\n\\+ b\\\n1\\. c\\\n2\\) d"},
	{"setext", "a\n===\n---", "a\\\n\\===\\\n\\---"},
	{"fuzz: table delimiter row", "0\n:-", "0\\\n\\:-"},
	{"numbers mid line", "v1.2.3 - ok", "v1.2.3 - ok"},
	{"bidi", "a\u202eb", `a\[U+202E\]b`},
	{"zero width", "a\u200bb\ufeffc", "abc"},
	{"emoji joiner kept", "👩\u200d💻", "👩\u200d💻"},
	{"controls", "a\x00b\x1bc", "abc"},
	{"invalid utf8", "a\xffb", "a\ufffdb"},
	// Emoji shortcodes become emoji before escaping; custom ones and those
	// in code stay as typed, as Slack shows them.
	{"emoji at line start", ":bust_in_silhouette: <@U2> is now *comms lead*", "👤 @bob is now **comms lead**"},
	{"emoji aliases", ":+1: :thumbsup: :simple_smile: :thinking_face:", "👍 👍 🙂 🤔"},
	{"emoji skin tone", ":wave::skin-tone-3: hi", "👋\U0001F3FC hi"},
	{"emoji zwj sequence", ":man-shrugging:", "🤷\u200d♂️"},
	{"emoji custom", ":party_parrot: :wave:", "\\:party\\_parrot: 👋"},
	{"emoji in bold", "*:rotating_light: down*", "**🚨 down**"},
	{"emoji in italic", "_:arrow_up:_ sev1", "*⬆️* sev1"},
	{"emoji in code span", "`:wave:` :wave:", "`:wave:` 👋"},
	{"emoji in code block", "```\n:wave:\n```", "```\n:wave:\n```"},
	{"emoji in link label", "<https://x.y|:wave: hi>", "[👋 hi](https://x.y)"},
	{"emoji beside mention", "<@U1>:tada:", "@alice🎉"},
	{"emoji and times", "at 14:03:00 :tada:", "at 14:03:00 🎉"},
	{"emoji keycap escaped", ":hash: :one:", "\\#️⃣ 1️⃣"},
}

func TestToMarkdown(t *testing.T) {
	for _, c := range markdownCases {
		t.Run(c.name, func(t *testing.T) {
			got := ToMarkdown(c.in, testResolver)
			if got != c.want {
				t.Errorf("ToMarkdown(%q)\n got %q\nwant %q", c.in, got, c.want)
			}
			if p := markdownProblem(got, false); p != "" {
				t.Errorf("ToMarkdown(%q) = %q: %s", c.in, got, p)
			}
		})
	}
}

var inlineCases = []conversion{
	{"plain", "hello *world*", "hello **world**"},
	{"lines joined", "a\nb\n\nc", "a b c"},
	{"pipes", "a | b", `a \| b`},
	{"code pipes", "`a|b`", "`a\\|b`"},
	{"code escaped pipe", "`a\\|b`", "`a\\\\\\|b`"},
	{"code block", "```a\nb|c```", "`a↵b\\|c`"},
	{"quote", "&gt; a\nb", `\> a b`},
	{"leading marker", "- a", `\- a`},
	{"marker after join", "a\n- b", "a - b"},
	{"leading space", "   a", "a"},
	{"link", "<https://x.y/a|b|c>", "[b\\|c](https://x.y/a)"},
	{"link pipe in url", "<https://x.y/a|b>", "[b](https://x.y/a)"},
	{"url pipe encoded", "https://x.y/a%7Cb|c", `<https://x.y/a%7Cb>\|c`},
	{"resolved name with pipe", "<#C9|a|b>", `\#a\|b`},
	{"task-list lookalike", "<https://x.y|x> <https://x.y|x>", `x \(<https://x.y>\) [x](https://x.y)`},
	{"empty", "", ""},
	{"only invisible", "\u200b\n\u200b", ""},
	{"emoji", ":white_check_mark: done | `:x:`", "✅ done \\| `:x:`"},
}

func TestToInline(t *testing.T) {
	for _, c := range inlineCases {
		t.Run(c.name, func(t *testing.T) {
			got := ToInline(c.in, testResolver)
			if got != c.want {
				t.Errorf("ToInline(%q)\n got %q\nwant %q", c.in, got, c.want)
			}
			if p := markdownProblem(got, true); p != "" {
				t.Errorf("ToInline(%q) = %q: %s", c.in, got, p)
			}
		})
	}
}

var plainCases = []conversion{
	{"mentions", "<@U1> <@U9|carol> <#C1> <!here> <!subteam^S1>", "@alice @carol #ops @here @oncall"},
	{"link", "<https://x.y/z|label>", "label (https://x.y/z)"},
	{"link bare", "<https://x.y>", "https://x.y"},
	{"link label is host", "<http://x.y|x.y>", "http://x.y"},
	{"mailto", "<mailto:a@b.c|a@b.c>", "a@b.c"},
	{"refused link", "<javascript:alert(1)|click>", "click (javascript:alert(1))"},
	{"formatting dropped", "*b* _i_ ~s~ `c`", "b i s c"},
	{"entities once", "&lt;b&gt; &amp;lt;", "<b> &lt;"},
	{"no escaping", "# {{x}} | [a](b)", "# {{x}} | [a](b)"},
	{"fence", "x\n```a\n  b```\ny", "x\n\na\n  b\n\ny"},
	{"quote", "&gt; a\nb", "> a\n\nb"},
	{"date", "<!date^0^{date}>", "1970-01-01T00:00:00Z"},
	{"bidi visible", "a\u202eb", "a[U+202E]b"},
	{"nil-safe unknowns", "<@U9> <#C9>", "@U9 #C9"},
	{"emoji", ":rotating_light: *down* `:wave:` :party_parrot:", "🚨 down :wave: :party_parrot:"},
}

func TestToPlain(t *testing.T) {
	for _, c := range plainCases {
		t.Run(c.name, func(t *testing.T) {
			if got := ToPlain(c.in, testResolver); got != c.want {
				t.Errorf("ToPlain(%q)\n got %q\nwant %q", c.in, got, c.want)
			}
		})
	}
}

func TestNilResolver(t *testing.T) {
	tests := []conversion{
		{"user", "<@U1>", "@U1"},
		{"user label", "<@U1|alice>", "@alice"},
		{"channel", "<#C1>", `\#C1`},
		{"usergroup", "<!subteam^S1>", "@S1"},
	}
	for _, c := range tests {
		t.Run(c.name, func(t *testing.T) {
			if got := ToMarkdown(c.in, nil); got != c.want {
				t.Errorf("ToMarkdown(%q, nil) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}
