package slackexport

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/wrapup/wrapup/archive"
)

// Export is an opened Slack workspace export, a zip or a folder. It lists
// the export's conversations and reads one at a time, decoding only that
// conversation's day files.
type Export struct {
	src      *source
	channels []entry

	mu       sync.Mutex
	copies   map[*archive.Archive]*readDays // what Read read, for Write's copy (copy.go)
	allUsers []*archive.User                // what Users read
}

// entry is one conversation listed by channels.json, groups.json, mpims.json
// or dms.json.
type entry struct {
	ID, Name string
	list     string // the listing file it came from
	folder   string // where its day files are
	raw      json.RawMessage
}

// ChannelInfo names a conversation of the export.
type ChannelInfo struct {
	ID, Name string
	Private  bool
}

var listings = []string{"channels.json", "groups.json", "mpims.json", "dms.json"}

// Open opens the export at p and reads its list of conversations.
func Open(p string, opts Options) (*Export, error) {
	src, err := openSource(p, opts)
	if err != nil {
		return nil, err
	}
	e := &Export{src: src}
	for _, list := range listings {
		if !src.exists(list) {
			continue
		}
		err := src.eachElem(list, "entry", func(i int, off int64, raw []byte) error {
			var id struct{ ID, Name string }
			if err := json.Unmarshal(raw, &id); err != nil {
				return elemError(off, "entry", i, err)
			}
			if id.ID == "" {
				return fmt.Errorf("entry %d: no channel id", i)
			}
			folder := id.Name
			if list == "dms.json" || folder == "" {
				folder = id.ID
			}
			e.channels = append(e.channels, entry{ID: id.ID, Name: id.Name, list: list, folder: folder, raw: raw})
			return nil
		})
		if err != nil {
			src.Close()
			return nil, err
		}
	}
	return e, nil
}

// Close releases the export's file.
func (e *Export) Close() error { return e.src.Close() }

// Channels lists the export's conversations.
func (e *Export) Channels() []ChannelInfo {
	out := make([]ChannelInfo, len(e.channels))
	for i, c := range e.channels {
		out[i] = ChannelInfo{ID: c.ID, Name: c.Name, Private: c.list != "channels.json"}
	}
	return out
}

// ReadChannel opens the export at p, reads one channel and closes it.
func ReadChannel(p, channel string, opts Options) (*archive.Archive, error) {
	e, err := Open(p, opts)
	if err != nil {
		return nil, err
	}
	defer e.Close()
	return e.Read(channel)
}

// Read reads one conversation, named by ID or name (with or without '#').
func (e *Export) Read(channel string) (*archive.Archive, error) {
	ent, a, err := e.head(channel)
	if err != nil {
		return nil, err
	}
	days, flat, err := e.readDays(ent.folder)
	if err != nil {
		return nil, err
	}
	a.Messages, a.Warnings = archive.Thread(flat)
	e.mu.Lock()
	if e.copies == nil {
		e.copies = map[*archive.Archive]*readDays{}
	}
	e.copies[a] = days
	e.mu.Unlock()
	if err := e.readUsers(a); err != nil {
		return nil, err
	}
	if err := e.readFileContents(a, ent.folder); err != nil {
		return nil, err
	}
	return a, nil
}

// head finds a conversation, named as Read names it, and returns its
// listing entry and an archive holding its channel alone, as its listing
// gives it.
func (e *Export) head(channel string) (*entry, *archive.Archive, error) {
	ent, err := e.find(channel)
	if err != nil {
		return nil, nil, err
	}
	a := &archive.Archive{}
	if err := json.Unmarshal(ent.raw, &a.Channel); err != nil {
		return nil, nil, fmt.Errorf("%s: channel %s: %w", path.Join(e.src.name, e.src.prefix+ent.list), ent.ID, err)
	}
	if ent.list != "channels.json" && ent.list != "dms.json" {
		a.Channel.Private = true
	}
	return ent, a, nil
}

func (e *Export) find(channel string) (*entry, error) {
	want := strings.TrimPrefix(channel, "#")
	var byName []*entry
	for i := range e.channels {
		if e.channels[i].ID == want {
			return &e.channels[i], nil
		}
		if e.channels[i].Name == want {
			byName = append(byName, &e.channels[i])
		}
	}
	switch len(byName) {
	case 1:
		return byName[0], nil
	case 0:
	default:
		// An export can hold two channels of one name (a public one and a
		// private one, or one renamed since): never pick one silently.
		ids := make([]string, len(byName))
		for i, c := range byName {
			ids[i] = c.ID
		}
		return nil, fmt.Errorf("%s: %w: %d channels are named %q (%s): name one by its ID with --channel",
			e.src.name, ErrAmbiguous, len(byName), want, strings.Join(ids, ", "))
	}
	names := make([]string, 0, 10)
	for _, c := range e.channels {
		if len(names) == 10 {
			names = append(names, "…")
			break
		}
		names = append(names, c.Name+" ("+c.ID+")")
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("%s: channel %q not found: the export lists no channels", e.src.name, channel)
	}
	return nil, fmt.Errorf("%s: channel %q not found; the export has %s", e.src.name, channel, strings.Join(names, ", "))
}

var dayFile = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}\.json$`)

// maxDayReaders bounds how many day files are read at once: each holds a
// read buffer and at most one message in flight.
const maxDayReaders = 4

// readDays decodes a channel's day files into one flat list. Their declared
// sizes are charged to the budget before any is read, so an export that
// declares more than it may hold is refused up front; a few are read at a
// time.
func (e *Export) readDays(folder string) (*readDays, []*archive.Message, error) {
	days, sizes, err := e.dayFiles(folder)
	if err != nil {
		return nil, nil, err
	}
	perDay := make([]*dayRead, len(days))
	errs := make([]error, len(days))
	var wg sync.WaitGroup
	next := make(chan int)
	for range min(runtime.GOMAXPROCS(0), maxDayReaders, max(len(days), 1)) {
		wg.Go(func() {
			for i := range next {
				perDay[i], errs[i] = e.readDay(folder+"/"+days[i], sizes[i])
			}
		})
	}
	for i := range days {
		next <- i
	}
	close(next)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, nil, err
	}
	var n int
	for _, d := range perDay {
		n += len(d.msgs)
	}
	flat := make([]*archive.Message, 0, n)
	rd := &readDays{folder: folder, days: make(map[string]*dayRead, len(days))}
	for i, d := range perDay {
		flat = append(flat, d.msgs...)
		rd.days[days[i]] = d
	}
	return rd, flat, nil
}

// dayFiles lists a channel's day files in date order, with their declared
// sizes, and charges those sizes to the budget before any is read.
func (e *Export) dayFiles(folder string) (days []string, sizes []int64, err error) {
	entries, err := e.src.readDir(folder)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path.Join(e.src.name, folder), err)
	}
	for _, d := range entries {
		if !d.IsDir() && dayFile.MatchString(d.Name()) {
			days = append(days, d.Name())
		}
	}
	sort.Strings(days)
	sizes = make([]int64, len(days))
	var total int64
	for i, d := range days {
		if sizes[i], err = e.src.size(folder + "/" + d); err != nil {
			return nil, nil, err
		}
		total += sizes[i]
	}
	if err := e.src.charge(folder, total); err != nil {
		return nil, nil, err
	}
	return days, sizes, nil
}

// readDay decodes one day file as it is read, message by message: peak
// memory follows the messages, not the file's size. declared is its size
// as the zip or the folder gives it, already charged to the budget.
// The file's size and sha256 are taken as it is read, for Write's copy.
func (e *Export) readDay(name string, declared int64) (*dayRead, error) {
	full := path.Join(e.src.name, e.src.prefix+name)
	f, err := e.src.openCharged(name, declared)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	hr := &hashingReader{r: f, h: sha256.New()}
	d := &dayRead{name: name}
	if d.msgs, d.copyable, err = decodeDayStream(full, hr); err != nil {
		return nil, err
	}
	d.size = hr.n
	hr.h.Sum(d.sum[:0])
	if d.copyable {
		d.raws = make([]json.RawMessage, len(d.msgs))
		for i, m := range d.msgs {
			d.raws[i] = m.Raw
		}
	}
	return d, nil
}

// decodeDay decodes one day file's bytes; file names it in errors.
func decodeDay(full string, data []byte) ([]*archive.Message, error) {
	msgs, _, err := decodeDayStream(full, bytes.NewReader(data))
	return msgs, err
}

// decodeDayStream decodes a day file read from r; file names it in
// errors. Each message's Raw is a slice of its own. kept says that every
// message's Raw holds its bytes as read (no export token was scrubbed).
func decodeDayStream(full string, r io.Reader) (msgs []*archive.Message, kept bool, err error) {
	return decodeDayStreamAt(full, r, nil)
}

// decodeDayStreamAt is decodeDayStream, calling at (when not nil) with
// each message's byte offset in the file and its length, as read.
func decodeDayStreamAt(full string, r io.Reader, at func(off int64, n int)) (msgs []*archive.Message, kept bool, err error) {
	kept = true
	err = scanArray(r, "message", MaxMessageBytes, func(i int, off int64, elem []byte) error {
		m, err := decodeElem(i, off, elem)
		if err != nil {
			return err
		}
		if at != nil {
			at(off, len(elem))
		}
		if scrubFileTokens(m) {
			kept = false
		}
		msgs = append(msgs, m)
		return nil
	})
	if errors.Is(err, ErrTooLarge) {
		return nil, false, err // the budget's error names the file
	}
	if err != nil {
		return nil, false, fmt.Errorf("%s: %w", full, err)
	}
	return msgs, kept, nil
}

// decodeElem decodes message i of a day file, found at byte off; the
// message aliases elem.
func decodeElem(i int, off int64, elem []byte) (*archive.Message, error) {
	m, err := archive.DecodeMessage(elem)
	if err != nil {
		var syn *json.SyntaxError
		if errors.As(err, &syn) {
			return nil, fmt.Errorf("byte %d: malformed JSON in message %d: %w", off+syn.Offset, i, err)
		}
		var probe struct{ TS any }
		_ = json.Unmarshal(elem, &probe)
		return nil, fmt.Errorf("message %d (ts %v): %w", i, probe.TS, err)
	}
	if m.TS == 0 {
		return nil, fmt.Errorf("message %d: no ts", i)
	}
	return m, nil
}

// exportToken matches the credential Slack appends to file URLs in exports
// (?t=xoxe-… or ?token=xoxe-…). It is a live secret: never kept or logged.
var exportToken = regexp.MustCompile(`([?&](?:t|token)=)xox[a-zA-Z]-[^"&\s\\]*`)

// scrubFileTokens removes export tokens from a message's file URLs, in
// the typed fields and in Raw, and reports whether it may have changed Raw.
func scrubFileTokens(m *archive.Message) bool {
	if len(m.Files) == 0 || !bytes.Contains(m.Raw, []byte("xox")) {
		return false
	}
	m.Raw = exportToken.ReplaceAll(m.Raw, []byte("${1}REDACTED"))
	for _, f := range m.Files {
		for _, u := range []*string{&f.URLPrivate, &f.URLPrivateDownload, &f.Permalink} {
			*u = exportToken.ReplaceAllString(*u, "${1}REDACTED")
		}
	}
	return true
}

// readUsers keeps the users the channel references, from users.json or
// org_users.json. Only those users are decoded in full.
func (e *Export) readUsers(a *archive.Archive) error {
	users, err := e.usersWanted(archive.ReferencedUsers(a))
	if err != nil {
		return err
	}
	a.Users = users
	return nil
}

// Users returns every user of the export's users.json (org_users.json when
// there is none), decoded in full and sorted by ID — the users a channel's
// messages may name, before it is known which ones they name. Of two users
// with one ID the first is kept, as Read keeps it. Errors name the file
// and element, as Read's do.
//
// The users are kept: a Scan after them takes the channel's users from
// them, and does not read (or charge) the file again.
func (e *Export) Users() ([]*archive.User, error) {
	users, err := e.usersWanted(nil)
	if err == nil {
		e.mu.Lock()
		e.allUsers = users
		e.mu.Unlock()
	}
	return users, err
}

// channelUsers are the users of wanted, in full and sorted by ID: from
// the users Users read, or else from the file.
func (e *Export) channelUsers(wanted map[string]bool) ([]*archive.User, error) {
	e.mu.Lock()
	all := e.allUsers
	e.mu.Unlock()
	if all == nil {
		return e.usersWanted(wanted)
	}
	var users []*archive.User
	for _, u := range all {
		if wanted[u.ID] {
			users = append(users, u)
		}
	}
	return users, nil
}

// usersWanted decodes in full the users of users.json (or org_users.json)
// whose ID is in wanted, or every user when wanted is nil: the first of
// each ID, sorted by ID. wanted is emptied of those found.
func (e *Export) usersWanted(wanted map[string]bool) ([]*archive.User, error) {
	list := "users.json"
	if !e.src.exists(list) {
		list = "org_users.json"
		if !e.src.exists(list) {
			return nil, nil
		}
	}
	all := wanted == nil
	seen := map[string]bool{}
	var users []*archive.User
	err := e.src.eachElem(list, "user", func(i int, off int64, raw []byte) error {
		var id struct{ ID string }
		if err := json.Unmarshal(raw, &id); err != nil {
			return elemError(off, "user", i, err)
		}
		if all {
			if seen[id.ID] {
				return nil
			}
			seen[id.ID] = true
		} else if !wanted[id.ID] {
			return nil
		}
		u := new(archive.User)
		if err := json.Unmarshal(raw, u); err != nil {
			return fmt.Errorf("user %d (%s): %w", i, id.ID, err)
		}
		users = append(users, u)
		delete(wanted, id.ID)
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(users, func(x, y *archive.User) int { return strings.Compare(x.ID, y.ID) })
	return users, nil
}
