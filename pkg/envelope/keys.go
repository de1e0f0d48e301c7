package envelope

import (
	"encoding/json"
	"unicode"
	"unicode/utf8"
)

// A reserved key may appear at most once in an envelope, compared the way
// encoding/json matches a key to a struct field: case-insensitively, with
// Unicode's simple folding ("TENANT_ID", "tenant_ıd" and "tenant_id" are
// one key). A receiver decoding with it takes the last match, so a second
// spelling after the one Herald reads (or stamps, for a bound publisher)
// would deliver another tenant, id or type than the one Herald routed on.

// reservedKeys lists the envelope's reserved keys: its well-known fields.
func reservedKeys() []string {
	var e Envelope
	var keys []string
	for _, f := range e.stringFields() {
		keys = append(keys, f.name)
	}
	return append(keys, "data")
}

// foldKey folds s as encoding/json does before it compares a key with a
// field name: each rune upper-cased after being lower-cased.
func foldKey(s string) string {
	out := make([]byte, 0, len(s))
	for _, r := range s {
		if r < utf8.RuneSelf {
			if 'a' <= r && r <= 'z' {
				r -= 'a' - 'A'
			}
			out = append(out, byte(r))
			continue
		}
		out = utf8.AppendRune(out, unicode.ToUpper(unicode.ToLower(r)))
	}
	return string(out)
}

// repeatedKeys returns a problem for each reserved key that appears more
// than once among keys and added (the keys the parser inserts), named by
// the reserved key.
func repeatedKeys(keys []string, added []member) []Problem {
	counts := map[string]int{}
	for _, k := range keys {
		counts[foldKey(k)]++
	}
	for _, m := range added {
		counts[foldKey(m.key)]++
	}
	var problems []Problem
	for _, name := range reservedKeys() {
		if counts[foldKey(name)] > 1 {
			problems = append(problems, Problem{Field: name, Type: typeValueError,
				Reason: "must appear at most once (keys are compared case-insensitively)"})
		}
	}
	return problems
}

// objectKeys returns the keys of the JSON object b, in order and unescaped.
// b must be a valid JSON object: it is scanned once, without decoding the
// values.
func objectKeys(b []byte) []string {
	var keys []string
	depth, expectKey := 0, false
	for i := 0; i < len(b); i++ {
		switch c := b[i]; c {
		case '{', '[':
			depth++
			expectKey = c == '{' && depth == 1
		case '}', ']':
			depth--
		case ',':
			expectKey = depth == 1
		case '"':
			end := stringEnd(b, i)
			if depth == 1 && expectKey {
				keys = append(keys, unquoteKey(b[i:end+1]))
				expectKey = false
			}
			i = end
		}
	}
	return keys
}

// stringEnd returns the index of the quote closing the JSON string that
// opens at b[open].
func stringEnd(b []byte, open int) int {
	for i := open + 1; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i
		}
	}
	return len(b) - 1
}

// unquoteKey returns the JSON string q unescaped.
func unquoteKey(q []byte) string {
	for _, c := range q {
		if c == '\\' {
			var s string
			_ = json.Unmarshal(q, &s) // q is a valid JSON string
			return s
		}
	}
	return string(q[1 : len(q)-1])
}
