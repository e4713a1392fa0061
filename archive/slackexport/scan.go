package slackexport

import (
	"bufio"
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"math"
	"os"
	"path"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/wrapup/wrapup/archive"
)

// Scanning reads a channel without holding it (issue 17): Scan decodes
// each day file once, hands every message to a callback in ts order, and
// keeps an index of where each message is — its day file, byte offset
// and length — in a temporary file, from which Scanned reads threads
// again when they are needed. Memory follows a few day files and the
// replies (to group them under their parents), not the channel.

// ErrUnordered is wrapped by Scan's error when a message's ts is below the
// one visited before it: a day file out of order, or a message filed under
// another day. Read accepts such an export; Scan cannot visit it in order.
var ErrUnordered = errors.New("messages are not in ts order from one day file to the next")

// Scanned is a channel as Scan indexed it. Its methods give what Read's
// archive holds, reading messages again from the day files as they are
// asked for; it needs the Export open. Its index is kept in a temporary
// file, not in memory: callers must Close the Scanned when done, which
// removes the file. Its methods are safe for concurrent use.
type Scanned struct {
	e      *Export
	days   []string // day files, as paths under the export's root
	head   *archive.Archive
	counts archive.Counts
	last   archive.TS

	// idx holds, for every message kept (duplicates dropped), in ts
	// order, its ts, day file (an index in days), byte offset in it,
	// length and poster; then the roots (the top-level messages and
	// Missing parents in ts order) and the replies, each root's together.
	idx *scanIndex
	// threaded is the ts of each top-level message with replies.
	threaded []archive.TS

	appendix []*archive.Message
	withFile map[archive.TS]*archive.Message // appendix messages with files: their Content

	// For Stage: each day file as it was read, the names of the
	// replies' posters (a record's who is an index in names), and the
	// members the messages show.
	dayInfo []scanDayInfo
	names   []string
	members []string

	zipped zipDays // a zip's day files, decompressed again when read by offset
}

// zipDays keeps the last few day files of a zip that were decompressed to
// be read by offset: a zip entry cannot be read at an offset, and the
// transcript reads a day's messages, and its threads' replies in the
// days after, together. They are bounded by zipDaysKept day files.
type zipDays struct {
	mu   sync.Mutex
	kept []zipDay // most recently used last
}

type zipDay struct {
	day  uint32
	data []byte
}

// zipDaysKept is how many decompressed day files a zip's Scanned keeps.
const zipDaysKept = 3

// zipDay returns day file di of a zip, decompressed: the bytes the scan
// read, or errChanged.
func (s *Scanned) zipDay(di uint32, f fs.File, full string) ([]byte, error) {
	z := &s.zipped
	z.mu.Lock()
	for i, d := range z.kept {
		if d.day == di {
			z.kept = append(append(z.kept[:i:i], z.kept[i+1:]...), d)
			z.mu.Unlock()
			return d.data, nil
		}
	}
	z.mu.Unlock()
	info := s.dayInfo[di]
	data, err := io.ReadAll(io.LimitReader(f, info.size+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", full, changed(err))
	}
	if int64(len(data)) != info.size || sha256.Sum256(data) != info.sum {
		return nil, fmt.Errorf("%s: %w", full, errChanged)
	}
	z.mu.Lock()
	if len(z.kept) == zipDaysKept {
		z.kept = z.kept[1:]
	}
	z.kept = append(z.kept, zipDay{di, data})
	z.mu.Unlock()
	return data, nil
}

// scanDayInfo is what Stage needs to copy a day file as it was read.
type scanDayInfo struct {
	elems    int // messages in the file, duplicates included
	copyable bool
	size     int64
	sum      [sha256.Size]byte
}

// A record's who: for a reply, its poster as an index in names, with
// botWho set for a bot_id (it has no user); topWho for a top-level
// message.
const (
	botWho = 1 << 31
	topWho = 1 << 30
)

type scanRoot struct {
	ts    archive.TS
	msg   int32 // index of the message, -1 for a Missing parent
	first int32 // its replies' start in the replies
}

// dayScan is one day file decoded: its messages, and where each was.
type dayScan struct {
	msgs []*archive.Message
	offs []int64
	lens []uint32
	info scanDayInfo
	err  error
}

// Scan reads the conversation named channel (found as Read finds it) one
// day file at a time, in date order, decoding a few at once on the CPUs
// as Read does, and calls visit with each message in ts order: every
// message that Read's archive holds, replies included, duplicates dropped
// as archive.Thread drops them (the first kept), never a Missing parent.
// visit may keep the message; file Content is attached to the messages
// that have files once the day files are read, before Scan returns. Scan
// never holds more than a few day files' messages, besides what visit
// keeps, some 16 bytes a reply and the messages Appendix gives: the index
// of where each message is goes to a temporary file (os.CreateTemp),
// which Close removes. visit gets the Scanned being built as well: its
// Head's Channel is there from the first message, and Lookup finds the
// messages visited before (a pinned message, for the notice that it was
// pinned).
//
// It returns an error wrapping ErrUnordered, after having called visit
// with some messages, when a message's ts is below the one visited before
// it, so that the caller can fall back to Read. A zip's day files are
// read by offset from a few of them decompressed again (zipDays). Bad day
// files give the errors Read gives. An error from visit is returned as it
// is. An error writing or reading the index names its file. When Scan
// returns an error, it has removed its temporary file.
func (e *Export) Scan(channel string, visit func(m *archive.Message, s *Scanned) error) (*Scanned, error) {
	ent, head, err := e.head(channel)
	if err != nil {
		return nil, err
	}
	days, sizes, err := e.dayFiles(ent.folder)
	if err != nil {
		return nil, err
	}
	idx, err := newScanIndex()
	if err != nil {
		return nil, err
	}
	s := &Scanned{e: e, head: head, idx: idx, days: make([]string, len(days)), dayInfo: make([]scanDayInfo, len(days))}
	if err := s.scan(ent, days, sizes, visit); err != nil {
		idx.close()
		return nil, err
	}
	return s, nil
}

// scan is Scan once s is made.
func (s *Scanned) scan(ent *entry, days []string, sizes []int64, visit func(m *archive.Message, s *Scanned) error) error {
	e, head := s.e, s.head
	for i, d := range days {
		s.days[i] = ent.folder + "/" + d
	}
	wanted := archive.ReferencedUsers(&archive.Archive{Channel: head.Channel})
	var dups []string
	// Each reply's ThreadTS and message index.
	var replyThread []archive.TS
	var replyMsg []int32
	var n int64 // messages kept
	var prev archive.TS
	files := map[string]bool{}
	interned := map[string]uint32{}
	intern := func(name string) uint32 {
		i, ok := interned[name]
		if !ok {
			i = uint32(len(s.names))
			name = strings.Clone(name) // not the message's bytes
			s.names = append(s.names, name)
			interned[name] = i
		}
		return i
	}
	member := map[string]bool{} // as members() reads the messages
	var posters []string
	visitDay := func(di int, d *dayScan) error {
		s.dayInfo[di] = d.info
		for j, m := range d.msgs {
			if n > 0 {
				switch {
				case m.TS == prev:
					dups = append(dups, fmt.Sprintf("message %s appears more than once; kept the first", m.TS))
					d.msgs[j] = nil
					continue
				case m.TS < prev:
					return fmt.Errorf("%s: message %d (ts %s) comes after ts %s: %w",
						path.Join(e.src.name, e.src.prefix+s.days[di]), j, m.TS, prev, ErrUnordered)
				}
			}
			if n == math.MaxInt32 {
				return fmt.Errorf("%s: more than %d messages", path.Join(e.src.name, e.src.prefix+ent.folder), math.MaxInt32)
			}
			who := uint32(topWho)
			if m.IsReply() {
				replyThread = append(replyThread, m.ThreadTS)
				replyMsg = append(replyMsg, int32(n))
				s.counts.Replies++
				if m.User != "" {
					who = intern(m.User)
				} else {
					who = intern(m.BotID) | botWho
				}
			} else {
				s.counts.Messages++
			}
			if err := s.idx.add(scanRec{ts: m.TS, off: d.offs[j], day: uint32(di), size: d.lens[j], who: who}); err != nil {
				return err
			}
			n++
			prev = m.TS
			if m.User != "" {
				switch in, seen := member[m.User]; {
				case m.Subtype == "channel_leave" || m.Subtype == "group_leave":
					if seen {
						member[m.User] = false
					}
				case !seen:
					posters = append(posters, strings.Clone(m.User))
					fallthrough
				case !in:
					member[m.User] = true
				}
			}
			for _, f := range m.Files {
				files[f.ID] = true
			}
			if !m.IsJoinLeave() {
				s.last = m.TS
			}
			if len(m.Files) > 0 || m.Subtype == "channel_topic" || m.Subtype == "group_topic" {
				s.appendix = append(s.appendix, m)
			}
			if err := visit(m, s); err != nil {
				return err
			}
		}
		// The users the day's messages reference, as Read finds them.
		kept := slices.DeleteFunc(d.msgs, func(m *archive.Message) bool { return m == nil })
		for id := range archive.ReferencedUsers(&archive.Archive{Messages: kept}) {
			wanted[id] = true
		}
		return nil
	}
	if err := e.scanDays(days, sizes, s.days, visitDay); err != nil {
		return err
	}
	for _, u := range posters {
		if member[u] {
			s.members = append(s.members, u)
		}
	}
	slices.Sort(s.members)
	orphans, threaded, err := s.idx.group(replyThread, replyMsg)
	if err != nil {
		return err
	}
	s.threaded = threaded
	if len(dups)+len(orphans) > 0 {
		head.Warnings = append(dups, orphans...)
	}
	if head.Users, err = e.channelUsers(wanted); err != nil {
		return err
	}
	s.counts.Users = len(head.Users)
	s.counts.Files = len(files)
	s.head = head
	// The appendix in All() order: each top-level message, then its replies.
	slices.SortStableFunc(s.appendix, func(a, b *archive.Message) int {
		return cmp.Or(cmp.Compare(threadOf(a), threadOf(b)), cmp.Compare(b2i(a.IsReply()), b2i(b.IsReply())), cmp.Compare(a.TS, b.TS))
	})
	if err := e.readFileContents(&archive.Archive{Messages: s.appendix}, ent.folder); err != nil {
		return err
	}
	for _, m := range s.appendix {
		if len(m.Files) > 0 {
			if s.withFile == nil {
				s.withFile = map[archive.TS]*archive.Message{}
			}
			s.withFile[m.TS] = m
		}
	}
	return nil
}

// threadOf is the ts of the top-level message m is under.
func threadOf(m *archive.Message) archive.TS {
	if m.IsReply() {
		return m.ThreadTS
	}
	return m.TS
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// maxScanReaders bounds how many day files Scan decodes at once, and so
// how many it holds: each costs about twice its size decoded, and the
// garbage collector lets the heap grow to twice what is live. Two hold
// the peak heap near 8 × the largest day file besides the index
// (TestScanMemory), and decode while visit runs.
const maxScanReaders = 2

// scanDays decodes the day files a few at once and calls visit with each,
// in order; a day file is decoded at most a few ahead of the one being
// visited. Once a day file fails to decode, the rest are decoded only for
// their errors, which are returned joined, as readDays returns them.
func (e *Export) scanDays(days []string, sizes []int64, names []string, visit func(i int, d *dayScan) error) error {
	workers := min(runtime.GOMAXPROCS(0), maxScanReaders, max(len(days), 1))
	results := make([]chan *dayScan, len(days))
	for i := range results {
		results[i] = make(chan *dayScan, 1)
	}
	// Day files decoded or being decoded, and not yet visited: at most
	// one a worker, the one being visited included.
	ahead := make(chan struct{}, workers)
	next := make(chan int)
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		defer close(next)
		for i := range days {
			select {
			case ahead <- struct{}{}:
			case <-done:
				return
			}
			select {
			case next <- i:
			case <-done:
				return
			}
		}
	})
	for range workers {
		wg.Go(func() {
			for i := range next {
				results[i] <- e.scanDay(names[i], sizes[i])
			}
		})
	}
	defer func() {
		close(done)
		wg.Wait()
	}()
	var errs []error
	for i := range days {
		d := <-results[i]
		switch {
		case d.err != nil:
			errs = append(errs, d.err)
		case len(errs) == 0:
			if err := visit(i, d); err != nil {
				return err
			}
		}
		<-ahead
	}
	return errors.Join(errs...)
}

// scanDay decodes one day file as readDay does, noting where each message is.
func (e *Export) scanDay(name string, declared int64) *dayScan {
	d := &dayScan{}
	f, err := e.src.openCharged(name, declared)
	if err != nil {
		d.err = err
		return d
	}
	defer f.Close()
	hr := &hashingReader{r: f, h: sha256.New()}
	d.msgs, d.info.copyable, d.err = decodeDayStreamAt(path.Join(e.src.name, e.src.prefix+name), hr, func(off int64, n int) {
		d.offs = append(d.offs, off)
		d.lens = append(d.lens, uint32(n))
	})
	d.info.elems, d.info.size = len(d.msgs), hr.n
	hr.h.Sum(d.info.sum[:0])
	return d
}

// Head is the channel as Read's archive holds it — Channel, Users and
// Warnings — with no Messages.
func (s *Scanned) Head() *archive.Archive { return s.head }

// Counts are Read's archive's counts.
func (s *Scanned) Counts() archive.Counts { return s.counts }

// Roots is how many top-level messages Read's archive holds, Missing
// parents included.
func (s *Scanned) Roots() int { return int(s.idx.nroots) }

// Count is how many messages and replies the channel holds.
func (s *Scanned) Count() int64 { return s.idx.count() }

// Last is the greatest ts of a message that is not a join or a leave; 0
// when there is none.
func (s *Scanned) Last() archive.TS { return s.last }

// Threaded gives the ts, in order, of each top-level message that has
// replies (Read's Messages that are not Missing and have Replies). It is
// kept in memory, and works after Close.
func (s *Scanned) Threaded() iter.Seq[archive.TS] { return slices.Values(s.threaded) }

// Appendix gives the messages that have files or set the topic, in
// archive.All() order, with file Content attached as Read attaches it,
// and no Replies. They are kept in memory: Scan gave them to visit.
func (s *Scanned) Appendix() []*archive.Message { return s.appendix }

// Close removes the index's temporary file. Threads, Lookup and Stage
// return an error after it; the other methods give what they held.
// Closing again does nothing.
func (s *Scanned) Close() error { return s.idx.close() }

// Threads reads again the top-level messages lo to hi (Read's
// Messages[lo:hi]), each with its replies, as Read gives them: Missing
// parents included, Raw scrubbed of export tokens, file Content attached.
// Each call returns messages of its own.
func (s *Scanned) Threads(lo, hi int) ([]*archive.Message, error) {
	if err := s.idx.open(); err != nil {
		return nil, err
	}
	if lo < 0 || int64(hi) > s.idx.nroots || lo > hi {
		return nil, fmt.Errorf("threads %d to %d of %d", lo, hi, s.idx.nroots)
	}
	roots, end, err := s.idx.roots(int64(lo), int64(hi))
	if err != nil {
		return nil, err
	}
	if len(roots) == 0 {
		return []*archive.Message{}, nil
	}
	replies, err := s.idx.replies(roots[0].first, end)
	if err != nil {
		return nil, err
	}
	var at []int32
	for _, root := range roots {
		if root.msg >= 0 {
			at = append(at, root.msg)
		}
	}
	at = append(at, replies...)
	recs, err := s.idx.recs(at)
	if err != nil {
		return nil, err
	}
	msgs, err := s.read(recs)
	if err != nil {
		return nil, err
	}
	parents, rest := msgs[:len(msgs)-len(replies)], msgs[len(msgs)-len(replies):]
	out := make([]*archive.Message, 0, hi-lo)
	for r, root := range roots {
		var p *archive.Message
		if root.msg >= 0 {
			p, parents = parents[0], parents[1:]
		} else {
			p = &archive.Message{TS: root.ts, ThreadTS: root.ts, Missing: true}
		}
		next := end
		if r+1 < len(roots) {
			next = roots[r+1].first
		}
		if n := int(next - root.first); n > 0 {
			p.Replies, rest = rest[:n:n], rest[n:]
		}
		out = append(out, p)
	}
	return out, nil
}

// Lookup reads again the message with that ts, a reply or not, without its
// replies; nil when the channel holds none (a Missing parent is none).
// During the scan, it finds the messages visited before.
func (s *Scanned) Lookup(ts archive.TS) (*archive.Message, error) {
	rec, ok, err := s.idx.find(ts)
	if err != nil || !ok {
		return nil, err
	}
	msgs, err := s.read([]scanRec{rec})
	if err != nil {
		return nil, err
	}
	return msgs[0], nil
}

// Reads of messages again: the messages wanted from one day file are read
// in runs, a run taking in the bytes between two messages when they are
// fewer than maxGap, up to maxRun bytes. A run's messages share its buffer.
const (
	maxGap = 16 << 10
	maxRun = 1 << 20
)

// read reads again the messages of the given records, in that order.
func (s *Scanned) read(recs []scanRec) ([]*archive.Message, error) {
	out := make([]*archive.Message, len(recs))
	order := make([]int, len(recs))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool {
		x, y := &recs[order[a]], &recs[order[b]]
		return x.day < y.day || x.day == y.day && x.off < y.off
	})
	for start := 0; start < len(order); {
		di := recs[order[start]].day
		end := start
		for end < len(order) && recs[order[end]].day == di {
			end++
		}
		if int(di) >= len(s.days) {
			return nil, s.idx.corrupt(fmt.Sprintf("day file %d of %d", di, len(s.days)))
		}
		if err := s.readDay(di, recs, order[start:end], out); err != nil {
			return nil, err
		}
		start = end
	}
	return out, nil
}

// readDay reads the messages recs[order[...]] of day file di into out.
func (s *Scanned) readDay(di uint32, recs []scanRec, order []int, out []*archive.Message) error {
	name := s.days[di]
	full := path.Join(s.e.src.name, s.e.src.prefix+name)
	f, err := s.e.src.fsys.Open(s.e.src.prefix + name)
	if err != nil {
		return fmt.Errorf("%s: %w", full, err)
	}
	defer f.Close()
	ra, ok := f.(io.ReaderAt)
	if !ok { // a zip's entry
		data, err := s.zipDay(di, f, full)
		if err != nil {
			return err
		}
		ra = bytes.NewReader(data)
	}
	for start := 0; start < len(order); {
		first := &recs[order[start]]
		lo, hi := first.off, first.off+int64(first.size)
		end := start + 1
		for ; end < len(order); end++ {
			m := &recs[order[end]]
			mhi := max(hi, m.off+int64(m.size))
			if m.off-hi > maxGap || mhi-lo > maxRun {
				break
			}
			hi = mhi
		}
		if lo < 0 || hi-lo > maxRun+MaxMessageBytes {
			return s.idx.corrupt(fmt.Sprintf("bytes %d to %d of %s", lo, hi, full))
		}
		buf := make([]byte, hi-lo)
		if _, err := ra.ReadAt(buf, lo); err != nil {
			return fmt.Errorf("%s: bytes %d to %d: %w", full, lo, hi, changed(err))
		}
		for _, o := range order[start:end] {
			r := &recs[o]
			b := buf[r.off-lo : r.off-lo+int64(r.size) : r.off-lo+int64(r.size)]
			m, err := decodeElem(0, r.off, b)
			if err != nil || m.TS != r.ts {
				return fmt.Errorf("%s: byte %d: the message with ts %s %w", full, r.off, r.ts, errChanged)
			}
			scrubFileTokens(m)
			if len(m.Files) > 0 {
				if kept := s.withFile[m.TS]; kept != nil && len(kept.Files) == len(m.Files) {
					for k, f := range m.Files {
						f.Content = kept.Files[k].Content
					}
				}
			}
			out[o] = m
		}
		start = end
	}
	return nil
}

// changed says that a day file read short was changed since it was scanned.
func changed(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return errChanged
	}
	return err
}

// Stage writes the channel as Stage(dir, e.Read(channel), opts) writes it
// with opts.From set to the export e scanned, byte for byte, one day at
// a time: day files that hold exactly what Write would put in them are
// copied, the others encoded from their messages read again, with thread
// parents' replies lists made from the index. opts.From is not used.
// A day file changed since the scan is an error.
func (s *Scanned) Stage(dir string, opts WriteOptions) (*Staged, error) {
	if err := s.idx.open(); err != nil {
		return nil, err
	}
	w := &writer{from: s.e, man: newManifest(&s.head.Channel, s.counts, opts)}
	return stage(dir, w, func() error { return s.writeAll(w) })
}

func (s *Scanned) writeAll(w *writer) error {
	folder, err := w.writeHead(&s.head.Channel, s.head.Users, func() []string { return s.members })
	if err != nil {
		return err
	}
	source := make(map[string]int, len(s.days)) // day file by its name
	for i, d := range s.days {
		source[path.Base(d)] = i
	}
	// The messages of one UTC day, from start, read a block of records at
	// a time.
	var day []scanRec
	start := 0
	var next archive.TS
	flush := func() error {
		if len(day) == 0 {
			return nil
		}
		first, last := day[0].ts, day[len(day)-1].ts
		name := first.Time().Format(time.DateOnly)
		if w.man.First.IsZero() || first < w.man.First {
			w.man.First = first
		}
		w.man.Last = max(w.man.Last, last)
		rel := folder + "/" + name + ".json"
		di, ok := source[name+".json"]
		copied := false
		if ok {
			if copied, err = s.copyDay(w, rel, di, start, day); err != nil {
				return err
			}
		}
		if !copied {
			if err := s.encodeDay(w, rel, start, day); err != nil {
				return err
			}
		}
		start += len(day)
		day = day[:0]
		return nil
	}
	n := s.idx.count()
	for pos := int64(0); pos < n; {
		block, err := s.idx.recRange(pos, min(pos+sparseEvery, n))
		if err != nil {
			return err
		}
		for _, r := range block {
			if len(day) > 0 && r.ts >= next {
				if err := flush(); err != nil {
					return err
				}
			}
			if len(day) == 0 {
				t := r.ts.Time()
				next = archive.TSFromTime(time.Date(t.Year(), t.Month(), t.Day()+1, 0, 0, 0, 0, time.UTC))
			}
			day = append(day, r)
		}
		pos += int64(len(block))
	}
	if err := flush(); err != nil {
		return err
	}
	return w.writeTail(&s.head.Channel, slices.Values(s.appendix))
}

// dayReplies gives the thread parents among the messages start to
// start+len(day) (their indices), with the replies each lists, as Write's
// day files list them, from the index: each reply's ts and poster,
// nothing else read.
func (s *Scanned) dayReplies(start int, day []scanRec) (parents []int32, replies map[int32][]*archive.Message, err error) {
	lo, err := s.idx.rootAtOrAfter(day[0].ts)
	if err != nil {
		return nil, nil, err
	}
	hi, err := s.idx.rootAtOrAfter(day[len(day)-1].ts + 1)
	if err != nil || lo == hi {
		return nil, nil, err
	}
	roots, end, err := s.idx.roots(lo, hi)
	if err != nil {
		return nil, nil, err
	}
	at, err := s.idx.replies(roots[0].first, end)
	if err != nil {
		return nil, nil, err
	}
	recs, err := s.idx.recs(at)
	if err != nil {
		return nil, nil, err
	}
	replies = map[int32][]*archive.Message{}
	for r, root := range roots {
		next := end
		if r+1 < len(roots) {
			next = roots[r+1].first
		}
		if root.msg < 0 || next == root.first {
			continue
		}
		if root.msg < int32(start) || root.msg >= int32(start+len(day)) {
			return nil, nil, s.idx.corrupt(fmt.Sprintf("root %s at message %d, not in %d to %d", root.ts, root.msg, start, start+len(day)))
		}
		stubs := make([]*archive.Message, next-root.first)
		for k, rec := range recs[root.first-roots[0].first : next-roots[0].first] {
			stub := &archive.Message{TS: rec.ts}
			who := rec.who &^ botWho
			if rec.who&topWho != 0 || int(who) >= len(s.names) {
				return nil, nil, s.idx.corrupt(fmt.Sprintf("reply %s posted by %d", rec.ts, rec.who))
			}
			if rec.who&botWho != 0 {
				stub.BotID = s.names[who]
			} else {
				stub.User = s.names[who]
			}
			stubs[k] = stub
		}
		parents = append(parents, root.msg)
		replies[root.msg] = stubs
	}
	return parents, replies, nil
}

// copyDay copies day file di as the day file rel of the messages day,
// from start, when it holds exactly them, as read, and its thread parents
// list their replies as Write would; it reports whether it did. A file
// changed since the scan is not copied.
func (s *Scanned) copyDay(w *writer, rel string, di, start int, day []scanRec) (bool, error) {
	info := s.dayInfo[di]
	if !info.copyable || info.elems != len(day) {
		return false, nil
	}
	for _, r := range day {
		if r.day != uint32(di) {
			return false, nil
		}
	}
	parents, replies, err := s.dayReplies(start, day)
	if err != nil {
		return false, err
	}
	recs := make([]scanRec, len(parents))
	for k, p := range parents {
		recs[k] = day[int(p)-start]
	}
	msgs, err := s.read(recs)
	if err != nil {
		return false, err
	}
	for k, m := range msgs {
		m.Replies = replies[parents[k]]
		if !parentUnchanged(m, m.Raw) {
			return false, nil
		}
	}
	err = w.copyDay(rel, s.e, &dayRead{name: s.days[di], size: info.size, sum: info.sum})
	if errors.Is(err, errChanged) {
		return false, nil
	}
	return err == nil, err
}

// encodeDay writes the messages day, from start, read again, as a day
// file.
func (s *Scanned) encodeDay(w *writer, rel string, start int, day []scanRec) error {
	msgs, err := s.read(day)
	if err != nil {
		return err
	}
	_, replies, err := s.dayReplies(start, day)
	if err != nil {
		return err
	}
	out := make([]dayMessage, len(msgs))
	for k, m := range msgs {
		if r := replies[int32(start+k)]; r != nil {
			m.Replies = r
		}
		out[k] = dayMessage{m}
	}
	return w.file(rel, rawArray(out))
}

// The index's temporary file holds fixed-size records, little-endian:
// first each message's (recSize bytes: ts, offset, day file, length,
// who), written as the scan goes, a block of sparseEvery at a time; then,
// once the scan is done, the replies (4 bytes each: a message's index),
// each root's together and in ts order; then the roots (rootSize bytes:
// ts, message index or -1, start in the replies). In memory are the ts of
// every sparseEvery-th message and root, to find a block by ts, and the
// records not yet written.
const (
	recSize     = 28
	rootSize    = 16
	replySize   = 4
	sparseEvery = 1024
	// recGap: records wanted fewer than recGap apart are read at once.
	recGap = 64
)

type scanRec struct {
	ts             archive.TS
	off            int64
	day, size, who uint32
}

func appendRec(b []byte, r scanRec) []byte {
	b = binary.LittleEndian.AppendUint64(b, uint64(r.ts))
	b = binary.LittleEndian.AppendUint64(b, uint64(r.off))
	b = binary.LittleEndian.AppendUint32(b, r.day)
	b = binary.LittleEndian.AppendUint32(b, r.size)
	return binary.LittleEndian.AppendUint32(b, r.who)
}

func getRec(b []byte) scanRec {
	return scanRec{
		ts:   archive.TS(binary.LittleEndian.Uint64(b)),
		off:  int64(binary.LittleEndian.Uint64(b[8:])),
		day:  binary.LittleEndian.Uint32(b[16:]),
		size: binary.LittleEndian.Uint32(b[20:]),
		who:  binary.LittleEndian.Uint32(b[24:]),
	}
}

func appendRoot(b []byte, r scanRoot) []byte {
	b = binary.LittleEndian.AppendUint64(b, uint64(r.ts))
	b = binary.LittleEndian.AppendUint32(b, uint32(r.msg))
	return binary.LittleEndian.AppendUint32(b, uint32(r.first))
}

func getRoot(b []byte) scanRoot {
	return scanRoot{
		ts:    archive.TS(binary.LittleEndian.Uint64(b)),
		msg:   int32(binary.LittleEndian.Uint32(b[8:])),
		first: int32(binary.LittleEndian.Uint32(b[12:])),
	}
}

// errScanClosed is returned by a Scanned's methods after Close.
var errScanClosed = fmt.Errorf("slackexport: the scanned channel was closed: %w", os.ErrClosed)

// scanIndex is a Scanned's index. Its reads are safe for concurrent use;
// add and group are the scan's.
type scanIndex struct {
	mu   sync.RWMutex
	f    *os.File // nil once closed
	name string

	n      int64        // records
	pend   []byte       // the last n%sparseEvery records, not yet written
	recTS  []archive.TS // the ts of every sparseEvery-th record
	rootTS []archive.TS // the ts of every sparseEvery-th root

	repliesAt, rootsAt int64
	nreplies, nroots   int64
}

func newScanIndex() (*scanIndex, error) {
	f, err := os.CreateTemp("", "wrapup-scan-*")
	if err != nil {
		return nil, fmt.Errorf("scan index: %w", err)
	}
	return &scanIndex{f: f, name: f.Name(), pend: make([]byte, 0, sparseEvery*recSize)}, nil
}

// fail names the index's file in an error reading or writing it.
func (x *scanIndex) fail(err error) error {
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF // the file is shorter than the index
	}
	return fmt.Errorf("scan index %s: %w", x.name, err)
}

// corrupt is the error for an index that holds what it cannot.
func (x *scanIndex) corrupt(what string) error {
	return fmt.Errorf("scan index %s: corrupt: %s", x.name, what)
}

func (x *scanIndex) close() error {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.f == nil {
		return nil
	}
	err := x.f.Close()
	if rerr := os.Remove(x.name); err == nil {
		err = rerr
	}
	x.f, x.pend = nil, nil
	if err != nil {
		return x.fail(err)
	}
	return nil
}

// open is errScanClosed once the index is closed.
func (x *scanIndex) open() error {
	x.mu.RLock()
	defer x.mu.RUnlock()
	if x.f == nil {
		return errScanClosed
	}
	return nil
}

func (x *scanIndex) count() int64 {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.n
}

// add appends a message's record, writing a block when it is full.
func (x *scanIndex) add(r scanRec) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.f == nil {
		return errScanClosed
	}
	if x.n%sparseEvery == 0 {
		x.recTS = append(x.recTS, r.ts)
	}
	x.pend = appendRec(x.pend, r)
	x.n++
	if len(x.pend) == sparseEvery*recSize {
		return x.flush()
	}
	return nil
}

// flush writes the records not yet written; x.mu is held.
func (x *scanIndex) flush() error {
	written := x.n - int64(len(x.pend)/recSize)
	if _, err := x.f.WriteAt(x.pend, written*recSize); err != nil {
		return x.fail(err)
	}
	x.pend = x.pend[:0]
	return nil
}

// recBytes reads the records lo to hi into b; x.mu is held.
func (x *scanIndex) recBytes(b []byte, lo, hi int64) error {
	if x.f == nil {
		return errScanClosed
	}
	if lo < 0 || hi > x.n || lo > hi {
		return x.corrupt(fmt.Sprintf("records %d to %d of %d", lo, hi, x.n))
	}
	b = b[:(hi-lo)*recSize]
	written := x.n - int64(len(x.pend)/recSize)
	if lo < written {
		k := min(hi, written) - lo
		if _, err := x.f.ReadAt(b[:k*recSize], lo*recSize); err != nil {
			return x.fail(err)
		}
		b, lo = b[k*recSize:], lo+k
	}
	if lo < hi {
		copy(b, x.pend[(lo-written)*recSize:])
	}
	return nil
}

// recRange reads the records lo to hi.
func (x *scanIndex) recRange(lo, hi int64) ([]scanRec, error) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	b := make([]byte, max(hi-lo, 0)*recSize)
	if err := x.recBytes(b, lo, hi); err != nil {
		return nil, err
	}
	out := make([]scanRec, hi-lo)
	for i := range out {
		out[i] = getRec(b[i*recSize:])
	}
	return out, nil
}

// recs reads the records at the given positions, in that order, reading
// positions close together at once.
func (x *scanIndex) recs(at []int32) ([]scanRec, error) {
	order := make([]int, len(at))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool { return at[order[a]] < at[order[b]] })
	out := make([]scanRec, len(at))
	x.mu.RLock()
	defer x.mu.RUnlock()
	var buf []byte
	for start := 0; start < len(order); {
		lo := int64(at[order[start]])
		hi := lo + 1
		end := start + 1
		for ; end < len(order); end++ {
			p := int64(at[order[end]])
			if p >= hi+recGap || p+1-lo > sparseEvery {
				break
			}
			hi = max(hi, p+1)
		}
		if need := int((hi - lo) * recSize); cap(buf) < need {
			buf = make([]byte, need)
		}
		if err := x.recBytes(buf, lo, hi); err != nil {
			return nil, err
		}
		for _, o := range order[start:end] {
			out[o] = getRec(buf[(int64(at[o])-lo)*recSize:])
		}
		start = end
	}
	return out, nil
}

// find finds the record of the message with that ts.
func (x *scanIndex) find(ts archive.TS) (scanRec, bool, error) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	if x.f == nil {
		return scanRec{}, false, errScanClosed
	}
	k, _ := slices.BinarySearch(x.recTS, ts+1) // blocks starting at or before ts
	if k == 0 {
		return scanRec{}, false, nil
	}
	lo := int64(k-1) * sparseEvery
	hi := min(lo+sparseEvery, x.n)
	b := make([]byte, (hi-lo)*recSize)
	if err := x.recBytes(b, lo, hi); err != nil {
		return scanRec{}, false, err
	}
	i, ok := sort.Find(int(hi-lo), func(i int) int {
		return cmp.Compare(ts, archive.TS(binary.LittleEndian.Uint64(b[i*recSize:])))
	})
	if !ok {
		return scanRec{}, false, nil
	}
	return getRec(b[i*recSize:]), true, nil
}

// group groups the replies (each its thread ts and message index, in
// message order) under their parents as archive.Thread does, writing the
// roots and the replies, and returns the warnings for parents not found
// and the ts of the top-level messages with replies. It reads the records
// once, in order, and sorts the replies in place.
func (x *scanIndex) group(thread []archive.TS, msg []int32) (warnings []string, threaded []archive.TS, err error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.f == nil {
		return nil, nil, errScanClosed
	}
	if err := x.flush(); err != nil {
		return nil, nil, err
	}
	sort.Sort(byThread{thread, msg})
	x.repliesAt = x.n * recSize
	x.nreplies = int64(len(msg))
	x.rootsAt = x.repliesAt + x.nreplies*replySize
	rw := bufio.NewWriterSize(io.NewOffsetWriter(x.f, x.repliesAt), 64<<10)
	ow := bufio.NewWriterSize(io.NewOffsetWriter(x.f, x.rootsAt), 64<<10)
	rr := bufio.NewReaderSize(io.NewSectionReader(x.f, 0, x.n*recSize), 64<<10)
	var b []byte
	g := 0 // the next reply, in thread order
	// root writes a root and its replies, those of thread[g:] in its thread.
	root := func(ts archive.TS, m int32) error {
		if x.nroots%sparseEvery == 0 {
			x.rootTS = append(x.rootTS, ts)
		}
		x.nroots++
		if _, err := ow.Write(appendRoot(b[:0], scanRoot{ts: ts, msg: m, first: int32(g)})); err != nil {
			return err
		}
		for ; g < len(thread) && thread[g] == ts; g++ {
			if _, err := rw.Write(binary.LittleEndian.AppendUint32(b[:0], uint32(msg[g]))); err != nil {
				return err
			}
		}
		return nil
	}
	type missingParent struct {
		ts    archive.TS
		first int32 // its first reply
	}
	var missing []missingParent
	k := 0 // the threaded ts so far, in thread[:k]
	rec := make([]byte, recSize)
	b = make([]byte, 0, rootSize)
	for i := int64(0); i <= x.n; i++ {
		top, more := archive.TS(0), i < x.n
		if more {
			if _, err := io.ReadFull(rr, rec); err != nil {
				return nil, nil, x.fail(err)
			}
			r := getRec(rec)
			if r.who&topWho == 0 {
				continue
			}
			top = r.ts
		}
		for g < len(thread) && (!more || thread[g] < top) {
			missing = append(missing, missingParent{thread[g], msg[g]})
			if err := root(thread[g], -1); err != nil {
				return nil, nil, x.fail(err)
			}
		}
		if !more {
			break
		}
		if g < len(thread) && thread[g] == top {
			thread[k] = top // k <= g
			k++
		}
		if err := root(top, int32(i)); err != nil {
			return nil, nil, x.fail(err)
		}
	}
	if err := rw.Flush(); err != nil {
		return nil, nil, x.fail(err)
	}
	if err := ow.Flush(); err != nil {
		return nil, nil, x.fail(err)
	}
	// The warnings in the order of the parents' first replies.
	slices.SortFunc(missing, func(a, b missingParent) int { return cmp.Compare(a.first, b.first) })
	for _, m := range missing {
		warnings = append(warnings, fmt.Sprintf("thread %s: parent message not found; its replies are kept", m.ts))
	}
	return warnings, slices.Clone(thread[:k]), nil
}

// byThread sorts replies by thread, then message.
type byThread struct {
	thread []archive.TS
	msg    []int32
}

func (r byThread) Len() int { return len(r.msg) }
func (r byThread) Less(i, j int) bool {
	return r.thread[i] < r.thread[j] || r.thread[i] == r.thread[j] && r.msg[i] < r.msg[j]
}
func (r byThread) Swap(i, j int) {
	r.thread[i], r.thread[j] = r.thread[j], r.thread[i]
	r.msg[i], r.msg[j] = r.msg[j], r.msg[i]
}

// roots reads the roots lo to hi, and where the last one's replies end.
func (x *scanIndex) roots(lo, hi int64) ([]scanRoot, int32, error) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	if x.f == nil {
		return nil, 0, errScanClosed
	}
	if lo < 0 || hi > x.nroots || lo > hi {
		return nil, 0, x.corrupt(fmt.Sprintf("roots %d to %d of %d", lo, hi, x.nroots))
	}
	read := min(hi+1, x.nroots) // the one after, for the end
	b := make([]byte, (read-lo)*rootSize)
	if _, err := x.f.ReadAt(b, x.rootsAt+lo*rootSize); err != nil {
		return nil, 0, x.fail(err)
	}
	all := make([]scanRoot, read-lo)
	for i := range all {
		all[i] = getRoot(b[i*rootSize:])
		r := all[i]
		if r.first < 0 || int64(r.first) > x.nreplies || i > 0 && r.first < all[i-1].first || int64(r.msg) >= x.n || r.msg < -1 {
			return nil, 0, x.corrupt(fmt.Sprintf("root %d", lo+int64(i)))
		}
	}
	end := int32(x.nreplies)
	if read > hi {
		end = all[hi-lo].first
	}
	if len(all) > 0 && all[0].first > end {
		return nil, 0, x.corrupt(fmt.Sprintf("root %d", lo))
	}
	return all[:hi-lo], end, nil
}

// replies reads the replies from first to end.
func (x *scanIndex) replies(first, end int32) ([]int32, error) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	if x.f == nil {
		return nil, errScanClosed
	}
	if first < 0 || first > end || int64(end) > x.nreplies {
		return nil, x.corrupt(fmt.Sprintf("replies %d to %d of %d", first, end, x.nreplies))
	}
	b := make([]byte, int(end-first)*replySize)
	if _, err := x.f.ReadAt(b, x.repliesAt+int64(first)*replySize); err != nil {
		return nil, x.fail(err)
	}
	out := make([]int32, end-first)
	for i := range out {
		out[i] = int32(binary.LittleEndian.Uint32(b[i*replySize:]))
		if out[i] < 0 || int64(out[i]) >= x.n {
			return nil, x.corrupt(fmt.Sprintf("reply %d is message %d of %d", int64(first)+int64(i), out[i], x.n))
		}
	}
	return out, nil
}

// rootAtOrAfter is the position of the first root whose ts is ts or
// later; Roots() when there is none.
func (x *scanIndex) rootAtOrAfter(ts archive.TS) (int64, error) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	if x.f == nil {
		return 0, errScanClosed
	}
	k, _ := slices.BinarySearch(x.rootTS, ts) // blocks starting before ts
	if k == 0 {
		return 0, nil
	}
	lo := int64(k-1) * sparseEvery
	hi := min(lo+sparseEvery, x.nroots)
	b := make([]byte, (hi-lo)*rootSize)
	if _, err := x.f.ReadAt(b, x.rootsAt+lo*rootSize); err != nil {
		return 0, x.fail(err)
	}
	i := sort.Search(int(hi-lo), func(i int) bool {
		return archive.TS(binary.LittleEndian.Uint64(b[i*rootSize:])) >= ts
	})
	return lo + int64(i), nil
}
