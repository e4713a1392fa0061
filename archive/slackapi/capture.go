package slackapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
)

// slack-go decodes every response into its own structs, which drop the
// fields they do not declare. To keep what Slack sent, each call carries a
// *capture in its context, and teeTransport copies the response body into
// it before handing slack-go an identical reader over the same bytes. The
// caller then decodes the parts it keeps (messages, users, the channel)
// from capture.body, and lets slack-go's result speak for the rest.

type captureKey struct{}

// capture receives one response's body and status.
type capture struct {
	status int
	body   []byte
}

// withCapture returns a context whose requests record their response in c.
func withCapture(ctx context.Context) (context.Context, *capture) {
	c := new(capture)
	return context.WithValue(ctx, captureKey{}, c), c
}

// maxBody bounds a captured body: a 999-message page is a few megabytes.
const maxBody = 256 << 20

// teeTransport records response bodies for requests that carry a capture.
type teeTransport struct{ base http.RoundTripper }

// RoundTrip sends req and, when its context carries a capture, reads the
// whole body into it. A body cut short is a transport error, so that the
// caller retries it like a broken connection.
func (t teeTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	c, ok := req.Context().Value(captureKey{}).(*capture)
	if !ok {
		return resp, nil
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	resp.Body.Close()
	if err != nil {
		return nil, fmt.Errorf("reading the response: %w", err)
	}
	if len(body) > maxBody {
		return nil, fmt.Errorf("response larger than %d bytes", maxBody)
	}
	c.status, c.body = resp.StatusCode, body
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return resp, nil
}

// errorCode returns the Slack error code of a captured {"ok":false} body,
// or "". slack-go reports some errors as plain strings (pins.list), so the
// body is the one reliable place to read the code from.
func (c *capture) errorCode() string {
	if c == nil || len(c.body) == 0 || c.body[0] != '{' {
		return ""
	}
	var r struct {
		OK    *bool  `json:"ok"`
		Error string `json:"error"`
	}
	if json.Unmarshal(c.body, &r) != nil || r.OK == nil || *r.OK {
		return ""
	}
	return r.Error
}

// pageBody is the part of a history or replies response kept raw.
type pageBody struct {
	Messages []json.RawMessage `json:"messages"`
}
