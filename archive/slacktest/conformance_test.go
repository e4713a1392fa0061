package slacktest

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/wrapup/wrapup/archive"
	"github.com/wrapup/wrapup/internal/testenv"
)

// conformanceWorkspace: C1 public with a thread, a pin, a bookmark and a
// bot message; G1 private; C0 general; C2 archived; C5 not joined.
func conformanceWorkspace(t *testing.T) *Server {
	t.Helper()
	s := New(Options{Tokens: map[string]Token{
		"xoxb-all": {}, "xoxb-none": {Scopes: []string{}}, "xoxb-revoked": {Revoked: true}}})
	mk := func(id, name string, private, general, archived bool, members []string, raws ...string) {
		var flat []*archive.Message
		for _, r := range raws {
			var m archive.Message
			if err := json.Unmarshal([]byte(r), &m); err != nil {
				t.Fatal(err)
			}
			flat = append(flat, &m)
		}
		roots, _ := archive.Thread(flat)
		a := &archive.Archive{Channel: archive.Channel{ID: id, Name: name, Private: private, General: general,
			Archived: archived, Members: members, Pins: []archive.Pin{{TS: archive.MustTS("1700000000.000100")}},
			Bookmarks: []archive.Bookmark{{ID: "Bk1", Title: "Runbook", Link: "https://example.com"}}},
			Messages: roots, Users: []*archive.User{{ID: "U1", Name: "alice"}}}
		if err := s.AddArchive(a); err != nil {
			t.Fatal(err)
		}
	}
	bot := []string{"U0EMUBOT", "U1"}
	mk("C1", "incident", false, false, false, bot,
		`{"type":"message","user":"U1","text":"parent","ts":"1700000000.000100","thread_ts":"1700000000.000100","reply_count":1}`,
		`{"type":"message","user":"U1","text":"reply","ts":"1700000001.000100","thread_ts":"1700000000.000100","parent_user_id":"U1"}`,
		`{"type":"message","user":"U0EMUBOT","bot_id":"B0EMUBOT","text":"bot","ts":"1700000002.000100"}`)
	mk("G1", "secret", true, false, false, bot)
	mk("C0", "general", false, true, false, bot)
	mk("C2", "old", false, false, true, bot)
	mk("C5", "elsewhere", false, false, false, []string{"U1"})
	mk("C6", "to-archive", false, false, false, bot,
		`{"type":"message","user":"U1","text":"a file","ts":"1700000003.000100","files":[{"id":"F1","name":"a.txt","size":3,"mode":"hosted"}]}`)
	return s
}

// conformanceCalls trigger every answer the emulator gives: "" is ok.
var conformanceCalls = []struct {
	method, args, want string
}{
	{"auth.test", "token=xoxb-all", ""},
	{"auth.test", "", "not_authed"},
	{"auth.test", "token=xoxb-nope", "invalid_auth"},
	{"auth.test", "token=xoxb-revoked", "token_revoked"},
	{"conversations.info", "channel=C1", ""},
	{"conversations.info", "channel=C404", "channel_not_found"},
	{"conversations.info", "channel=C1&token=xoxb-none", "missing_scope"},
	{"conversations.history", "channel=C1&limit=1", ""},
	{"conversations.history", "channel=C404", "channel_not_found"},
	{"conversations.history", "channel=C5", "not_in_channel"},
	{"conversations.history", "channel=C1&cursor=x", "invalid_cursor"},
	{"conversations.history", "channel=C1&oldest=x", "invalid_ts_oldest"},
	{"conversations.history", "channel=C1&latest=x", "invalid_ts_latest"},
	{"conversations.replies", "channel=C1&ts=1700000000.000100&limit=1", ""},
	{"conversations.replies", "channel=C1&ts=1.000001", "thread_not_found"},
	{"conversations.replies", "channel=C404&ts=1700000000.000100", "channel_not_found"},
	{"conversations.replies", "channel=C1&ts=1700000000.000100&cursor=x", "invalid_cursor"},
	{"conversations.replies", "channel=C1&ts=1700000000.000100&oldest=x", "invalid_ts_oldest"},
	{"conversations.replies", "channel=C1&ts=1700000000.000100&latest=x", "invalid_ts_latest"},
	{"conversations.list", "limit=2", ""},
	{"conversations.list", "cursor=x", "invalid_cursor"},
	{"conversations.list", "types=nope", "invalid_types"},
	{"conversations.list", "limit=x", "invalid_limit"},
	{"conversations.members", "channel=C1&limit=1", ""},
	{"conversations.members", "channel=C404", "channel_not_found"},
	{"conversations.members", "channel=C1&cursor=x", "invalid_cursor"},
	{"conversations.members", "channel=C1&limit=x", "invalid_limit"},
	{"conversations.join", "channel=C1", ""},
	{"conversations.join", "channel=C404", "channel_not_found"},
	{"conversations.join", "channel=G1", "method_not_supported_for_channel_type"},
	{"conversations.join", "channel=C2", "is_archived"},
	{"conversations.archive", "channel=C6", ""},
	{"conversations.archive", "channel=C404", "channel_not_found"},
	{"conversations.archive", "channel=C2", "already_archived"},
	{"conversations.archive", "channel=C0", "cant_archive_general"},
	{"conversations.archive", "channel=C5", "not_in_channel"},
	{"chat.postMessage", "channel=C1&text=hi", ""},
	{"chat.postMessage", "channel=C404&text=hi", "channel_not_found"},
	{"chat.postMessage", "channel=C1", "no_text"},
	{"chat.postMessage", "channel=C2&text=hi", "is_archived"},
	{"chat.postMessage", "channel=C5&text=hi", "not_in_channel"},
	{"chat.postMessage", "channel=C1&text=hi&blocks=x", "invalid_blocks_format"},
	{"chat.postMessage", "channel=C1&text=hi&metadata=x", "invalid_metadata_format"},
	{"chat.postMessage", "channel=C1&text=hi&metadata={}", "invalid_metadata_schema"},
	{"chat.postMessage", "channel=C1&text=hi&token=xoxb-none", "missing_scope"},
	{"chat.update", "channel=C1&ts=1700000002.000100&text=edited", ""},
	{"chat.update", "channel=C1&ts=1.000001&text=x", "message_not_found"},
	{"chat.update", "channel=C1&ts=1700000000.000100&text=x", "cant_update_message"},
	{"chat.update", "channel=C1&ts=1700000002.000100&text=" + strings.Repeat("x", 4001), "msg_too_long"},
	{"chat.update", "channel=C1&ts=1700000002.000100&metadata=" + `{"event_type":"x","event_payload":{"a":{"b":{}}}}`, "invalid_metadata_format"},
	{"chat.postMessage", "channel=C1&text=hi&blocks=[" + strings.Repeat(`{"type":"divider"},`, 50) + `{"type":"divider"}]`, "invalid_blocks"},
	{"chat.delete", "channel=C1&ts=1700000000.000100", "cant_delete_message"},
	{"chat.delete", "channel=C1&ts=1.000001", "message_not_found"},
	{"chat.delete", "channel=C1&ts=1700000002.000100", ""},
	{"files.info", "file=F1", ""},
	{"files.info", "file=F404", "file_not_found"},
	{"files.info", "file=F1&token=xoxb-none", "missing_scope"},
	{"chat.getPermalink", "channel=C1&message_ts=1700000001.000100", ""},
	{"chat.getPermalink", "channel=C404&message_ts=1700000001.000100", "channel_not_found"},
	{"chat.getPermalink", "channel=C1&message_ts=1.000001", "message_not_found"},
	{"pins.list", "channel=C1", ""},
	{"pins.list", "channel=C404", "channel_not_found"},
	{"users.list", "limit=1", ""},
	{"users.list", "cursor=x", "invalid_cursor"},
	{"users.info", "user=U1", ""},
	{"users.info", "user=U404", "user_not_found"},
	{"bookmarks.list", "channel_id=C1", ""},
	{"bookmarks.list", "channel_id=C404", "channel_not_found"},
}

// TestConformance compares the emulator's answers with Slack's recorded
// samples and method documentation: the keys of ok and error bodies, the
// error codes and the rate-limit tiers.
func TestConformance(t *testing.T) {
	dir := testenv.Conformance(t)
	ts := httptest.NewServer(conformanceWorkspace(t))
	defer ts.Close()
	common := readJSON[map[string]any](t, filepath.Join(dir, "method-docs_slack_kit", "common_errors.json"))
	covered := map[string]bool{}
	for _, tc := range conformanceCalls {
		covered[tc.method] = true
		t.Run(tc.method+" "+tc.args, func(t *testing.T) {
			args, _ := url.ParseQuery(tc.args)
			if args.Get("token") == "" && !strings.HasPrefix(tc.method, "auth.") {
				args.Set("token", "xoxb-all")
			}
			body := postConformance(t, ts.URL+"/api/"+tc.method, args)
			if got, _ := body["error"].(string); got != tc.want {
				t.Fatalf("error %q, want %q: %v", got, tc.want, body)
			}
			if tc.want != "" {
				if err := documented(dir, tc.method, tc.want, common); err != nil {
					t.Error(err)
				}
			}
			allowed := sampleKeys(t, dir, tc.method, tc.want != "")
			if allowed == nil {
				return // no sample for this method
			}
			for _, k := range slices.Sorted(maps.Keys(body)) {
				if !allowed[k] {
					t.Errorf("key %q is in no sample of %s (samples have %v)", k, tc.method, slices.Sorted(maps.Keys(allowed)))
				}
			}
			if ch, ok := body["channel"].(map[string]any); ok {
				chAllowed := nestedKeys(t, dir, tc.method, "channel")
				for k := range ch {
					if chAllowed != nil && !chAllowed[k] {
						t.Errorf("channel key %q is in no sample of %s", k, tc.method)
					}
				}
			}
		})
	}
	for _, m := range slices.Sorted(maps.Keys(methods)) {
		if !covered[m] {
			t.Errorf("method %s has no conformance call", m)
		}
	}
	t.Run("tiers", func(t *testing.T) {
		tiers := map[string]limit{"Tier 2": tier2, "Tier 3": tier3, "Tier 4": tier4}
		re := regexp.MustCompile(`^Tier [1-4]`)
		for name, sp := range methods {
			doc, err := os.ReadFile(filepath.Join(dir, "method-docs_slack_kit", "methods", name+".json"))
			if err != nil {
				continue // chat.update has no doc
			}
			var d struct {
				RateLimit struct{ Label string } `json:"rate_limit"`
			}
			if err := json.Unmarshal(doc, &d); err != nil {
				t.Fatal(err)
			}
			if tier := re.FindString(d.RateLimit.Label); tier != "" && tiers[tier] != sp.limit {
				t.Errorf("%s is %s, the emulator limits it to %v", name, d.RateLimit.Label, sp.limit)
			}
		}
	})
}

func postConformance(t *testing.T, u string, args url.Values) map[string]any {
	t.Helper()
	resp, err := httpPostForm(u, args)
	if err != nil {
		t.Fatal(err)
	}
	var body map[string]any
	if err := json.Unmarshal(resp, &body); err != nil {
		t.Fatalf("%s: %v: %s", u, err, resp)
	}
	return body
}

// documented reports an error code neither the method's documentation nor
// the common errors list.
func documented(dir, method, code string, common map[string]any) error {
	if _, ok := common[code]; ok {
		return nil
	}
	b, err := os.ReadFile(filepath.Join(dir, "method-docs_slack_kit", "methods", method+".json"))
	if err != nil {
		return nil // undocumented method (chat.update)
	}
	var d struct{ Errors map[string]any }
	if err := json.Unmarshal(b, &d); err != nil {
		return fmt.Errorf("%s docs: %w", method, err)
	}
	if _, ok := d.Errors[code]; !ok {
		return fmt.Errorf("%s: error %q is not among the documented %v", method, code, slices.Sorted(maps.Keys(d.Errors)))
	}
	return nil
}

// sampleKeys returns the top-level keys of the method's samples: the
// OpenAPI example of the same kind (ok or error) and java-slack-sdk's
// superset sample. Nil when there is no sample.
func sampleKeys(t *testing.T, dir, method string, isError bool) map[string]bool {
	t.Helper()
	kind := "ok"
	if isError {
		kind = "error"
	}
	var keys map[string]bool
	for _, p := range []string{
		filepath.Join(dir, "web-api-examples_slack-api-specs", method+"."+kind+".json"),
		filepath.Join(dir, "web-api-schema-samples_java-slack-sdk", method+".json"),
	} {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(b, &obj); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if keys == nil {
			keys = map[string]bool{}
		}
		for k := range obj {
			keys[k] = true
		}
	}
	if keys != nil && isError {
		// Every Slack error may carry these (java-slack-sdk's samples show them).
		for _, k := range []string{"ok", "error", "needed", "provided", "warning", "response_metadata"} {
			keys[k] = true
		}
	}
	return keys
}

// nestedKeys returns the keys of the samples' object at key, or nil.
func nestedKeys(t *testing.T, dir, method, key string) map[string]bool {
	t.Helper()
	var keys map[string]bool
	for _, p := range []string{
		filepath.Join(dir, "web-api-examples_slack-api-specs", method+".ok.json"),
		filepath.Join(dir, "web-api-schema-samples_java-slack-sdk", method+".json"),
	} {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		var obj map[string]map[string]json.RawMessage
		if json.Unmarshal(b, &obj) != nil {
			// Not every field is an object; read only the one wanted.
			var loose map[string]json.RawMessage
			if json.Unmarshal(b, &loose) != nil {
				continue
			}
			var inner map[string]json.RawMessage
			if json.Unmarshal(loose[key], &inner) != nil {
				continue
			}
			obj = map[string]map[string]json.RawMessage{key: inner}
		}
		for k := range obj[key] {
			if keys == nil {
				keys = map[string]bool{}
			}
			keys[k] = true
		}
	}
	return keys
}

func readJSON[T any](t *testing.T, path string) T {
	t.Helper()
	var v T
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return v
}

func httpPostForm(u string, args url.Values) ([]byte, error) {
	resp, err := http.PostForm(u, args)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}
