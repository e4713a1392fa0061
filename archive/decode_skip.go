package archive

const maxDepth = 10000

// skip validates and steps over one JSON value.
func (d *decoder) skip(depth int) error {
	if depth > maxDepth {
		return errSlowPath
	}
	if d.i >= len(d.b) {
		return errSlowPath
	}
	switch c := d.b[d.i]; {
	case c == '"':
		return d.skipString()
	case c == '{':
		d.i++
		d.ws()
		if d.i < len(d.b) && d.b[d.i] == '}' {
			d.i++
			return nil
		}
		for {
			d.ws()
			if d.i >= len(d.b) || d.b[d.i] != '"' {
				return errSlowPath
			}
			if err := d.skipString(); err != nil {
				return err
			}
			d.ws()
			if d.i >= len(d.b) || d.b[d.i] != ':' {
				return errSlowPath
			}
			d.i++
			d.ws()
			if err := d.skip(depth + 1); err != nil {
				return err
			}
			d.ws()
			if d.i >= len(d.b) {
				return errSlowPath
			}
			if d.b[d.i] == '}' {
				d.i++
				return nil
			}
			if d.b[d.i] != ',' {
				return errSlowPath
			}
			d.i++
		}
	case c == '[':
		d.i++
		d.ws()
		if d.i < len(d.b) && d.b[d.i] == ']' {
			d.i++
			return nil
		}
		for {
			d.ws()
			if err := d.skip(depth + 1); err != nil {
				return err
			}
			d.ws()
			if d.i >= len(d.b) {
				return errSlowPath
			}
			if d.b[d.i] == ']' {
				d.i++
				return nil
			}
			if d.b[d.i] != ',' {
				return errSlowPath
			}
			d.i++
		}
	case c == '-' || (c >= '0' && c <= '9'):
		return d.skipNumber()
	case d.literal("true"), d.literal("false"), d.literal("null"):
		return nil
	}
	return errSlowPath
}

func (d *decoder) skipString() error {
	for j := d.i + 1; j < len(d.b); j++ {
		switch c := d.b[j]; {
		case c == '"':
			d.i = j + 1
			return nil
		case c < 0x20:
			return errSlowPath
		case c == '\\':
			j++
			if j >= len(d.b) {
				return errSlowPath
			}
			switch d.b[j] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if j+4 >= len(d.b) {
					return errSlowPath
				}
				for _, h := range d.b[j+1 : j+5] {
					if !isHex(h) {
						return errSlowPath
					}
				}
				j += 4
			default:
				return errSlowPath
			}
		}
	}
	return errSlowPath
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// skipNumber steps over a number in JSON's grammar:
// -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
func (d *decoder) skipNumber() error {
	b, i := d.b, d.i
	if i < len(b) && b[i] == '-' {
		i++
	}
	digits := func() bool {
		start := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		return i > start
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case !digits():
		return errSlowPath
	}
	if i < len(b) && b[i] == '.' {
		i++
		if !digits() {
			return errSlowPath
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if !digits() {
			return errSlowPath
		}
	}
	d.i = i
	return nil
}
