package emulator

import (
	"bytes"
	"net/http"
	"strconv"
)

// Truncator holds a response back so that a fault can cut it: a handler
// writes to it as to any ResponseWriter, and Finish sends the status, the
// headers with the full Content-Length, and half the body, then drops the
// connection. The client sees a body that ends early, as when a proxy dies
// mid-transfer.
type Truncator struct {
	w      http.ResponseWriter
	header http.Header
	status int
	body   bytes.Buffer
}

// NewTruncator wraps w.
func NewTruncator(w http.ResponseWriter) *Truncator {
	return &Truncator{w: w, header: http.Header{}}
}

// Header returns the headers to send.
func (t *Truncator) Header() http.Header { return t.header }

// WriteHeader records the status.
func (t *Truncator) WriteHeader(status int) {
	if t.status == 0 {
		t.status = status
	}
}

// Write buffers b.
func (t *Truncator) Write(b []byte) (int, error) {
	if t.status == 0 {
		t.status = http.StatusOK
	}
	return t.body.Write(b)
}

// Finish writes the truncated response and aborts the connection: it never
// returns normally when the body is not empty. It panics with
// http.ErrAbortHandler, which net/http treats as a silent abort.
func (t *Truncator) Finish() {
	if t.status == 0 {
		t.status = http.StatusOK
	}
	h := t.w.Header()
	for k, v := range t.header {
		h[k] = v
	}
	full := t.body.Bytes()
	h.Set("Content-Length", strconv.Itoa(len(full)))
	t.w.WriteHeader(t.status)
	if len(full) == 0 {
		return
	}
	_, _ = t.w.Write(full[:len(full)/2])
	if f, ok := t.w.(http.Flusher); ok {
		f.Flush()
	}
	panic(http.ErrAbortHandler)
}
