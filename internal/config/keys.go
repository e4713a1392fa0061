package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// DecodeStrict decodes the YAML document data into v, which points at a
// struct, the way wrapup.yaml and the emulator's world file are read: the
// keys are checked first (see CheckKeys), and every error names the file,
// the line and the key. It returns each key's line, for errors found later
// (nil for an empty document, which leaves v as it was).
func DecodeStrict(file string, data []byte, v any) (map[string]int, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, &Error{File: file, Line: yamlLine(err), Err: errors.New(cleanYAML(err))}
	}
	if len(root.Content) == 0 {
		return nil, nil
	}
	lines := map[string]int{}
	if err := CheckKeys(file, root.Content[0], v, lines); err != nil {
		return nil, err
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil && !errors.Is(err, io.EOF) {
		return nil, &Error{File: file, Line: yamlLine(err), Err: errors.New(cleanYAML(err))}
	}
	return lines, nil
}

// CheckKeys walks a YAML document against the struct v points at, before
// it is decoded, so that an unknown key is reported with its full path,
// its line and the keys valid there, a key given twice or a value of the
// wrong shape likewise, and a duration written as a bare number (which
// yaml would read as nanoseconds) is refused. It records each key's line
// in lines, for errors found after decoding. wrapup.yaml and the
// emulator's world file are read through it.
func CheckKeys(file string, n *yaml.Node, v any, lines map[string]int) error {
	return checkKeys(file, n, reflect.TypeOf(v), "", lines)
}

func checkKeys(file string, n *yaml.Node, t reflect.Type, path string, lines map[string]int) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	lines[path] = n.Line
	switch {
	case t == reflect.TypeOf(time.Duration(0)):
		if n.Kind != yaml.ScalarNode || n.Tag == "!!int" || n.Tag == "!!float" {
			return &Error{File: file, Line: n.Line, Key: path,
				Err: fmt.Errorf("want a duration such as 2m or 500ms, got %s", describe(n))}
		}
	case t.Kind() == reflect.Struct:
		if n.Kind != yaml.MappingNode {
			return &Error{File: file, Line: n.Line, Key: path, Err: fmt.Errorf("want a mapping, got %s", describe(n))}
		}
		fields := map[string]reflect.Type{}
		var names []string
		for i := range t.NumField() {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
			if name == "" || name == "-" {
				continue
			}
			fields[name] = f.Type
			names = append(names, name)
		}
		seen := map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			sub := join(path, k.Value)
			ft, ok := fields[k.Value]
			switch {
			case !ok:
				return &Error{File: file, Line: k.Line, Key: sub,
					Err: fmt.Errorf("unknown key (valid here: %s)", strings.Join(names, ", "))}
			case seen[k.Value]:
				return &Error{File: file, Line: k.Line, Key: sub, Err: fmt.Errorf("key given twice")}
			}
			seen[k.Value] = true
			if err := checkKeys(file, v, ft, sub, lines); err != nil {
				return err
			}
		}
	case t.Kind() == reflect.Map && n.Kind == yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			lines[join(path, n.Content[i].Value)] = n.Content[i].Line
		}
	case t.Kind() == reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			if n.Tag == "!!null" {
				return nil
			}
			return &Error{File: file, Line: n.Line, Key: path, Err: fmt.Errorf("want a list, got %s", describe(n))}
		}
		for i, item := range n.Content {
			if err := checkKeys(file, item, t.Elem(), fmt.Sprintf("%s[%d]", path, i), lines); err != nil {
				return err
			}
		}
	}
	return nil
}

func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "a list"
	case yaml.MappingNode:
		return "a mapping"
	case yaml.ScalarNode:
		return fmt.Sprintf("%q", n.Value)
	}
	return "something else"
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}
