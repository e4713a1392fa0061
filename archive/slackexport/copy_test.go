package slackexport

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wrapup/wrapup/archive"
)

// copyExport is a Slack export of one channel over two days, pretty
// printed as Slack's own exports are: day 1 holds a thread parent that
// lists its reply as Write would, day 2 the reply and a message with
// nothing Write would change.
func copyExport(t *testing.T, day1, day2 string) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"channels.json":       `[{"id":"C1","name":"c","members":["U1"]}]`,
		"users.json":          `[{"id":"U1","name":"ann"}]`,
		"c/2026-01-01.json":   day1,
		"c/2026-01-02.json":   day2,
		"c/attachments/.keep": "",
	}
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const (
	copyDay1 = "[\n  {\"ts\": \"1767225600.000100\", \"user\": \"U1\", \"text\": \"parent\",\n   \"thread_ts\": \"1767225600.000100\", \"reply_count\": 1, \"reply_users\": [\"U1\"],\n   \"replies\":[{\"user\":\"U1\",\"ts\":\"1767312000.000200\"}]}\n]"
	copyDay2 = "[   {\"ts\": \"1767312000.000200\", \"user\": \"U1\", \"text\": \"reply\", \"thread_ts\": \"1767225600.000100\"} ,\n\n {\"ts\":\"1767312001.000300\",\"user\":\"U1\",\"text\":\"later\"}\n]"
)

// writeFrom reads channel c of the export at src and writes it to a new
// archive folder, copying from the export when from is set; it returns the
// folder and the manifest.
func writeFrom(t *testing.T, src string, from bool, change func()) (string, *Manifest) {
	t.Helper()
	exp, err := Open(src, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer exp.Close()
	a, err := exp.Read("c")
	if err != nil {
		t.Fatal(err)
	}
	if change != nil {
		change()
	}
	opts := WriteOptions{}
	if from {
		opts.From = exp
	}
	dir := filepath.Join(t.TempDir(), "archive")
	man, err := Write(dir, a, opts)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Verify(dir, nil); err != nil {
		t.Fatal(err)
	}
	return dir, man
}

func readDayFile(t *testing.T, dir, day string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "c", day+".json"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestWriteCopiesDayFiles: a day file that holds what Write would write
// is copied byte for byte, its whitespace included, and the manifest has
// its sha256; the messages read back are those Write gives without the
// copy.
func TestWriteCopiesDayFiles(t *testing.T) {
	src := copyExport(t, copyDay1, copyDay2)
	copied, man := writeFrom(t, src, true, nil)
	encoded, _ := writeFrom(t, src, false, nil)
	for day, want := range map[string]string{"2026-01-01": copyDay1, "2026-01-02": copyDay2} {
		got := readDayFile(t, copied, day)
		if got != want {
			t.Errorf("%s: copied as\n%s\nwant the input's bytes\n%s", day, got, want)
		}
		sum := sha256.Sum256([]byte(want))
		if s := man.Files["c/"+day+".json"]; s != hex.EncodeToString(sum[:]) {
			t.Errorf("%s: manifest sha256 %s, want the input's", day, s)
		}
		if readDayFile(t, encoded, day) == want {
			t.Errorf("%s: without From the day was not encoded again; the test proves nothing", day)
		}
	}
	a, err := ReadChannel(copied, "c", Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := ReadChannel(encoded, "c", Options{})
	if err != nil {
		t.Fatal(err)
	}
	var am, bm []string
	for m := range a.All() {
		am = append(am, string(m.Raw))
	}
	for m := range b.All() {
		bm = append(bm, string(m.Raw))
	}
	if strings.Join(am, "\n") != strings.Join(bm, "\n") {
		t.Errorf("copied messages\n%s\nwant\n%s", am, bm)
	}
}

// TestWriteEncodesWhatDiffers: a day file is encoded again when copying
// it would not give what Write writes: a parent without its replies
// listed, a message whose export token was scrubbed, a message the
// archive dropped or changed, a file changed since it was read.
func TestWriteEncodesWhatDiffers(t *testing.T) {
	noList := strings.Replace(copyDay1, `,
   "replies":[{"user":"U1","ts":"1767312000.000200"}]`, "", 1)
	token := strings.Replace(copyDay2, `"text":"later"`,
		`"text":"later","files":[{"id":"F1","url_private":"https://files.slack.com/x?t=xoxe-1-secret"}]`, 1)
	dupe := strings.Replace(copyDay2, "\n]", `,{"ts":"1767312001.000300","user":"U1","text":"again"}]`, 1)
	for _, tc := range []struct {
		name       string
		day1, day2 string
		day        string // the day file that must be encoded again
		change     func(src string) func()
	}{
		{name: "parent-without-replies", day1: noList, day2: copyDay2, day: "2026-01-01"},
		{name: "scrubbed-token", day1: copyDay1, day2: token, day: "2026-01-02"},
		{name: "duplicate-dropped", day1: copyDay1, day2: dupe, day: "2026-01-02"},
		{name: "changed-since-read", day1: copyDay1, day2: copyDay2, day: "2026-01-02",
			change: func(src string) func() {
				return func() {
					p := filepath.Join(src, "c", "2026-01-02.json")
					if err := os.WriteFile(p, []byte(strings.Replace(copyDay2, "later", "LATER", 1)), 0o600); err != nil {
						t.Fatal(err)
					}
				}
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := copyExport(t, tc.day1, tc.day2)
			var change func()
			if tc.change != nil {
				change = tc.change(src)
			}
			copied, _ := writeFrom(t, src, true, change)
			encoded, _ := writeFrom(t, copyExport(t, tc.day1, tc.day2), false, nil)
			if got, want := readDayFile(t, copied, tc.day), readDayFile(t, encoded, tc.day); got != want {
				t.Errorf("%s written as\n%s\nwant it encoded as\n%s", tc.day, got, want)
			}
			if strings.Contains(readDayFile(t, copied, tc.day), "xoxe") {
				t.Error("the export token was copied")
			}
		})
	}
	// The control: unchanged, the same days are copied.
	copied, _ := writeFrom(t, copyExport(t, copyDay1, copyDay2), true, nil)
	if !bytes.Equal([]byte(readDayFile(t, copied, "2026-01-02")), []byte(copyDay2)) {
		t.Error("the unchanged export was not copied")
	}
}

// TestParentUnchanged: the scanner's answer is parentJSON's (whether it
// leaves a parent's JSON as it is) on parents laid out every which way.
func TestParentUnchanged(t *testing.T) {
	m := &archive.Message{TS: 1, Replies: []*archive.Message{{TS: 2, User: "U1"}, {TS: 3, BotID: "B1"}}}
	list := `[{"user":"U1","ts":"0.000002"},{"user":"B1","ts":"0.000003"}]`
	unchanged := 0
	for _, raw := range []string{
		`{"ts":"0.000001","replies":` + list + `,"reply_count":2,"reply_users":["U1"]}`,
		"{ \"ts\" : \"0.000001\" ,\n  \"reply_users\" : [ \"x\" ], \"reply_count\": 9,\n  \"replies\" :" + list + " }",
		`{"ts":"0.000001","reply_count":2,"reply_users":["U1"]}`,
		`{"ts":"0.000001","replies":[],"reply_count":2,"reply_users":["U1"]}`,
		`{"ts":"0.000001","replies":` + list + `,"reply_users":["U1"]}`,
		`{"ts":"0.000001","replies":` + list + `,"reply_count":2}`,
		`{"ts":"0.000001","root":{"replies":` + list + `,"reply_count":2,"reply_users":["U1"]}}`,
		`{"ts":"0.000001","text":"\"replies\":` + strings.ReplaceAll(list, `"`, `\"`) + `","reply_count":2,"reply_users":["U1"]}`,
		`{"ts":"0.000001","repl\u0069es":` + list + `,"reply_count":2,"reply_users":["U1"]}`,
		`{"ts":"0.000001","replies":` + list + `,"replies":[],"reply_count":2,"reply_users":["U1"]}`,
		`{"a":[1,{"b":"}]"}],"n":-1.5e3,"t":true,"replies":` + list + `,"reply_count":2,"reply_users":["U1"],"z":null}`,
	} {
		out, err := parentJSON(m, []byte(raw))
		want := err == nil && string(out) == raw
		if want {
			unchanged++
		}
		if got := parentUnchanged(m, []byte(raw)); got != want {
			t.Errorf("parentUnchanged(%s) = %v, parentJSON says %v", raw, got, want)
		}
	}
	if unchanged != 4 {
		t.Errorf("parentJSON left %d of the parents as they were, want 4: the cases are not what they were", unchanged)
	}
}

// TestScanArrayChunks: the scanner finds the same objects whatever the
// chunks the stream arrives in, with quotes escaped by odd and even runs
// of backslashes falling on every side of a chunk's end.
func TestScanArrayChunks(t *testing.T) {
	in := []byte(`[{"a":"x\\"},{"b":"\"}]\\\"{"},{"c":["\\\\\"",{"d":"]"}]} , {"e":"\\\\\\\\"}]`)
	var want []string
	if err := scanArray(bytes.NewReader(in), "message", 1<<20, func(_ int, _ int64, elem []byte) error {
		want = append(want, string(elem))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(want) != 4 {
		t.Fatalf("found %d objects in %s, want 4: %q", len(want), in, want)
	}
	for _, w := range want {
		var v map[string]any
		if err := json.Unmarshal([]byte(w), &v); err != nil {
			t.Fatalf("object %s: %v", w, err)
		}
	}
	for size := 1; size <= len(in); size++ {
		var got []string
		err := scanArray(&chunked{in, size}, "message", 1<<20, func(_ int, _ int64, elem []byte) error {
			got = append(got, string(elem))
			return nil
		})
		if err != nil || strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("in chunks of %d: %q, %v; want %q", size, got, err, want)
		}
	}
}

// chunked reads its bytes size at a time.
type chunked struct {
	b    []byte
	size int
}

func (c *chunked) Read(p []byte) (int, error) {
	if len(c.b) == 0 {
		return 0, io.EOF
	}
	n := copy(p[:min(len(p), c.size)], c.b)
	c.b = c.b[n:]
	return n, nil
}
