package term

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// The sequences are those xterm documents in "XTerm Control Sequences"
// (ctlseqs): OSC 0 sets the window title, OSC 8 makes a hyperlink, OSC 52
// writes the clipboard, CSI moves the cursor and erases, and a carriage
// return goes back to the line's start.
func TestClean(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "incident-2026-api", "incident-2026-api"},
		{"unicode kept", "inc-é-🚨-日本", "inc-é-🚨-日本"},
		{"newline and tab kept", "a\nb\tc", "a\nb\tc"},
		{"window title BEL", "x\x1b]0;pwned\x07y", "xy"},
		{"window title ST", "x\x1b]2;pwned\x1b\\y", "xy"},
		{"hyperlink", "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\", "click"},
		{"clipboard", "a\x1b]52;c;cm0gLXJmIH4=\x07b", "ab"},
		{"colour", "\x1b[31mred\x1b[0m", "red"},
		{"cursor up and erase", "ok\x1b[1A\x1b[2Kforged", "okforged"},
		{"private mode", "\x1b[?1049hx", "x"},
		{"short escapes", "\x1bcreset \x1b(0box \x1b#8fill \x1b7save", "reset box fill save"},
		{"dcs", "a\x1bPq#0;2;0;0;0\x1b\\b", "ab"},
		{"apc", "a\x1b_Gf=100;AAAA\x1b\\b", "ab"},
		{"unterminated osc", "name\x1b]0;rest of it", "name"},
		{"lone esc at end", "name\x1b", "name"},
		{"c1 csi", "a\u009b31mb", "ab"},
		{"c1 osc", "a\u009d0;t\u009cb", "ab"},
		{"c1 control", "a\u0085b", "ab"},
		{"carriage return", "real\rfake", "realfake"},
		{"backspace and bell", "ab\b\b\acd", "abcd"},
		{"nul and del", "a\x00b\x7fc", "abc"},
		{"bidi", "inc\u202egnp.exe\u202c \u2066x\u2069 \u200f\u061c", "incgnp.exe x "},
		{"invalid utf-8", "a\xffb", "a\ufffdb"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Clean(tt.in); got != tt.want {
				t.Errorf("Clean(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestLine(t *testing.T) {
	if got, want := Line("a\nwrapup: forged\tline\r\x1b[2K"), "a wrapup: forged line"; got != want {
		t.Errorf("Line = %q, want %q", got, want)
	}
	if got := Line("plain name"); got != "plain name" {
		t.Errorf("Line changed plain text: %q", got)
	}
}

func FuzzClean(f *testing.F) {
	for _, s := range []string{"x\x1b]0;t\x07y", "\x1b[31m", "a\u009b1mb", "\u202e", "ok\n\tok", "\x1bP\x1b\\"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, out := range []string{Clean(s), Line(s)} {
			if !utf8.ValidString(out) {
				t.Fatalf("invalid UTF-8 from %q: %q", s, out)
			}
			for _, r := range out {
				if r < 0x20 && r != '\n' && r != '\t' || r == 0x7f || isC1(r) || isBidi(r) {
					t.Fatalf("%q kept %U: %q", s, r, out)
				}
			}
			if Clean(out) != out {
				t.Fatalf("Clean is not idempotent on %q", out)
			}
		}
		if strings.ContainsAny(Line(s), "\n\t") {
			t.Fatalf("Line kept a line break: %q", Line(s))
		}
	})
}
