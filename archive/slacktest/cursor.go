package slacktest

import (
	"encoding/base64"
	"strconv"
	"strings"

	"github.com/wrapup/wrapup/archive"
)

// Cursors are opaque to clients, as Slack's are: base64 of "next_ts:<ts
// digits>" for message pages (Slack's own spelling) and "next_id:<ID>" for
// lists. Both point at the first item of the next page, so a page boundary
// survives messages posted between calls.

func tsCursor(ts archive.TS) string {
	return base64.StdEncoding.EncodeToString([]byte("next_ts:" + ts.Digits()))
}

func idCursor(id string) string {
	return base64.StdEncoding.EncodeToString([]byte("next_id:" + id))
}

// parseTSCursor decodes a message cursor; "" is the first page.
func parseTSCursor(c string) (archive.TS, error) {
	if c == "" {
		return 0, nil
	}
	b, err := base64.StdEncoding.DecodeString(c)
	if err != nil {
		return 0, fail("invalid_cursor")
	}
	digits, ok := strings.CutPrefix(string(b), "next_ts:")
	if !ok || len(digits) < 7 {
		return 0, fail("invalid_cursor")
	}
	ts, err := archive.ParseTS(digits[:len(digits)-6] + "." + digits[len(digits)-6:])
	if err != nil || ts == 0 {
		return 0, fail("invalid_cursor")
	}
	return ts, nil
}

// parseIDCursor decodes a list cursor; "" is the first page.
func parseIDCursor(c string) (string, error) {
	if c == "" {
		return "", nil
	}
	b, err := base64.StdEncoding.DecodeString(c)
	if err != nil {
		return "", fail("invalid_cursor")
	}
	id, ok := strings.CutPrefix(string(b), "next_id:")
	if !ok || id == "" {
		return "", fail("invalid_cursor")
	}
	return id, nil
}

// limitArg reads a limit argument: def when absent or 0, capped at max.
// A value that is not a number is invalid_limit where the method documents
// it, else the default, as Slack ignores it.
func (q *request) limitArg(def, maxLimit int, strict bool) (int, error) {
	v := q.arg("limit")
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		if strict {
			return 0, fail("invalid_limit")
		}
		return def, nil
	}
	if n == 0 {
		return def, nil
	}
	return min(n, maxLimit), nil
}
