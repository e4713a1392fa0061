package mrkdwn

import "strings"

// nodeKind says how a node renders. Mentions and dates are plain text by
// the time they are nodes; whether a link may be a link, and all escaping,
// is decided by the renderer that writes it.
type nodeKind uint8

const (
	nText   nodeKind = iota // text: decoded, cleaned, still unescaped
	nCode                   // text: inline code content
	nLink                   // url (any scheme) and text, its label or ""
	nBold                   // kids
	nItalic                 // kids
	nStrike                 // kids
)

type node struct {
	kind nodeKind
	text string
	url  string
	kids []node
}

// block is a paragraph (consecutive Slack lines, each a list of nodes) or a
// code block. Blank lines never appear inside a block: they separate blocks.
type block struct {
	quote bool
	code  bool
	text  string   // code content, decoded and cleaned
	lines [][]node // paragraph lines
}

// parser turns one message into blocks. Everything it produces is decoded
// and cleaned but not escaped, so the three renderers share it.
type parser struct {
	r       Resolver
	decoded bool // the text is decoded (ToInlineDecoded): no tokens, no entities
	blocks  []block
	para    *block // the open paragraph, nil after a break

	quoteRest bool // seen ">>>": everything after it is quoted
	lineQuote bool // the current line is quoted
}

// parse splits text into blocks. Fenced code is found first, on the raw
// text, because nothing inside it is formatting; the rest is split into
// lines, each checked for a quote marker and parsed for inline formatting.
func parse(text string, r Resolver) []block {
	return (&parser{r: r}).parse(text)
}

func (p *parser) parse(text string) []block {
	text = strings.ToValidUTF8(text, "\uFFFD")
	if strings.IndexByte(text, '\r') >= 0 {
		text = strings.ReplaceAll(text, "\r\n", "\n")
		text = strings.ReplaceAll(text, "\r", "\n")
	}
	text = dropInvisible(text)
	pos, atLineStart := 0, true
	for {
		open := strings.Index(text[pos:], "```")
		if open < 0 {
			p.text(text[pos:], atLineStart, false)
			break
		}
		open += pos
		// Slack closes a block at the next ``` anywhere, even mid-line. An
		// opening fence with no close is just text: Slack shows it that way.
		closing := strings.Index(text[open+3:], "```")
		if closing < 0 {
			p.text(text[pos:], atLineStart, false)
			break
		}
		end := open + 3 + closing + 3
		for end < len(text) && text[end] == '`' {
			end++ // a longer closing run keeps its extra backticks as content
		}
		p.text(text[pos:open], atLineStart, true)
		p.code(text[open+3 : end-3])
		pos, atLineStart = end, false
	}
	p.breakPara()
	return p.blocks
}

// text adds the lines of a segment that holds no fenced code. atLineStart
// is false for the rest of a line after a closing fence, which keeps the
// quote state of the line the fence was on; beforeCode marks a segment whose
// last line continues into a fence, so it is not a blank line.
func (p *parser) text(seg string, atLineStart, beforeCode bool) {
	lines := strings.Split(seg, "\n")
	for i, line := range lines {
		whole := atLineStart || i > 0
		if whole {
			p.lineQuote, line = p.quoteMarker(line)
		}
		if strings.TrimSpace(line) != "" {
			p.addLine(p.parseInline(line))
			continue
		}
		last := i == len(lines)-1
		if whole && !(last && beforeCode) {
			p.breakPara()
		}
	}
}

// quoteMarker strips the "&gt;" (or raw ">") that starts a quoted line, and
// notices "&gt;&gt;&gt;", which quotes the rest of the message. In decoded
// text a "&gt;" is what the user typed, and only ">" quotes.
func (p *parser) quoteMarker(line string) (bool, string) {
	if p.quoteRest {
		return true, line
	}
	rest, quote := []string{"&gt;&gt;&gt;", ">>>"}, []string{"&gt;", ">"}
	if p.decoded {
		rest, quote = rest[1:], quote[1:]
	}
	for _, m := range rest {
		if strings.HasPrefix(line, m) {
			p.quoteRest = true
			return true, strings.TrimPrefix(line[len(m):], " ")
		}
	}
	for _, m := range quote {
		if strings.HasPrefix(line, m) {
			return true, strings.TrimPrefix(line[len(m):], " ")
		}
	}
	return false, line
}

func (p *parser) addLine(nodes []node) {
	if p.para != nil && p.para.quote != p.lineQuote {
		p.breakPara()
	}
	if p.para == nil {
		p.para = &block{quote: p.lineQuote}
	}
	p.para.lines = append(p.para.lines, nodes)
}

func (p *parser) breakPara() {
	if p.para != nil {
		p.blocks = append(p.blocks, *p.para)
		p.para = nil
	}
}

// code adds a fenced block. Slack drops the newline right after the opening
// fence and right before the closing one; tokens inside are shown as their
// plain text, since Slack itself wraps a URL typed in a code block in <>.
// A block opened on a "&gt;" line carries that marker on its later lines
// too; it belongs to the quote, not the code.
func (p *parser) code(raw string) {
	raw = strings.TrimPrefix(raw, "\n")
	raw = strings.TrimSuffix(raw, "\n")
	gt := "&gt;"
	if p.decoded {
		gt = ">"
	}
	if p.lineQuote && !p.quoteRest && strings.Contains(raw, "\n"+gt) {
		lines := strings.Split(raw, "\n")
		for i := 1; i < len(lines); i++ {
			if rest, ok := strings.CutPrefix(lines[i], gt); ok {
				lines[i] = strings.TrimPrefix(rest, " ")
			}
		}
		raw = strings.Join(lines, "\n")
	}
	p.breakPara()
	p.blocks = append(p.blocks, block{
		quote: p.lineQuote,
		code:  true,
		text:  clean(p.plain(raw), true),
	})
}

// plain decodes raw code and replaces each <...> token with its text.
// Decoded code is already plain.
func (p *parser) plain(raw string) string {
	if p.decoded {
		return raw
	}
	if strings.IndexByte(raw, '<') < 0 {
		return decode(raw)
	}
	var b strings.Builder
	gt, lt := nextIndex{s: raw, c: '>', at: -2}, nextIndex{s: raw, c: '<', at: -2}
	start := 0
	for i := 0; i < len(raw); i++ {
		if raw[i] != '<' {
			continue
		}
		end, next := gt.from(i+1), lt.from(i+1)
		if end < 0 {
			break
		}
		if next >= 0 && next < end {
			continue
		}
		b.WriteString(decode(raw[start:i]))
		// In code a link shows as Slack shows it: its label.
		n := p.token(raw[i+1 : end])
		if n.kind == nLink && n.text != "" {
			n = node{kind: nText, text: n.text}
		}
		b.WriteString(plainNode(n))
		i, start = end, end+1
	}
	b.WriteString(decode(raw[start:]))
	return b.String()
}

// nextIndex finds the next c in s at or after a position that only moves
// forward, caching the answer so a line full of unmatched "<" or "`" is
// still scanned once, not once per character.
type nextIndex struct {
	s  string
	c  byte
	at int // last answer, -1 when none is left, -2 before the first call
}

func (n *nextIndex) from(pos int) int {
	if n.at == -1 || n.at >= pos {
		return n.at
	}
	if k := strings.IndexByte(n.s[pos:], n.c); k >= 0 {
		n.at = pos + k
	} else {
		n.at = -1
	}
	return n.at
}
