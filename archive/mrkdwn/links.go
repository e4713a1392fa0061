package mrkdwn

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// allowedURL reports whether u may become a link: only http, https and
// mailto. The scheme is compared in ASCII only, so no Unicode case folding
// (the Kelvin sign folds to "k") can smuggle another scheme in.
func allowedURL(u string) bool {
	for _, scheme := range []string{"http:", "https:", "mailto:"} {
		if hasPrefixFold(u, scheme) && len(u) > len(scheme) {
			return true
		}
	}
	return false
}

// hasScheme reports whether u starts with a URI scheme and a colon.
func hasScheme(u string) bool {
	i := strings.IndexByte(u, ':')
	if i <= 0 {
		return false
	}
	for j := 0; j < i; j++ {
		c := u[j]
		letter := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		if !letter && (j == 0 || !isAlnum(c) && c != '+' && c != '-' && c != '.') {
			return false
		}
	}
	return true
}

// urlSafe lists the ASCII punctuation left as is in a link destination.
// Everything else that could end the destination, start other syntax or
// open a template ("<", ">", space, "`", "|", "{", "}", "\", "$") is
// percent-encoded, and so are "(" and ")" except in an autolink, where
// they cannot end anything.
const urlSafe = "-._~:/?#[]@!&'*+,;=%"

// encodeURL percent-encodes u for use as a link destination, or with
// autolink set as the inside of an autolink. Visible non-ASCII stays
// readable; invisible and bidi characters are encoded so they cannot hide
// in the address.
func encodeURL(u string, autolink bool) string {
	var b strings.Builder
	b.Grow(len(u))
	for i := 0; i < len(u); {
		if c := u[i]; c < utf8.RuneSelf {
			if isAlnum(c) || strings.IndexByte(urlSafe, c) >= 0 || autolink && (c == '(' || c == ')') {
				b.WriteByte(c)
			} else {
				percent(&b, u[i:i+1])
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(u[i:])
		if r == utf8.RuneError || !unicode.IsGraphic(r) || unicode.IsSpace(r) ||
			isBidi(r) || isZeroWidth(r) || isTag(r) {
			percent(&b, u[i:i+size])
		} else {
			b.WriteString(u[i : i+size])
		}
		i += size
	}
	return b.String()
}

func percent(b *strings.Builder, s string) {
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		b.WriteByte('%')
		b.WriteByte(hex[s[i]>>4])
		b.WriteByte(hex[s[i]&15])
	}
}

// plainLink is a link as text: "label (url)", or just one of them when the
// other adds nothing ("a@b.c" for mailto:a@b.c, the URL when the label is
// the URL without its scheme).
func plainLink(u, label string) string {
	u = clean(u, false)
	switch {
	case label == "" || label == u:
		return u
	case hasPrefixFold(u, "mailto:") && u[len("mailto:"):] == label:
		return label
	case hasPrefixFold(u, "http://") && u[len("http://"):] == label,
		hasPrefixFold(u, "https://") && u[len("https://"):] == label:
		return u
	}
	return label + " (" + u + ")"
}

// urlEnd returns where a URL GFM would linkify (http://, https://, www.)
// starting at s[i] ends, or i if none starts there. Like linkify it stops
// at space and drops trailing punctuation and unbalanced closing brackets.
func urlEnd(s string, i int) int {
	var host int
	switch {
	case hasPrefixFold(s[i:], "https://"):
		host = i + len("https://")
	case hasPrefixFold(s[i:], "http://"):
		host = i + len("http://")
	case hasPrefixFold(s[i:], "www."):
		host = i + len("www.")
	default:
		return i
	}
	if prev, _ := utf8.DecodeLastRuneInString(s[:i]); i > 0 && isWord(prev) {
		return i
	}
	// Checked before scanning, so that once scanning starts the URL is
	// consumed: giving up after a scan would make "http://-http://-..."
	// quadratic.
	if host >= len(s) || !isAlnum(s[host]) {
		return i
	}
	j := host
	for j < len(s) {
		r, size := utf8.DecodeRuneInString(s[j:])
		if unicode.IsSpace(r) || !unicode.IsGraphic(r) || strings.ContainsRune("<>\"`|{}\\", r) {
			break
		}
		j += size
	}
	// s[host] is alphanumeric, so trimming stops before reaching it.
	paren := strings.Count(s[host:j], "(") - strings.Count(s[host:j], ")")
	brack := strings.Count(s[host:j], "[") - strings.Count(s[host:j], "]")
	for ; ; j-- {
		switch c := s[j-1]; {
		case c == ')' && paren < 0:
			paren++
		case c == ']' && brack < 0:
			brack++
		case strings.IndexByte(".,:;!?'\"*_~", c) < 0:
			return j
		}
	}
}

// bareURL writes a URL shown as itself. An http(s) URL becomes an
// autolink, unless it holds "&", which an autolink would decode as an
// entity and cannot escape. A www. address that needs no escaping is left
// to linkify, which links it to http://; one that does would get the
// escapes in its address, so it becomes an explicit link.
func (w *mdWriter) bareURL(u string) {
	href := u
	if hasPrefixFold(u, "www.") {
		if !strings.ContainsAny(u, mdEscaped) && !strings.Contains(u, "://") {
			w.buf = append(w.buf, u...)
			return
		}
		href = "http://" + u
	} else if strings.IndexByte(u, '&') < 0 {
		w.buf = append(w.buf, '<')
		w.buf = append(w.buf, encodeURL(u, true)...)
		w.buf = append(w.buf, '>')
		return
	}
	w.buf = append(w.buf, '[')
	w.escape(clean(u, false), false)
	w.buf = append(w.buf, ']', '(')
	w.dest(href)
	w.buf = append(w.buf, ')')
}

func (w *mdWriter) link(u, label string) {
	lineStart := w.lineStart
	w.lineStart = false
	if label == "" || label == u {
		w.bareURL(u)
		return
	}
	if lineStart && w.inline && len(label) == 1 && strings.Contains(" \txX", label) {
		// "[x](u)" opening a list item is a task-list checkbox to goldmark,
		// and ToInline's output may follow "- ".
		w.escape(label, false)
		w.buf = append(w.buf, ` \(`...)
		w.bareURL(u)
		w.buf = append(w.buf, `\)`...)
		return
	}
	w.buf = append(w.buf, '[')
	w.escape(label, false)
	w.buf = append(w.buf, ']', '(')
	w.dest(u)
	w.buf = append(w.buf, ')')
}

// dest writes a link destination: percent-encoded, with "&" escaped so an
// "&lt;" in the address stays five characters.
func (w *mdWriter) dest(u string) {
	for _, c := range []byte(encodeURL(u, false)) {
		if c == '&' {
			w.buf = append(w.buf, '\\')
		}
		w.buf = append(w.buf, c)
	}
}
