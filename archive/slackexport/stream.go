package slackexport

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
)

// MaxMessageBytes bounds one element of a day file or a listing, its
// whitespace included. Slack truncates a message's text at 40,000
// characters (api.slack.com/changelog/2018-04-truncating-really-long-messages)
// and takes at most 50 blocks of a few thousand characters each, so a real
// message is some hundreds of kilobytes at most; the bound keeps a file
// that is one huge object from costing its size in memory before anything
// can tell it is not a message.
const MaxMessageBytes = 16 << 20

// ErrMessageTooLarge is returned for a day file element past MaxMessageBytes.
var ErrMessageTooLarge = errors.New("message exceeds the size limit")

// arrayState is where scanArray is in a JSON array of objects.
type arrayState int

const (
	beforeArray arrayState = iota // before "["
	beforeFirst                   // after "[": an object or "]"
	beforeElem                    // after ",": an object
	inElem                        // inside an object
	afterElem                     // after an object: "," or "]"
	afterArray                    // after "]": only whitespace
)

// arrayScanner splits a JSON array of objects read from a stream, the way
// a day file is written: whitespace between the objects is skipped as it is
// read, never kept, so a file padded with gigabytes of it costs a buffer.
// Each object is handed over in a slice of its own, bounded by max. The
// objects themselves are validated by whoever decodes them.
type arrayScanner struct {
	what  string // what the objects are, for errors: "message"
	max   int
	fn    func(i int, off int64, elem []byte) error
	state arrayState
	off   int64 // file offset of the next byte
	n     int   // objects seen
	elem  []byte
	start int64 // file offset of elem
	depth int
	str   bool // inside a string
	esc   bool // after a backslash in a string
}

// scanArray calls fn with each object of the array read from r, its index
// and its byte offset; what names the objects in errors. fn may keep elem.
func scanArray(r io.Reader, what string, max int, fn func(i int, off int64, elem []byte) error) error {
	s := &arrayScanner{what: what, max: max, fn: fn}
	buf := make([]byte, 64<<10)
	for {
		n, err := r.Read(buf)
		if n > 0 {
			if serr := s.feed(buf[:n]); serr != nil {
				return serr
			}
		}
		if err == io.EOF {
			return s.end()
		}
		if err != nil {
			return err
		}
	}
}

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\t' || c == '\r' }

// feed scans one chunk of the stream.
func (s *arrayScanner) feed(b []byte) error {
	for i := 0; i < len(b); {
		if s.state == inElem {
			j, done := s.scanElem(b[i:])
			if err := s.grow(b[i : i+j]); err != nil {
				return err
			}
			i += j
			s.off += int64(j)
			if done {
				if err := s.fn(s.n, s.start, s.elem); err != nil {
					return err
				}
				s.n++
				s.elem, s.state = nil, afterElem
			}
			continue
		}
		j := i
		for j < len(b) && isSpace(b[j]) {
			j++
		}
		s.off += int64(j - i)
		if i = j; i == len(b) {
			break
		}
		c := b[i]
		if err := s.punct(c); err != nil {
			return err
		}
		if s.state != inElem {
			i++
			s.off++
		}
	}
	return nil
}

// punct handles a byte outside the objects.
func (s *arrayScanner) punct(c byte) error {
	switch s.state {
	case beforeArray:
		if c != '[' {
			return fmt.Errorf("byte %d: malformed JSON: must be an array of %ss", s.off, s.what)
		}
		s.state = beforeFirst
	case beforeFirst, beforeElem:
		switch {
		case c == ']' && s.state == beforeFirst:
			s.state = afterArray
		case c == '{':
			s.state, s.start, s.depth, s.str, s.esc = inElem, s.off, 0, false, false
		default:
			return fmt.Errorf("byte %d: malformed JSON: %s %d is not an object", s.off, s.what, s.n)
		}
	case afterElem:
		switch c {
		case ',':
			s.state = beforeElem
		case ']':
			s.state = afterArray
		default:
			return fmt.Errorf("byte %d: malformed JSON: expected , or ] after %s %d", s.off, s.what, s.n-1)
		}
	case afterArray:
		return fmt.Errorf("byte %d: malformed JSON: data after the array", s.off)
	}
	return nil
}

// scanElem scans b, which continues the current object, and returns how
// many bytes belong to it and whether it ended there. Inside a string it
// jumps from quote to quote (bytes.IndexByte), the run of backslashes
// before a quote telling whether it ends the string: strings are most of
// a channel's bytes.
func (s *arrayScanner) scanElem(b []byte) (int, bool) {
	for j := 0; j < len(b); {
		if s.str {
			if s.esc {
				s.esc = false
				j++
				continue
			}
			q := bytes.IndexByte(b[j:], '"')
			end := len(b)
			if q >= 0 {
				end = j + q
			}
			run := 0
			for end-run-1 >= j && b[end-run-1] == '\\' {
				run++
			}
			if q < 0 {
				s.esc = run%2 == 1 // the chunk ends inside an escape
				return len(b), false
			}
			if run%2 == 0 {
				s.str = false
			}
			j = end + 1
			continue
		}
		switch c := b[j]; c {
		case '"':
			s.str = true
		case '{', '[':
			s.depth++
		case '}', ']':
			s.depth--
			if s.depth == 0 {
				return j + 1, true
			}
		}
		j++
	}
	return len(b), false
}

// grow appends part of the current object, within the bound.
func (s *arrayScanner) grow(b []byte) error {
	if len(s.elem)+len(b) > s.max {
		return fmt.Errorf("byte %d: %s %d is more than %d bytes: %w", s.start, s.what, s.n, s.max, ErrMessageTooLarge)
	}
	s.elem = append(s.elem, b...)
	return nil
}

// end checks that the stream ended after the array.
func (s *arrayScanner) end() error {
	switch s.state {
	case afterArray:
		return nil
	case beforeArray:
		return fmt.Errorf("byte %d: malformed JSON: must be an array of %ss", s.off, s.what)
	case inElem:
		return fmt.Errorf("byte %d: malformed JSON: unterminated %s", s.off, s.what)
	case afterElem:
		return fmt.Errorf("byte %d: malformed JSON: expected , or ] after %s %d", s.off, s.what, s.n-1)
	}
	return fmt.Errorf("byte %d: malformed JSON: %s %d is not an object", s.off, s.what, s.n)
}

// eachElem calls fn with each object of the JSON array in the export's
// file name, as it is read: a listing or users.json. Errors are prefixed
// with the file's path.
func (s *source) eachElem(name, what string, fn func(i int, off int64, elem []byte) error) error {
	full := path.Join(s.name, s.prefix+name)
	declared, err := s.size(name)
	if err != nil {
		return err
	}
	if err := s.charge(name, declared); err != nil {
		return err
	}
	f, err := s.openCharged(name, declared)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := scanArray(f, what, MaxMessageBytes, fn); err != nil {
		if errors.Is(err, ErrTooLarge) {
			return err // charge named the file
		}
		return fmt.Errorf("%s: %w", full, err)
	}
	return nil
}

// elemError says which element of a listing did not decode, with the byte
// of a syntax error.
func elemError(off int64, what string, i int, err error) error {
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		return fmt.Errorf("byte %d: malformed JSON in %s %d: %w", off+syn.Offset, what, i, err)
	}
	return fmt.Errorf("%s %d: %w", what, i, err)
}
