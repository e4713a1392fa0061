package mrkdwn

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/wrapup/wrapup/archive/emoji"
)

type atomKind uint8

const (
	atomText   atomKind = iota // raw text, not yet decoded
	atomNode                   // a finished token or code span
	atomMarker                 // *, _ or ~ that may open or close formatting
)

// atom is one piece of a line before formatting markers are paired. It
// holds no pointers, so a line of many thousand markers costs the garbage
// collector nothing.
type atom struct {
	kind        atomKind
	start, end  int  // the atom's raw bytes in the line
	node        int  // atomNode: index into the line's nodes
	pair        int  // atomMarker: index of the matching marker, or -1
	open, close bool // what Slack's boundary rules allow a marker to do
}

// parseInline parses one line. Tokens (<...>) and code spans are found
// first, on the raw text, so nothing inside them is formatting and their
// entities are decoded only once, by the code that understands them.
func (p *parser) parseInline(line string) []node {
	special := 0
	for i := 0; i < len(line); i++ {
		switch line[i] {
		case '<', '`', '*', '_', '~':
			special++
		}
	}
	// Each special byte makes at most one atom and ends one text run.
	atoms := make([]atom, 0, 2*special+1)
	var nodes []node
	textStart := 0
	flush := func(end int) {
		if end > textStart {
			atoms = append(atoms, atom{kind: atomText, start: textStart, end: end, pair: -1})
		}
	}
	addNode := func(n node) {
		atoms = append(atoms, atom{kind: atomNode, node: len(nodes), pair: -1})
		nodes = append(nodes, n)
	}
	gt := nextIndex{s: line, c: '>', at: -2}
	lt := nextIndex{s: line, c: '<', at: -2}
	tick := nextIndex{s: line, c: '`', at: -2}
	for i := 0; i < len(line); {
		switch line[i] {
		case '<':
			if p.decoded {
				i++ // decoded text has no tokens: "<" is what the user typed
				continue
			}
			end, next := gt.from(i+1), lt.from(i+1)
			if end < 0 || (next >= 0 && next < end) {
				i++ // a "<" with no ">" before the next "<" is text
				continue
			}
			flush(i)
			addNode(p.token(line[i+1 : end]))
			i, textStart = end+1, end+1
		case '`':
			run := 1
			for i+run < len(line) && line[i+run] == '`' {
				run++
			}
			end := -1
			if run == 1 {
				end = tick.from(i + 1)
			}
			if end < 0 {
				i += run // "``" and an unclosed "`" are text
				continue
			}
			flush(i)
			if code := clean(p.plain(line[i+1:end]), false); code != "" {
				addNode(node{kind: nCode, text: code})
			}
			i, textStart = end+1, end+1
		case '*', '_', '~':
			// A marker that can neither open nor close is text, and stays
			// in the text run: "2*3*4" and "a_b_c" make no atoms.
			if m := marker(line, i); m.open || m.close {
				flush(i)
				atoms = append(atoms, m)
				textStart = i + 1
			}
			i++
		default:
			i++
		}
	}
	flush(len(line))
	pairMarkers(line, atoms)
	return buildTree(line, atoms, nodes, p.decoded)
}

// marker applies Slack's boundary rules: a marker opens only after a
// non-word character and before a non-space, and closes only after a
// non-space and before a non-word character. A marker next to another of
// its kind is text, so "**x**" typed from Markdown habit and "***" show as
// typed (and "\~~~x" never reaches goldmark, which misreads it).
func marker(line string, i int) atom {
	a := atom{kind: atomMarker, start: i, end: i + 1, pair: -1}
	prev, next := rune(-1), rune(-1)
	if i > 0 {
		prev, _ = utf8.DecodeLastRuneInString(line[:i])
	}
	if i+1 < len(line) {
		next, _ = utf8.DecodeRuneInString(line[i+1:])
	}
	if same := rune(line[i]); prev == same || next == same {
		return a
	}
	a.open = (prev < 0 || !isWord(prev)) && next >= 0 && !unicode.IsSpace(next)
	a.close = prev >= 0 && !unicode.IsSpace(prev) && (next < 0 || !isWord(next))
	return a
}

func markerKind(c byte) nodeKind {
	switch c {
	case '*':
		return nBold
	case '_':
		return nItalic
	}
	return nStrike
}

// pairMarkers matches each closer with the earliest open marker of its kind.
// At most one marker per kind is open, so the stack holds three entries and
// pairing is linear. Closing a marker drops the markers opened inside it
// that are still open, which keeps the pairs properly nested.
func pairMarkers(line string, atoms []atom) {
	open := [...]int{nBold: -1, nItalic: -1, nStrike: -1}
	stack := make([]nodeKind, 0, 3)
	for i := range atoms {
		a := &atoms[i]
		if a.kind != atomMarker {
			continue
		}
		k := markerKind(line[a.start])
		switch o := open[k]; {
		case a.close && o >= 0 && i > o+1:
			for len(stack) > 0 {
				top := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				open[top] = -1
				if top == k {
					break
				}
			}
			atoms[o].pair, a.pair = i, o
		case a.open && o < 0:
			open[k] = i
			stack = append(stack, k)
		}
	}
}

// frame is a formatting span being built. Text is gathered in a byte slice
// and cleaned once per run, so a line of many literal markers is not
// quadratic.
type frame struct {
	kind nodeKind
	kids []node
	text []byte
}

// flush ends the text run. This is where a run's emoji shortcodes become
// emoji: after tokens and code are taken out (a shortcode in code stays
// literal, as in Slack) and the text is cleaned, and before any renderer
// escapes it, so ":bust_in_silhouette:" is never written `\:bust\_in\_silhouette:`.
func (f *frame) flush() {
	if len(f.text) > 0 {
		f.kids = append(f.kids, node{kind: nText, text: emoji.Replace(clean(string(f.text), false))})
		f.text = f.text[:0]
	}
}

func (f *frame) add(n node) {
	if n.kind == nText {
		f.text = append(f.text, n.text...)
		return
	}
	f.flush()
	f.kids = append(f.kids, n)
}

// buildTree pairs the atoms into nodes, decoding text unless it is
// already decoded.
func buildTree(line string, atoms []atom, nodes []node, decoded bool) []node {
	stack := []*frame{{}}
	for i, a := range atoms {
		top := stack[len(stack)-1]
		raw := line[a.start:a.end]
		switch {
		case a.kind == atomText && decoded:
			top.text = append(top.text, raw...)
		case a.kind == atomText:
			top.text = append(top.text, decode(raw)...)
		case a.kind == atomNode:
			top.add(nodes[a.node])
		case a.pair < 0:
			top.text = append(top.text, raw...)
		case a.pair > i:
			stack = append(stack, &frame{kind: markerKind(raw[0])})
		default:
			top.flush()
			stack = stack[:len(stack)-1]
			if kids := trimSpan(top.kids); len(kids) > 0 {
				parent := stack[len(stack)-1]
				parent.flush()
				parent.kids = append(parent.kids, node{kind: top.kind, kids: kids})
			}
		}
	}
	stack[0].flush()
	return stack[0].kids
}

// trimSpan removes space at the edges of a formatting span. Slack's rules
// already forbid it, but cleaning can expose it ("*\u200b x*"), and GFM
// ignores a "**" that is followed by a space.
func trimSpan(kids []node) []node {
	if len(kids) > 0 && kids[0].kind == nText {
		kids[0].text = strings.TrimLeftFunc(kids[0].text, unicode.IsSpace)
	}
	if n := len(kids); n > 0 && kids[n-1].kind == nText {
		kids[n-1].text = strings.TrimRightFunc(kids[n-1].text, unicode.IsSpace)
	}
	out := kids[:0]
	for _, k := range kids {
		if k.kind != nText || k.text != "" {
			out = append(out, k)
		}
	}
	return out
}
