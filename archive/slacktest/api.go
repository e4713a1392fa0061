package slacktest

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/wrapup/wrapup/internal/emulator"
)

// apiError is a Slack error answer: HTTP 200 {"ok":false,"error":Code}.
type apiError struct {
	Code     string
	Needed   string // missing_scope's needed scope
	Provided string // missing_scope's scopes the token has
}

func (e *apiError) Error() string { return e.Code }

func fail(code string) error { return &apiError{Code: code} }

// rawJSON is a complete response body built by a handler.
type rawJSON []byte

// request is one Web API call being served.
type request struct {
	s      *Server
	r      *http.Request
	method string
	form   url.Values
	token  Token
	base   string // the emulator's own base URL
}

// arg returns a form argument.
func (q *request) arg(name string) string { return q.form.Get(name) }

// flag reads a boolean argument as Slack does: "1" and "true" are true.
func (q *request) flag(name string) bool {
	v := strings.ToLower(q.form.Get(name))
	return v == "1" || v == "true"
}

// needScope fails with missing_scope unless the token holds one of
// scopes; no scopes is no need.
func (q *request) needScope(scopes ...string) error {
	if len(scopes) == 0 {
		return nil
	}
	for _, sc := range scopes {
		if q.token.has(sc) {
			return nil
		}
	}
	return &apiError{Code: "missing_scope", Needed: scopes[0], Provided: strings.Join(q.token.Scopes, ",")}
}

// handler serves one method: a value to encode with "ok":true added, or
// a rawJSON body, or an error.
type handler func(q *request) (any, error)

// spec describes one Web API method.
type spec struct {
	handle handler
	limit  limit
	// perChannel keys the rate limit by the channel argument too.
	perChannel bool
}

// methods is the Web API the emulator serves. Tiers follow Slack's method
// documentation; chat.postMessage is limited per channel.
var methods = map[string]spec{
	"auth.test":             {handle: (*request).authTest, limit: tier4},
	"conversations.info":    {handle: (*request).conversationsInfo, limit: tier3},
	"conversations.history": {handle: (*request).conversationsHistory, limit: tier3},
	"conversations.replies": {handle: (*request).conversationsReplies, limit: tier3},
	"conversations.list":    {handle: (*request).conversationsList, limit: tier2},
	"conversations.join":    {handle: (*request).conversationsJoin, limit: tier3},
	"conversations.archive": {handle: (*request).conversationsArchive, limit: tier2},
	"conversations.members": {handle: (*request).conversationsMembers, limit: tier4},
	"chat.postMessage":      {handle: (*request).chatPostMessage, limit: postLimit, perChannel: true},
	"chat.update":           {handle: (*request).chatUpdate, limit: tier3},
	"chat.delete":           {handle: (*request).chatDelete, limit: tier3},
	"chat.getPermalink":     {handle: (*request).chatGetPermalink, limit: tier4},
	"files.info":            {handle: (*request).filesInfo, limit: tier4},
	"pins.list":             {handle: (*request).pinsList, limit: tier2},
	"users.list":            {handle: (*request).usersList, limit: tier2},
	"users.info":            {handle: (*request).usersInfo, limit: tier4},
	"bookmarks.list":        {handle: (*request).bookmarksList, limit: tier3},
}

// Methods returns the names of the Web API methods the emulator serves.
func Methods() []string {
	out := make([]string, 0, len(methods))
	for name := range methods {
		out = append(out, name)
	}
	slices.Sort(out)
	return out
}

func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request, method string) {
	call := emulator.Call{Service: "slack", Method: method, HTTPMethod: r.Method, Path: r.URL.Path}
	if f := s.admin.Begin(call); f != nil {
		// Read the body first: net/http notices a client that hung up only
		// once the body is consumed, and a delay must end when it does.
		body, err := io.ReadAll(io.LimitReader(r.Body, 8<<20))
		if err != nil {
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		if err := f.Wait(r.Context()); err != nil {
			return
		}
		if f.Truncate {
			t := emulator.NewTruncator(w)
			s.answer(t, r, method, call)
			t.Finish()
			return
		}
		if s.injectFault(w, f, call) {
			return
		}
	}
	s.answer(w, r, method, call)
}

// injectFault answers with f's status or error; it reports whether it did.
func (s *Server) injectFault(w http.ResponseWriter, f *emulator.Fault, call emulator.Call) bool {
	status := f.StatusCode()
	switch {
	case status == http.StatusTooManyRequests:
		s.admin.RateLimited(call)
		retry := max(f.RetryAfter, 1)
		w.Header().Set("Retry-After", strconv.Itoa(retry))
		writeBody(w, status, []byte(`{"ok":false,"error":"ratelimited"}`))
	case status != 0 && status != http.StatusOK:
		if f.RetryAfter > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(f.RetryAfter))
		}
		code := f.Error
		if code == "" {
			code = strings.ToLower(strings.ReplaceAll(http.StatusText(status), " ", "_"))
		}
		writeBody(w, status, errorBody(&apiError{Code: code}))
	case f.Error != "":
		writeBody(w, http.StatusOK, errorBody(&apiError{Code: f.Error}))
	default:
		return false
	}
	return true
}

// answer serves the call for real: auth, rate limit, then the method.
func (s *Server) answer(w http.ResponseWriter, r *http.Request, method string, call emulator.Call) {
	form, token, err := parseRequest(r)
	if err != nil {
		writeBody(w, http.StatusOK, errorBody(err.(*apiError)))
		return
	}
	sp, ok := methods[method]
	if !ok {
		writeBody(w, http.StatusOK, errorBody(&apiError{Code: "unknown_method"}))
		return
	}
	tok, code := s.identity(token)
	if code != "" {
		writeBody(w, http.StatusOK, errorBody(&apiError{Code: code}))
		return
	}
	w.Header().Set("X-OAuth-Scopes", strings.Join(tok.Scopes, ","))
	if wait, ok := s.rateLimit(method, sp, form); !ok {
		s.admin.RateLimited(call)
		w.Header().Set("Retry-After", strconv.Itoa(wait))
		writeBody(w, http.StatusTooManyRequests, []byte(`{"ok":false,"error":"ratelimited"}`))
		return
	}
	base := baseURL(r)
	q := &request{s: s, r: r, method: method, form: form, token: tok, base: base}
	resp, err := sp.handle(q)
	if err != nil {
		e, ok := err.(*apiError)
		if !ok {
			e = &apiError{Code: "internal_error"}
		}
		writeBody(w, http.StatusOK, errorBody(e))
		return
	}
	switch v := resp.(type) {
	case rawJSON:
		writeBody(w, http.StatusOK, v)
	case map[string]any:
		v["ok"] = true
		b, err := json.Marshal(v)
		if err != nil {
			writeBody(w, http.StatusOK, errorBody(&apiError{Code: "internal_error"}))
			return
		}
		writeBody(w, http.StatusOK, bytes.ReplaceAll(b, baseMarkerJSON, []byte(base)))
	}
}

// parseRequest reads the arguments from the query, a form body or a JSON
// body, and the token from the arguments or the Authorization header.
func parseRequest(r *http.Request) (url.Values, string, error) {
	form := url.Values{}
	for k, v := range r.URL.Query() {
		form[k] = v
	}
	if r.Method == http.MethodPost {
		body, err := io.ReadAll(io.LimitReader(r.Body, 8<<20))
		if err != nil {
			return nil, "", &apiError{Code: "invalid_form_data"}
		}
		ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		switch {
		case ct == "application/json":
			var obj map[string]any
			if len(body) > 0 && json.Unmarshal(body, &obj) != nil {
				return nil, "", &apiError{Code: "invalid_json"}
			}
			for k, v := range obj {
				if s, ok := v.(string); ok {
					form.Set(k, s)
				} else if b, err := json.Marshal(v); err == nil {
					form.Set(k, string(b))
				}
			}
		case len(body) > 0:
			vals, err := url.ParseQuery(string(body))
			if err != nil {
				return nil, "", &apiError{Code: "invalid_form_data"}
			}
			for k, v := range vals {
				form[k] = v
			}
		}
	}
	token := form.Get("token")
	if token == "" {
		token = bearer(r)
	}
	return form, token, nil
}

// bearer returns the token of an "Authorization: Bearer" header, or "".
func bearer(r *http.Request) string {
	if h, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
		return strings.TrimSpace(h)
	}
	return ""
}

func errorBody(e *apiError) []byte {
	v := map[string]any{"ok": false, "error": e.Code}
	if e.Needed != "" {
		v["needed"] = e.Needed
		v["provided"] = e.Provided
	}
	b, _ := json.Marshal(v)
	return b
}

func writeBody(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
