package archive

import (
	"errors"
	"fmt"
	"strconv"
	"time"
)

// TS is a Slack message timestamp ("1712345678.000100"): Unix microseconds,
// held as an integer so that it orders and converts to time exactly. Slack uses
// ts as a message's ID, so a float would merge neighbouring messages.
//
// The zero TS means "absent"; Slack's own "0000000000.000000" parses to it.
type TS int64

// ErrBadTS is wrapped by every error ParseTS returns.
var ErrBadTS = errors.New("invalid slack ts")

// ParseTS parses a Slack ts: digits, optionally a dot and up to six digits of
// fraction. A shorter fraction is read as a decimal ("1.5" is 1.500000).
func ParseTS(s string) (TS, error) {
	if s == "" {
		return 0, nil
	}
	secPart, fracPart := s, ""
	for i := 0; i < len(s); i++ {
		if s[i] == '.' {
			secPart, fracPart = s[:i], s[i+1:]
			break
		}
	}
	if secPart == "" || len(secPart) > 12 || len(fracPart) > 6 || !allDigits(secPart) || !allDigits(fracPart) {
		return 0, fmt.Errorf("%w %q", ErrBadTS, s)
	}
	sec, _ := strconv.ParseInt(secPart, 10, 64)
	var usec int64
	for i := 0; i < 6; i++ {
		usec *= 10
		if i < len(fracPart) {
			usec += int64(fracPart[i] - '0')
		}
	}
	return TS(sec*1e6 + usec), nil
}

// parseDigits is ParseTS for a well-formed ts given as bytes, without
// converting it to a string: every message carries one or two. It
// reports false for anything ParseTS would refuse, and for "".
func parseDigits(b []byte) (TS, bool) {
	var sec, usec int64
	i := 0
	for ; i < len(b) && b[i] != '.'; i++ {
		if b[i] < '0' || b[i] > '9' || i == 12 {
			return 0, false
		}
		sec = sec*10 + int64(b[i]-'0')
	}
	if i == 0 {
		return 0, false
	}
	frac := 0
	if i < len(b) {
		for i++; i < len(b); i++ {
			if b[i] < '0' || b[i] > '9' || frac == 6 {
				return 0, false
			}
			usec = usec*10 + int64(b[i]-'0')
			frac++
		}
	}
	for ; frac < 6; frac++ {
		usec *= 10
	}
	return TS(sec*1e6 + usec), true
}

// MustTS is ParseTS for constants in tests and fixtures; it panics on bad input.
func MustTS(s string) TS {
	ts, err := ParseTS(s)
	if err != nil {
		panic(err)
	}
	return ts
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// TSFromTime returns the ts of t, truncated to the microsecond.
func TSFromTime(t time.Time) TS { return TS(t.UnixMicro()) }

// IsZero reports whether ts is absent.
func (ts TS) IsZero() bool { return ts == 0 }

// Time returns ts as a UTC time.
func (ts TS) Time() time.Time { return time.UnixMicro(int64(ts)).UTC() }

// String formats ts the way Slack does, always with six fraction digits.
// The zero TS formats as "".
func (ts TS) String() string {
	if ts == 0 {
		return ""
	}
	return string(ts.AppendText(nil))
}

// AppendText appends the Slack form of ts to b (zero gives "0000000000.000000"
// here only through String's caller; AppendText itself always formats).
func (ts TS) AppendText(b []byte) []byte {
	sec, usec := int64(ts)/1e6, int64(ts)%1e6
	b = strconv.AppendInt(b, sec, 10)
	b = append(b, '.')
	var frac [6]byte
	for i := 5; i >= 0; i-- {
		frac[i] = byte('0' + usec%10)
		usec /= 10
	}
	return append(b, frac[:]...)
}

// Digits returns ts without its dot, as Slack permalinks spell it ("p1712345678000100").
func (ts TS) Digits() string {
	s := ts.String()
	if len(s) < 8 {
		return s
	}
	return s[:len(s)-7] + s[len(s)-6:]
}

// MarshalJSON writes ts as a JSON string, or "" when absent.
func (ts TS) MarshalJSON() ([]byte, error) {
	if ts == 0 {
		return []byte(`""`), nil
	}
	b := append(make([]byte, 0, 19), '"')
	b = ts.AppendText(b)
	return append(b, '"'), nil
}

// UnmarshalJSON reads a ts written as a string or, in old exports, a bare number.
// The number's literal text is parsed, never a float.
func (ts *TS) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*ts = 0
		return nil
	}
	if len(b) >= 2 && b[0] == '"' && b[len(b)-1] == '"' {
		b = b[1 : len(b)-1]
	}
	if v, ok := parseDigits(b); ok {
		*ts = v
		return nil
	}
	v, err := ParseTS(string(b))
	if err != nil {
		return err
	}
	*ts = v
	return nil
}
