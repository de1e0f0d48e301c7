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
var reservedKeys = func() []string {
	var e Envelope
	var keys []string
	for _, f := range e.stringFields() {
		keys = append(keys, f.name)
	}
	return append(keys, "data")
}()

// reservedIndex maps each reserved key, folded, to its place in
// reservedKeys.
var reservedIndex = func() map[string]int {
	m := make(map[string]int, len(reservedKeys))
	for i, k := range reservedKeys {
		m[string(appendFolded(nil, k))] = i
	}
	return m
}()

// appendFolded appends s folded as encoding/json folds a key before it
// compares it with a field name: each rune upper-cased after being
// lower-cased.
func appendFolded(out []byte, s string) []byte {
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
	return out
}

// repeatedKeys returns a problem for each reserved key that appears more
// than once among keys and added (the keys the parser inserts), named by
// the reserved key.
func repeatedKeys(keys []string, added []member) []Problem {
	counts := make([]int, len(reservedKeys))
	var buf [64]byte
	count := func(k string) {
		if i, ok := reservedIndex[string(appendFolded(buf[:0], k))]; ok {
			counts[i]++
		}
	}
	for _, k := range keys {
		count(k)
	}
	for _, m := range added {
		count(m.key)
	}
	var problems []Problem
	for i, n := range counts {
		if n > 1 {
			problems = append(problems, Problem{Field: reservedKeys[i], Type: typeValueError,
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
