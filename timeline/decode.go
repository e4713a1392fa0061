package timeline

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// SchemaError is a timeline.json whose "schema" is not [Schema]: written by
// another version of wrapup, or not by wrapup at all.
type SchemaError struct {
	Got string // "" when the document has no schema field
}

func (e *SchemaError) Error() string {
	if e.Got == "" {
		return fmt.Sprintf("no \"schema\" field (want %q): not written by wrapup", Schema)
	}
	return fmt.Sprintf("schema %q, want %q: written by another version of wrapup", e.Got, Schema)
}

// Decode reads a timeline.json document, as [Encode] writes it. Fields it
// does not know are ignored, so a newer wrapup's additions do not stop an
// older reader; a document of another schema is a *SchemaError.
func Decode(r io.Reader) (*Timeline, error) {
	var tl Timeline
	dec := json.NewDecoder(r)
	if err := dec.Decode(&tl); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("empty document")
		}
		return nil, err
	}
	if tl.Schema != Schema {
		return nil, &SchemaError{Got: tl.Schema}
	}
	return &tl, nil
}
