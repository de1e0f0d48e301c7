package auth

import (
	"slices"
	"strings"

	"github.com/heraldhq/herald/pkg/herald"
)

// splitScopes splits a space-separated scope string (RFC 6749 §3.3),
// dropping duplicates and empty items.
func splitScopes(s string) []string {
	var out []string
	for _, sc := range strings.Fields(s) {
		if !slices.Contains(out, sc) {
			out = append(out, sc)
		}
	}
	return out
}

// joinScopes is the inverse of splitScopes.
func joinScopes(scopes []string) string { return strings.Join(scopes, " ") }

// intersect returns the scopes of want that have also holds, in want's
// order. It never returns nil.
func intersect(want, have []string) []string {
	out := []string{}
	for _, s := range want {
		if slices.Contains(have, s) && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// known keeps the scopes Herald knows, dropping the rest.
func known(scopes []string) []string { return intersect(scopes, herald.AllScopes) }

// subset reports whether every scope of want is in have.
func subset(want, have []string) bool {
	for _, s := range want {
		if !slices.Contains(have, s) {
			return false
		}
	}
	return true
}
