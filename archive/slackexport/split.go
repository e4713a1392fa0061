package slackexport

import "fmt"

// span is one element's byte range in a JSON array.
type span struct{ start, end int }

// splitArray finds the objects of a JSON array without decoding them. It
// checks the array's own punctuation; each element is validated when it is
// decoded, so the file is validated once rather than twice.
func splitArray(data []byte) ([]span, error) {
	i := skipSpace(data, 0)
	if i == len(data) || data[i] != '[' {
		return nil, fmt.Errorf("byte %d: malformed JSON: a day file must be an array of messages", i)
	}
	i = skipSpace(data, i+1)
	var out []span
	if i < len(data) && data[i] == ']' {
		return out, trailing(data, i+1)
	}
	for {
		if i == len(data) || data[i] != '{' {
			return nil, fmt.Errorf("byte %d: malformed JSON: message %d is not an object", i, len(out))
		}
		end, err := objectEnd(data, i)
		if err != nil {
			return nil, err
		}
		out = append(out, span{i, end})
		i = skipSpace(data, end)
		switch {
		case i < len(data) && data[i] == ',':
			i = skipSpace(data, i+1)
		case i < len(data) && data[i] == ']':
			return out, trailing(data, i+1)
		default:
			return nil, fmt.Errorf("byte %d: malformed JSON: expected , or ] after message %d", i, len(out)-1)
		}
	}
}

// objectEnd returns the offset just past the object starting at data[i],
// matching brackets outside strings.
func objectEnd(data []byte, i int) (int, error) {
	depth := 0
	for j := i; j < len(data); j++ {
		switch data[j] {
		case '"':
			for j++; j < len(data) && data[j] != '"'; j++ {
				if data[j] == '\\' {
					j++
				}
			}
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				return j + 1, nil
			}
		}
	}
	return 0, fmt.Errorf("byte %d: malformed JSON: unterminated message", len(data))
}

func skipSpace(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\n' || data[i] == '\t' || data[i] == '\r') {
		i++
	}
	return i
}

func trailing(data []byte, i int) error {
	if i = skipSpace(data, i); i != len(data) {
		return fmt.Errorf("byte %d: malformed JSON: data after the array", i)
	}
	return nil
}
