package match

import (
	"strings"
	"testing"
)

func TestPattern(t *testing.T) {
	t.Parallel()
	tests := []struct {
		pattern, eventType string
		want               bool
	}{
		// Exact.
		{"secret.rotated", "secret.rotated", true},
		{"secret.rotated", "secret.created", false},
		{"secret.rotated", "secret", false},
		{"secret.rotated", "secret.rotated.x", false},
		{"secret", "secret", true},
		{"policy.created", "secret.created", false},
		// "*" is exactly one segment.
		{"secret.*", "secret.rotated", true},
		{"secret.*", "secret.a.b", false},
		{"secret.*", "secret", false},
		{"secret.*", "policy.rotated", false},
		{"*", "secret", true},
		{"*", "secret.rotated", false},
		{"*.created", "secret.created", true},
		{"*.created", "policy.created", true},
		{"*.created", "secret.deleted", false},
		{"*.created", "a.b.created", false},
		{"*.*", "a.b", true},
		{"*.*", "a", false},
		// "**" is any number of segments, including none.
		{"secret.**", "secret", true},
		{"secret.**", "secret.a", true},
		{"secret.**", "secret.a.b", true},
		{"secret.**", "secrets.a", false},
		{"secret.**", "policy.secret", false},
		{"**", "secret", true},
		{"**", "secret.rotated", true},
		{"**", "organization.directory.user_created", true},
		{"**", "", true},
		{"a.**.z", "a.z", true},
		{"a.**.z", "a.b.z", true},
		{"a.**.z", "a.b.c.z", true},
		{"a.**.z", "a.b", false},
		{"a.**.z", "a.z.b", false},
		{"a.**.z", "b.z", false},
		{"**.z", "z", true},
		{"**.z", "a.b.z", true},
		{"**.z", "a.z.b", false},
		{"a.**.b.**.c", "a.x.b.y.b.z.c", true},
		{"a.**.b.**.c", "a.x.c.b", false},
		{"**.*", "a", true},
		{"**.*", "", false},
		{"*.**", "a.b.c", true},
		{"a.**.*.z", "a.z", false},
		{"a.**.*.z", "a.b.z", true},
		// Literals with "_" and "-" (Scalekit, ScaiDrive types).
		{"organization.directory.user_created", "organization.directory.user_created", true},
		{"organization.directory.*", "organization.directory.user_created", true},
		{"organization.**", "organization.directory.group_created", true},
		{"organization.*", "organization.directory.user_created", false},
		{"organization.directory.user_created", "organization.directory.user_updated", false},
		{"file.share-link.created", "file.share-link.created", true},
		// Case-sensitive; the empty type has no segments.
		{"secret.rotated", "Secret.rotated", false},
		{"*", "", false},
		// Invalid patterns match nothing.
		{"", "", false},
		{"Secret.rotated", "Secret.rotated", false},
		{"a..b", "a..b", false},
		{"a.*x", "a.*x", false},
	}
	for _, tt := range tests {
		if got := Pattern(tt.pattern, tt.eventType); got != tt.want {
			t.Errorf("Pattern(%q, %q) = %v, want %v", tt.pattern, tt.eventType, got, tt.want)
		}
	}
}

func TestPatternLongInputIsFast(t *testing.T) {
	t.Parallel()
	// Many "**" against a long non-matching type: quadratic at worst.
	pattern := strings.Repeat("**.a.", 50) + "b"
	eventType := strings.Repeat("a.", 5000) + "c"
	if Pattern(pattern, eventType) {
		t.Fatal("Pattern matched, want no match")
	}
	if !Pattern(pattern, strings.Repeat("a.", 5000)+"b") {
		t.Fatal("Pattern did not match, want match")
	}
}

func TestValidPattern(t *testing.T) {
	t.Parallel()
	tests := []struct {
		pattern string
		wantErr string // substring of the error; "" means valid
	}{
		{"secret.rotated", ""},
		{"secret", ""},
		{"secret.*", ""},
		{"secret.**", ""},
		{"**", ""},
		{"*", ""},
		{"*.created", ""},
		{"a.**.z", ""},
		{"organization.directory.user_created", ""},
		{"file.share-link.created", ""},
		{"v2.item0", ""},
		{strings.Repeat("a", 255), ""},
		{"", "must not be empty"},
		{strings.Repeat("a", 256), "at most 255 bytes"},
		{"a..b", "empty segment"},
		{".a", "empty segment"},
		{"a.", "empty segment"},
		{".", "empty segment"},
		{"A.b", `segment "A"`},
		{"secret.Rotated", `segment "Rotated"`},
		{"a.*x", `segment "*x"`},
		{"a.***", `segment "***"`},
		{"a.x*", `segment "x*"`},
		{"secret rotated", `segment "secret rotated"`},
		{" secret", `segment " secret"`},
		{"secret.rotated ", `segment "rotated "`},
		{"a/b", `segment "a/b"`},
		{"é", "segment"},
	}
	for _, tt := range tests {
		err := ValidPattern(tt.pattern)
		switch {
		case tt.wantErr == "" && err != nil:
			t.Errorf("ValidPattern(%q) = %v, want nil", tt.pattern, err)
		case tt.wantErr != "" && err == nil:
			t.Errorf("ValidPattern(%q) = nil, want error containing %q", tt.pattern, tt.wantErr)
		case tt.wantErr != "" && !strings.Contains(err.Error(), tt.wantErr):
			t.Errorf("ValidPattern(%q) = %q, want error containing %q", tt.pattern, err, tt.wantErr)
		}
	}
}
