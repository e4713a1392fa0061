package archive

import (
	"fmt"
	"strconv"
)

// Int is an integer that old Slack exports sometimes write as a string
// ("created": "1452837318"). It reads both forms and writes a number.
type Int int64

// UnmarshalJSON accepts a JSON number, a numeric string, "" or null.
func (n *Int) UnmarshalJSON(b []byte) error {
	s := string(b)
	if s == "null" {
		*n = 0
		return nil
	}
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		s = s[1 : len(s)-1]
		if s == "" {
			*n = 0
			return nil
		}
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		// Some exports write floats ("1.452837318e9" never, "12.0" rarely).
		f, ferr := strconv.ParseFloat(s, 64)
		if ferr != nil {
			return fmt.Errorf("invalid integer %s", b)
		}
		v = int64(f)
	}
	*n = Int(v)
	return nil
}
