package match

import (
	"fmt"
	"strings"
)

// maxPatternLen is the longest event-type pattern accepted, in bytes.
const maxPatternLen = 255

// Pattern segments with a special meaning.
const (
	anyOne  = "*"  // exactly one segment
	anyMany = "**" // any number of segments, including none
)

// ValidPattern reports why an event-type pattern is invalid, or nil when it is
// valid. A pattern is at most 255 bytes of dot-separated, non-empty segments;
// each segment is a literal of [a-z0-9_-]+, "*" (exactly one segment) or "**"
// (any number of segments, including none). The error message is short and
// meant for the person who wrote the pattern.
func ValidPattern(p string) error {
	if p == "" {
		return fmt.Errorf("pattern must not be empty")
	}
	if len(p) > maxPatternLen {
		return fmt.Errorf("pattern must be at most %d bytes", maxPatternLen)
	}
	for seg := range strings.SplitSeq(p, ".") {
		if seg == "" {
			return fmt.Errorf("pattern %q has an empty segment", p)
		}
		if seg == anyOne || seg == anyMany || isLiteral(seg) {
			continue
		}
		return fmt.Errorf("pattern %q: segment %q must be \"*\", \"**\" or lower-case letters, digits, \"_\" and \"-\"", p, seg)
	}
	return nil
}

// isLiteral reports whether seg is a non-empty run of [a-z0-9_-].
func isLiteral(seg string) bool {
	if seg == "" {
		return false
	}
	for i := 0; i < len(seg); i++ {
		c := seg[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// Pattern reports whether eventType matches pattern. An invalid pattern (see
// [ValidPattern]) matches nothing. The event type is not validated: it is split
// on "." and its segments are compared byte for byte with the literal segments
// of the pattern; the empty event type has no segments, so only patterns made
// of "**" match it.
func Pattern(pattern, eventType string) bool {
	if ValidPattern(pattern) != nil {
		return false
	}
	return matchSegments(strings.Split(pattern, "."), splitType(eventType))
}

// splitType splits an event type into its segments; "" has none.
func splitType(eventType string) []string {
	if eventType == "" {
		return nil
	}
	return strings.Split(eventType, ".")
}

// matchSegments reports whether the segments of an event type match the
// segments of a valid pattern. It is the classic wildcard match with one
// backtracking point: on a mismatch it returns to the most recent "**" and lets
// it absorb one more segment. Each "**" only ever moves forward, so the work is
// bounded by len(pat)*len(typ), with no recursion and no allocation.
func matchSegments(pat, typ []string) bool {
	p, t := 0, 0
	star, starT := -1, 0 // last "**" seen and the type segment it resumes from
	for t < len(typ) {
		switch {
		case p < len(pat) && pat[p] == anyMany:
			star, starT = p, t
			p++
		case p < len(pat) && (pat[p] == anyOne || pat[p] == typ[t]):
			p++
			t++
		case star >= 0:
			starT++
			p, t = star+1, starT
		default:
			return false
		}
	}
	for p < len(pat) && pat[p] == anyMany {
		p++
	}
	return p == len(pat)
}
