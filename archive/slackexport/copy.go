package slackexport

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"hash"
	"io"
	"os"
	"path/filepath"

	"github.com/wrapup/wrapup/archive"
)

// An export that is already in the layout Write gives (a wrapup archive,
// or a Slack export whose threads list their replies) need not be encoded
// again: Write, given the Export an archive was read from
// (WriteOptions.From), copies each day file that holds exactly the
// messages it would write there, as read, byte for byte, and hashes it as
// it copies. Only the whitespace between messages may differ from what
// Write would have written; every message keeps its bytes either way.

// readDays are the day files Read decoded for one archive.
type readDays struct {
	folder string              // the channel's folder in the export
	days   map[string]*dayRead // by file name: 2026-03-26.json
}

// dayRead is one day file as it was read.
type dayRead struct {
	name string // path under the export's root: folder/2026-03-26.json
	size int64  // bytes read
	sum  [sha256.Size]byte
	msgs []*archive.Message // in file order
	// copyable says the file's messages kept the bytes read (no export
	// token was scrubbed); raws are those bytes, each message's Raw.
	copyable bool
	raws     []json.RawMessage
}

// hashingReader hashes and counts what is read through it.
type hashingReader struct {
	r io.Reader
	h hash.Hash
	n int64
}

func (r *hashingReader) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	r.h.Write(p[:n])
	r.n += int64(n)
	return n, err
}

// copySource says which day file of e can be copied as the day file that
// Write makes of msgs for a, or nil. It can when the file held exactly
// msgs, in that order, each with the bytes it was read with, and each
// thread parent already lists its replies as Write would (parentJSON
// leaves it unchanged).
func (e *Export) copySource(a *archive.Archive, day string, msgs []dayMessage) *dayRead {
	if e == nil {
		return nil
	}
	e.mu.Lock()
	rd := e.copies[a]
	e.mu.Unlock()
	if rd == nil {
		return nil
	}
	d := rd.days[day+".json"]
	if d == nil || !d.copyable || len(d.msgs) != len(msgs) {
		return nil
	}
	for i, m := range msgs {
		raw := d.raws[i]
		if d.msgs[i] != m.Message || !sameSlice(m.Raw, raw) {
			return nil
		}
		if len(m.Replies) > 0 && !parentUnchanged(m.Message, raw) {
			return nil
		}
	}
	return d
}

// sameSlice reports whether a and b are the same bytes in memory.
func sameSlice(a, b []byte) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

// errChanged says a day file no longer holds what was read from it.
var errChanged = errors.New("changed since it was read")

// copyDay copies the day file d of e to rel under the archive root and
// records its checksum. A source file that no longer holds the bytes read
// gives errChanged, with nothing left behind, and the caller writes the day
// instead.
func (w *writer) copyDay(rel string, e *Export, d *dayRead) error {
	in, err := e.src.fsys.Open(e.src.prefix + d.name)
	if err != nil {
		return errChanged
	}
	defer in.Close()
	full := filepath.Join(w.root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(full), 0o700); err != nil {
		return err
	}
	out, err := os.OpenFile(full, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	h := sha256.New()
	// One byte past the size read tells a file that grew.
	n, err := io.Copy(io.MultiWriter(out, h), &readOnly{io.LimitReader(in, d.size+1)})
	var rerr *readError
	if errors.As(err, &rerr) {
		err = errChanged
	}
	if err == nil && (n != d.size || !bytes.Equal(h.Sum(nil), d.sum[:])) {
		err = errChanged
	}
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(full)
		return err
	}
	w.man.Files[rel] = hex.EncodeToString(d.sum[:])
	return nil
}

// readOnly marks the source's read errors apart from the writes' errors.
type readOnly struct{ r io.Reader }

type readError struct{ error }

func (r *readOnly) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	if err != nil && err != io.EOF {
		err = &readError{err}
	}
	return n, err
}

// parentUnchanged reports whether parentJSON leaves raw, a thread parent's
// JSON that a decoder validated, as it is: its replies are listed as the
// archive has them, and it has reply_count and, when anyone replied,
// reply_users. It reads raw's top-level members with a scanner that
// trusts the JSON to be valid, and asks parentJSON itself when a key is
// escaped.
func parentUnchanged(m *archive.Message, raw []byte) bool {
	fields, err := parentFields(m)
	if err != nil {
		return false
	}
	found := map[string]bool{}
	ok := eachMember(raw, func(key, value []byte) bool {
		for _, f := range fields {
			if string(key) == f.key {
				found[f.key] = true
				if !f.ifMissing && !bytes.Equal(value, f.value) {
					return false
				}
			}
		}
		return true
	})
	if ok == errEscapedKey {
		out, err := parentJSON(m, raw)
		return err == nil && bytes.Equal(out, raw)
	}
	if ok != nil {
		return false
	}
	for _, f := range fields {
		if !found[f.key] {
			return false
		}
	}
	return true
}

var (
	errEscapedKey = errors.New("escaped key")
	errStop       = errors.New("stop")
)

// eachMember calls fn with each top-level key (between its quotes) and
// value of obj, a JSON object known to be valid, until fn returns false
// (errStop). A key holding a backslash gives errEscapedKey.
func eachMember(obj []byte, fn func(key, value []byte) bool) error {
	i := 0
	ws := func() {
		for i < len(obj) && isSpace(obj[i]) {
			i++
		}
	}
	str := func() { // obj[i] is '"': step past the string
		for i++; i < len(obj) && obj[i] != '"'; i++ {
			if obj[i] == '\\' {
				i++
			}
		}
		i++
	}
	ws()
	if i >= len(obj) || obj[i] != '{' {
		return errors.New("not an object")
	}
	i++
	for {
		ws()
		if i >= len(obj) || obj[i] == '}' {
			return nil
		}
		if obj[i] == ',' {
			i++
			ws()
		}
		start := i
		str()
		key := obj[start+1 : i-1]
		if bytes.IndexByte(key, '\\') >= 0 {
			return errEscapedKey
		}
		ws()
		i++ // ':'
		ws()
		vstart := i
		switch obj[i] {
		case '"':
			str()
		case '{', '[':
			depth := 0
			for ; i < len(obj); i++ {
				switch obj[i] {
				case '"':
					str()
					i--
				case '{', '[':
					depth++
				case '}', ']':
					depth--
				}
				if depth == 0 {
					i++
					break
				}
			}
		default:
			for i < len(obj) && obj[i] != ',' && obj[i] != '}' && !isSpace(obj[i]) {
				i++
			}
		}
		if i > len(obj) {
			return errors.New("truncated")
		}
		if !fn(key, obj[vstart:i]) {
			return errStop
		}
	}
}
