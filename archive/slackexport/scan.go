package slackexport

import (
	"archive/zip"
	"cmp"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
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
// keeps a compact index of where each message is — its day file, byte
// offset and length — from which Scanned reads threads again when they
// are needed. Memory follows a few day files, not the channel.

// ErrUnordered is wrapped by Scan's error when a message's ts is below the
// one visited before it: a day file out of order, or a message filed under
// another day. Read accepts such an export; Scan cannot visit it in order.
var ErrUnordered = errors.New("messages are not in ts order from one day file to the next")

// ErrNotSeekable is wrapped by Scan's error for a zip export: Scan reads
// messages again by offset, which needs a folder.
var ErrNotSeekable = errors.New("the export is a zip: its messages cannot be read again by offset (read it whole, or extract it)")

// Scanned is a channel as Scan indexed it. Its methods give what Read's
// archive holds, reading messages again from the day files as they are
// asked for; it needs the Export open. Its methods are safe for
// concurrent use.
type Scanned struct {
	e      *Export
	days   []string // day files, as paths under the export's root
	head   *archive.Archive
	counts archive.Counts
	count  int64
	last   archive.TS

	// Every message kept (duplicates dropped), in ts order: its ts, day
	// file (an index in days), byte offset in it and length.
	ts   []archive.TS
	day  []uint32
	off  []int64
	size []uint32

	// roots are the top-level messages and Missing parents in ts order;
	// replies holds message indices, each root's replies together and in
	// ts order from roots[i].first to roots[i+1].first.
	roots   []scanRoot
	replies []int32

	appendix []*archive.Message
	withFile map[archive.TS]*archive.Message // appendix messages with files: their Content

	// For Stage: each day file as it was read, who posted each reply
	// (an index in names, with botWho set for a bot_id), and the members
	// the messages show.
	dayInfo []scanDayInfo
	who     []uint32
	names   []string
	members []string
}

// scanDayInfo is what Stage needs to copy a day file as it was read.
type scanDayInfo struct {
	elems    int // messages in the file, duplicates included
	copyable bool
	size     int64
	sum      [sha256.Size]byte
}

// botWho marks a reply's poster as its bot_id (it has no user).
const botWho = 1 << 31

type scanRoot struct {
	ts    archive.TS
	msg   int32 // index of the message, -1 for a Missing parent
	first int32 // its replies' start in replies
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
// keeps, the index (some 40 bytes a message) and the messages Appendix
// gives. visit gets the Scanned being built as well: its Head's Channel
// is there from the first message, and Lookup finds the messages visited
// before (a pinned message, for the notice that it was pinned).
//
// It returns an error wrapping ErrUnordered, after having called visit
// with some messages, when a message's ts is below the one visited before
// it, so that the caller can fall back to Read; an error wrapping
// ErrNotSeekable, before reading any day file, for a zip export. Bad day
// files give the errors Read gives. An error from visit is returned as it
// is.
func (e *Export) Scan(channel string, visit func(m *archive.Message, s *Scanned) error) (*Scanned, error) {
	ent, err := e.find(channel)
	if err != nil {
		return nil, err
	}
	head := &archive.Archive{}
	if err := json.Unmarshal(ent.raw, &head.Channel); err != nil {
		return nil, fmt.Errorf("%s: channel %s: %w", path.Join(e.src.name, e.src.prefix+ent.list), ent.ID, err)
	}
	if ent.list != "channels.json" && ent.list != "dms.json" {
		head.Channel.Private = true
	}
	if _, ok := e.src.fsys.(*zip.Reader); ok {
		return nil, fmt.Errorf("%s: %w", e.src.name, ErrNotSeekable)
	}
	days, sizes, err := e.dayFiles(ent.folder)
	if err != nil {
		return nil, err
	}
	s := &Scanned{e: e, head: head, days: make([]string, len(days)), dayInfo: make([]scanDayInfo, len(days))}
	for i, d := range days {
		s.days[i] = ent.folder + "/" + d
	}
	wanted := archive.ReferencedUsers(&archive.Archive{Channel: head.Channel})
	var dups []string
	var thread []archive.TS // each message's ThreadTS when it is a reply, else 0
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
			if n := len(s.ts); n > 0 {
				switch prev := s.ts[n-1]; {
				case m.TS == prev:
					dups = append(dups, fmt.Sprintf("message %s appears more than once; kept the first", m.TS))
					d.msgs[j] = nil
					continue
				case m.TS < prev:
					return fmt.Errorf("%s: message %d (ts %s) comes after ts %s: %w",
						path.Join(e.src.name, e.src.prefix+s.days[di]), j, m.TS, prev, ErrUnordered)
				}
			}
			s.ts = append(s.ts, m.TS)
			s.day = append(s.day, uint32(di))
			s.off = append(s.off, d.offs[j])
			s.size = append(s.size, d.lens[j])
			var who uint32
			if m.IsReply() {
				thread = append(thread, m.ThreadTS)
				s.counts.Replies++
				if m.User != "" {
					who = intern(m.User)
				} else {
					who = intern(m.BotID) | botWho
				}
			} else {
				thread = append(thread, 0)
				s.counts.Messages++
			}
			s.who = append(s.who, who)
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
		return nil, err
	}
	s.count = int64(len(s.ts))
	for _, u := range posters {
		if member[u] {
			s.members = append(s.members, u)
		}
	}
	slices.Sort(s.members)
	orphans := s.thread(thread)
	if len(dups)+len(orphans) > 0 {
		head.Warnings = append(dups, orphans...)
	}
	if head.Users, err = e.channelUsers(wanted); err != nil {
		return nil, err
	}
	s.counts.Users = len(head.Users)
	s.counts.Files = len(files)
	s.head = head
	// The appendix in All() order: each top-level message, then its replies.
	slices.SortStableFunc(s.appendix, func(a, b *archive.Message) int {
		return cmp.Or(cmp.Compare(threadOf(a), threadOf(b)), cmp.Compare(b2i(a.IsReply()), b2i(b.IsReply())), cmp.Compare(a.TS, b.TS))
	})
	if err := e.readFileContents(&archive.Archive{Messages: s.appendix}, ent.folder); err != nil {
		return nil, err
	}
	for _, m := range s.appendix {
		if len(m.Files) > 0 {
			if s.withFile == nil {
				s.withFile = map[archive.TS]*archive.Message{}
			}
			s.withFile[m.TS] = m
		}
	}
	return s, nil
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

// thread groups the replies under their parents as archive.Thread does,
// from each message's thread ts (0 for a top-level message), and returns
// the warnings for parents not found.
func (s *Scanned) thread(thread []archive.TS) (warnings []string) {
	for i, th := range thread {
		if th == 0 {
			s.roots = append(s.roots, scanRoot{ts: s.ts[i], msg: int32(i)})
		}
	}
	real := len(s.roots)
	missing := map[archive.TS]bool{}
	for _, th := range thread {
		if th == 0 {
			continue
		}
		if _, ok := slices.BinarySearchFunc(s.roots[:real], th, byRootTS); ok || missing[th] {
			continue
		}
		missing[th] = true
		s.roots = append(s.roots, scanRoot{ts: th, msg: -1})
		warnings = append(warnings, fmt.Sprintf("thread %s: parent message not found; its replies are kept", th))
	}
	if len(missing) > 0 {
		slices.SortFunc(s.roots, func(a, b scanRoot) int { return cmp.Compare(a.ts, b.ts) })
	}
	// Count each root's replies, then place them, in ts order.
	at := make([]int32, 0, len(thread)-real)
	counts := make([]int32, len(s.roots)+1)
	for _, th := range thread {
		if th != 0 {
			r, _ := slices.BinarySearchFunc(s.roots, th, byRootTS)
			at = append(at, int32(r))
			counts[r+1]++
		}
	}
	for r := range s.roots {
		counts[r+1] += counts[r]
		s.roots[r].first = counts[r]
	}
	s.replies = make([]int32, len(at))
	k := 0
	for i, th := range thread {
		if th != 0 {
			r := at[k]
			s.replies[counts[r]] = int32(i)
			counts[r]++
			k++
		}
	}
	return warnings
}

func byRootTS(r scanRoot, ts archive.TS) int { return cmp.Compare(r.ts, ts) }

// Head is the channel as Read's archive holds it — Channel, Users and
// Warnings — with no Messages.
func (s *Scanned) Head() *archive.Archive { return s.head }

// Counts are Read's archive's counts.
func (s *Scanned) Counts() archive.Counts { return s.counts }

// Roots is how many top-level messages Read's archive holds, Missing
// parents included.
func (s *Scanned) Roots() int { return len(s.roots) }

// Count is how many messages and replies the channel holds.
func (s *Scanned) Count() int64 { return s.count }

// Last is the greatest ts of a message that is not a join or a leave; 0
// when there is none.
func (s *Scanned) Last() archive.TS { return s.last }

// Appendix gives the messages that have files or set the topic, in
// archive.All() order, with file Content attached as Read attaches it,
// and no Replies. They are kept in memory: Scan gave them to visit.
func (s *Scanned) Appendix() []*archive.Message { return s.appendix }

// Threads reads again the top-level messages lo to hi (Read's
// Messages[lo:hi]), each with its replies, as Read gives them: Missing
// parents included, Raw scrubbed of export tokens, file Content attached.
// Each call returns messages of its own.
func (s *Scanned) Threads(lo, hi int) ([]*archive.Message, error) {
	if lo < 0 || hi > len(s.roots) || lo > hi {
		return nil, fmt.Errorf("threads %d to %d of %d", lo, hi, len(s.roots))
	}
	var idx []int32
	for r := lo; r < hi; r++ {
		if m := s.roots[r].msg; m >= 0 {
			idx = append(idx, m)
		}
		idx = append(idx, s.replies[s.roots[r].first:s.repliesEnd(r)]...)
	}
	msgs, err := s.read(idx)
	if err != nil {
		return nil, err
	}
	out := make([]*archive.Message, 0, hi-lo)
	k := 0
	for r := lo; r < hi; r++ {
		root := s.roots[r]
		var p *archive.Message
		if root.msg >= 0 {
			p = msgs[k]
			k++
		} else {
			p = &archive.Message{TS: root.ts, ThreadTS: root.ts, Missing: true}
		}
		if n := int(s.repliesEnd(r) - root.first); n > 0 {
			p.Replies = msgs[k : k+n : k+n]
			k += n
		}
		out = append(out, p)
	}
	return out, nil
}

func (s *Scanned) repliesEnd(r int) int32 {
	if r+1 < len(s.roots) {
		return s.roots[r+1].first
	}
	return int32(len(s.replies))
}

// Lookup reads again the message with that ts, a reply or not, without its
// replies; nil when the channel holds none (a Missing parent is none).
func (s *Scanned) Lookup(ts archive.TS) (*archive.Message, error) {
	i, ok := slices.BinarySearch(s.ts, ts)
	if !ok {
		return nil, nil
	}
	msgs, err := s.read([]int32{int32(i)})
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

// read reads again the messages of the given indices, in that order.
func (s *Scanned) read(idx []int32) ([]*archive.Message, error) {
	out := make([]*archive.Message, len(idx))
	order := make([]int, len(idx))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool {
		x, y := idx[order[a]], idx[order[b]]
		return s.day[x] < s.day[y] || s.day[x] == s.day[y] && s.off[x] < s.off[y]
	})
	for start := 0; start < len(order); {
		di := s.day[idx[order[start]]]
		end := start
		for end < len(order) && s.day[idx[order[end]]] == di {
			end++
		}
		if err := s.readDay(di, idx, order[start:end], out); err != nil {
			return nil, err
		}
		start = end
	}
	return out, nil
}

// readDay reads the messages idx[order[...]] of day file di into out.
func (s *Scanned) readDay(di uint32, idx []int32, order []int, out []*archive.Message) error {
	name := s.days[di]
	full := path.Join(s.e.src.name, s.e.src.prefix+name)
	f, err := s.e.src.fsys.Open(s.e.src.prefix + name)
	if err != nil {
		return fmt.Errorf("%s: %w", full, err)
	}
	defer f.Close()
	ra, ok := f.(io.ReaderAt)
	if !ok {
		return fmt.Errorf("%s: %w", full, ErrNotSeekable)
	}
	for start := 0; start < len(order); {
		first := idx[order[start]]
		lo, hi := s.off[first], s.off[first]+int64(s.size[first])
		end := start + 1
		for ; end < len(order); end++ {
			m := idx[order[end]]
			mhi := max(hi, s.off[m]+int64(s.size[m]))
			if s.off[m]-hi > maxGap || mhi-lo > maxRun {
				break
			}
			hi = mhi
		}
		buf := make([]byte, hi-lo)
		if _, err := ra.ReadAt(buf, lo); err != nil {
			return fmt.Errorf("%s: bytes %d to %d: %w", full, lo, hi, changed(err))
		}
		for _, o := range order[start:end] {
			i := idx[o]
			b := buf[s.off[i]-lo : s.off[i]-lo+int64(s.size[i]) : s.off[i]-lo+int64(s.size[i])]
			m, err := decodeElem(0, s.off[i], b)
			if err != nil || m.TS != s.ts[i] {
				return fmt.Errorf("%s: byte %d: the message with ts %s %w", full, s.off[i], s.ts[i], errChanged)
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
	for start := 0; start < len(s.ts); {
		t := s.ts[start].Time()
		next := archive.TSFromTime(time.Date(t.Year(), t.Month(), t.Day()+1, 0, 0, 0, 0, time.UTC))
		end := start + 1
		for end < len(s.ts) && s.ts[end] < next {
			end++
		}
		day := t.Format(time.DateOnly)
		if w.man.First.IsZero() || s.ts[start] < w.man.First {
			w.man.First = s.ts[start]
		}
		w.man.Last = max(w.man.Last, s.ts[end-1])
		rel := folder + "/" + day + ".json"
		di, ok := source[day+".json"]
		copied := false
		if ok {
			if copied, err = s.copyDay(w, rel, di, start, end); err != nil {
				return err
			}
		}
		if !copied {
			if err := s.encodeDay(w, rel, start, end); err != nil {
				return err
			}
		}
		start = end
	}
	return w.writeTail(&s.head.Channel, slices.Values(s.appendix))
}

// indexRange lists the message indices from start to end.
func indexRange(start, end int) []int32 {
	idx := make([]int32, 0, end-start)
	for i := start; i < end; i++ {
		idx = append(idx, int32(i))
	}
	return idx
}

// withReplies lists m's replies on it, as Write's day files list them,
// from the index: each reply's ts and poster, nothing else read.
func (s *Scanned) withReplies(m *archive.Message, i int32) {
	r, ok := slices.BinarySearchFunc(s.roots, m.TS, byRootTS)
	if !ok || s.roots[r].msg != i {
		return
	}
	replies := s.replies[s.roots[r].first:s.repliesEnd(r)]
	if len(replies) == 0 {
		return
	}
	m.Replies = make([]*archive.Message, len(replies))
	for k, ri := range replies {
		stub := &archive.Message{TS: s.ts[ri]}
		if who := s.who[ri]; who&botWho != 0 {
			stub.BotID = s.names[who&^botWho]
		} else {
			stub.User = s.names[who]
		}
		m.Replies[k] = stub
	}
}

// copyDay copies day file di as the day file rel of messages start to end
// when it holds exactly them, as read, and its thread parents list their
// replies as Write would; it reports whether it did. A file changed since
// the scan is not copied.
func (s *Scanned) copyDay(w *writer, rel string, di, start, end int) (bool, error) {
	info := s.dayInfo[di]
	if !info.copyable || info.elems != end-start {
		return false, nil
	}
	var parents []int32
	for i := start; i < end; i++ {
		if s.day[i] != uint32(di) {
			return false, nil
		}
		if r, ok := slices.BinarySearchFunc(s.roots, s.ts[i], byRootTS); ok && s.roots[r].msg == int32(i) && s.repliesEnd(r) > s.roots[r].first {
			parents = append(parents, int32(i))
		}
	}
	msgs, err := s.read(parents)
	if err != nil {
		return false, err
	}
	for k, m := range msgs {
		s.withReplies(m, parents[k])
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

// encodeDay writes the messages start to end, read again, as a day file.
func (s *Scanned) encodeDay(w *writer, rel string, start, end int) error {
	idx := indexRange(start, end)
	msgs, err := s.read(idx)
	if err != nil {
		return err
	}
	out := make([]dayMessage, len(msgs))
	for k, m := range msgs {
		s.withReplies(m, idx[k])
		out[k] = dayMessage{m}
	}
	return w.file(rel, rawArray(out))
}
