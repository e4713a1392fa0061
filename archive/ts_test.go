package archive

import (
	"encoding/json"
	"errors"
	"testing"
	"time"
)

func TestParseTS(t *testing.T) {
	tests := []struct {
		in      string
		want    TS
		str     string
		wantErr bool
	}{
		{"1712345678.000100", 1712345678000100, "1712345678.000100", false},
		{"1712345678.999999", 1712345678999999, "1712345678.999999", false},
		{"1712345678", 1712345678000000, "1712345678.000000", false},
		{"1712345678.5", 1712345678500000, "1712345678.500000", false},
		{"0000000000.000000", 0, "", false},
		{"", 0, "", false},
		{"1712345678.0001000", 0, "", true},
		{"17123x5678.000100", 0, "", true},
		{"-1.000000", 0, "", true},
		{".000100", 0, "", true},
		{"1712345678.00010a", 0, "", true},
		{"9999999999999.000000", 0, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseTS(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v", err)
			}
			if err != nil {
				if !errors.Is(err, ErrBadTS) {
					t.Errorf("err %v does not wrap ErrBadTS", err)
				}
				return
			}
			if got != tt.want || got.String() != tt.str {
				t.Errorf("ParseTS(%q) = %d %q, want %d %q", tt.in, got, got.String(), tt.want, tt.str)
			}
		})
	}
}

func TestTSExactness(t *testing.T) {
	// Two messages a microsecond apart stay apart and ordered; a float64
	// would merge 1712345678.000001 and 1712345678.000002 on some values.
	a, b := MustTS("1712345678.000001"), MustTS("1712345678.000002")
	if !(a < b) || b-a != 1 {
		t.Errorf("a=%d b=%d", a, b)
	}
	want := time.Date(2024, 4, 5, 19, 34, 38, 1000, time.UTC)
	if !a.Time().Equal(want) || a.Time().Location() != time.UTC {
		t.Errorf("Time() = %v, want %v", a.Time(), want)
	}
	if TSFromTime(want) != a {
		t.Errorf("TSFromTime = %v", TSFromTime(want))
	}
	if a.Digits() != "1712345678000001" {
		t.Errorf("Digits() = %q", a.Digits())
	}
}

func TestTSJSON(t *testing.T) {
	var v struct {
		A, B, C, D TS
	}
	if err := json.Unmarshal([]byte(`{"A":"1712345678.000100","B":1712345678.000100,"C":null,"D":"0000000000.000000"}`), &v); err != nil {
		t.Fatal(err)
	}
	if v.A != 1712345678000100 || v.B != v.A || v.C != 0 || v.D != 0 {
		t.Errorf("%+v", v)
	}
	out, _ := json.Marshal(v)
	if string(out) != `{"A":"1712345678.000100","B":"1712345678.000100","C":"","D":""}` {
		t.Errorf("marshal = %s", out)
	}
	if err := json.Unmarshal([]byte(`{"A":"1.2.3"}`), &v); err == nil {
		t.Error("accepted 1.2.3")
	}
}

func TestIntAcceptsStrings(t *testing.T) {
	var v struct{ A, B, C, D Int }
	if err := json.Unmarshal([]byte(`{"A":"1452837318","B":12,"C":"","D":null}`), &v); err != nil {
		t.Fatal(err)
	}
	if v.A != 1452837318 || v.B != 12 || v.C != 0 || v.D != 0 {
		t.Errorf("%+v", v)
	}
	if err := json.Unmarshal([]byte(`{"A":"twelve"}`), &v); err == nil {
		t.Error("accepted twelve")
	}
}

func FuzzParseTS(f *testing.F) {
	for _, s := range []string{"1712345678.000100", "1", "0000000000.000000", "1.5", "", "x", "1.1234567"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ts, err := ParseTS(s)
		if err != nil {
			return
		}
		// Whatever parses formats back to something that parses to the same.
		again, err := ParseTS(ts.String())
		if err != nil || again != ts {
			t.Fatalf("%q -> %d -> %q -> %d, %v", s, ts, ts.String(), again, err)
		}
		if ts != 0 && TSFromTime(ts.Time()) != ts {
			t.Fatalf("%q: time round trip lost precision", s)
		}
	})
}

// FuzzParseDigits: the byte parser behind UnmarshalJSON gives ParseTS's
// value wherever it answers, and answers for every ts ParseTS takes but "".
func FuzzParseDigits(f *testing.F) {
	for _, s := range []string{"1712345678.000100", "1712345678", "1712345678.", "1.5", ".1", "123456789012.123456", "1234567890123", "1.1234567", "-1", "1e9"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := parseDigits([]byte(s))
		want, err := ParseTS(s)
		if ok && (err != nil || got != want) {
			t.Fatalf("parseDigits(%q) = %d; ParseTS gives %d, %v", s, got, want, err)
		}
		if !ok && err == nil && s != "" {
			t.Fatalf("parseDigits(%q) refused what ParseTS takes (%d)", s, want)
		}
	})
}
