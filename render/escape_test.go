package render

import (
	"bytes"
	"strings"
	"testing"
)

func TestText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"alice", "alice"},
		{"a*b_c", `a\*b\_c`},
		{"# title", `\# title`},
		{"- item", `\- item`},
		{"12. twelve", `12\. twelve`},
		{"a | b", `a \| b`},
		{"<script>", `\<script\>`},
		{"{{.Title}}", `\{\{.Title\}\}`},
		{"[x](javascript:y)", `\[x\]\(javascript:y\)`},
		{"see www.evil.example", `see www\.evil.example`},
		{"http://x", `http\://x`},
		{"two\nlines\r\n", "two lines"},
		{"rtl\u202eevil", "rtl[U+202E]evil"},
		{"zero\u200bwidth\x00\x07", "zerowidth"},
		{"  lead", "lead"},
		{"1.5 is fine", "1.5 is fine"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := Text(tt.in); got != tt.want {
				t.Errorf("Text(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestTextRendersVerbatim: goldmark shows Text's output as the input
// (without the characters Text drops): one paragraph, no markup.
func TestTextRendersVerbatim(t *testing.T) {
	gm := newGoldmark(nil)
	for _, in := range append(hostileCorpus[:20:20], "a*b*c", "_x_", "~y~", "`z`", "1) one", "+ plus", "= eq", "> q", "www.x.y") {
		md := Text(in)
		var out bytes.Buffer
		if err := gm.Convert([]byte(md), &out); err != nil {
			t.Fatal(err)
		}
		html := out.String()
		if !strings.HasPrefix(html, "<p>") || strings.Count(html, "<") != 2 {
			t.Errorf("Text(%q) = %q renders with markup: %q", in, md, html)
		}
	}
}

func TestLink(t *testing.T) {
	tests := []struct{ label, target, want string }{
		{"msg", "https://acme.slack.com/archives/C1/p1", "[msg](https://acme.slack.com/archives/C1/p1)"},
		{"msg", "https://x.example/a(b)|c d", "msg"},
		{"msg", "https://x.example/a(b)|c", "[msg](https://x.example/a%28b%29%7Cc)"},
		{"msg", "javascript:alert(1)", "msg"},
		{"msg", "JAVASCRIPT://x.example", "msg"},
		{"msg", "data:text/html,x", "msg"},
		{"msg", "//x.example/a", "msg"},
		{"msg", "https:///nohost", "msg"},
		{"mail", "mailto:a@x.example", "[mail](mailto:a@x.example)"},
		{"", "https://x.example", `[https\://x.example](https://x.example)`},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			if got := Link(tt.label, tt.target); got != tt.want {
				t.Errorf("Link(%q, %q) = %q, want %q", tt.label, tt.target, got, tt.want)
			}
		})
	}
}

func TestDuration(t *testing.T) {
	for secs, want := range map[int64]string{0: "0s", 59: "59s", 3300: "55m", 4069: "1h 7m 49s", 90061: "1d 1h 1m", -60: "-1m"} {
		if got := Duration(secs); got != want {
			t.Errorf("Duration(%d) = %q, want %q", secs, got, want)
		}
	}
}
