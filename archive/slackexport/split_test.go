package slackexport

import "bytes"

// span is one element's byte range in a JSON array.
type span struct{ start, end int }

// splitArray is scanArray over bytes, for tests of its punctuation.
func splitArray(data []byte) ([]span, error) {
	var out []span
	err := scanArray(bytes.NewReader(data), "message", len(data)+1, func(_ int, off int64, elem []byte) error {
		out = append(out, span{int(off), int(off) + len(elem)})
		return nil
	})
	return out, err
}
