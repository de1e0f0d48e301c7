package envelope

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/heraldhq/herald/pkg/herald"
)

// rule is the rules of one well-known string field. A field that is ""
// passes them all unless it is required; otherwise the first that fails is
// the field's problem: required, then the length, then the format.
//
// The rules are all Herald's own, so the envelope checks them directly
// rather than through go-playground/validator as the admin API's inputs
// are: the validator's validateFn rule calls reflect.Value.MethodByName,
// which keeps every exported method of every type in a binary, and ingest's
// Lambda bootstrap would grow from about 14 to 22 MiB for it.
type rule struct {
	field    string
	value    func(*Envelope) string
	required bool
	maxBytes int               // 0: no limit
	format   func(string) bool // nil: any
	reason   string            // why format failed
	typ      string            // the problem's type when format failed
}

var rules = []rule{
	{field: "event_id", value: func(e *Envelope) string { return e.EventID }, maxBytes: 255,
		format: validEventID, reason: "must be printable ASCII without whitespace"},
	{field: "event_type", value: func(e *Envelope) string { return e.EventType }, required: true, maxBytes: 255,
		format: validEventType, reason: "must be lower-case dotted segments"},
	{field: "timestamp", value: func(e *Envelope) string { return e.Timestamp },
		format: validTimestamp, reason: "must be an RFC 3339 time"},
	{field: "tenant_id", value: func(e *Envelope) string { return e.TenantID }, maxBytes: 255,
		format: withoutControls, reason: "must not contain control characters"},
	{field: "partner_id", value: func(e *Envelope) string { return e.PartnerID }, maxBytes: 255,
		format: withoutControls, reason: "must not contain control characters"},
	{field: "category", value: func(e *Envelope) string { return e.Category },
		format: func(s string) bool { return slices.Contains(herald.Categories, s) },
		reason: "must be one of " + strings.Join(herald.Categories, ", "), typ: typeLiteralError},
	{field: "identity_id", value: func(e *Envelope) string { return e.IdentityID }, maxBytes: 255},
	{field: "path", value: func(e *Envelope) string { return e.Path }, maxBytes: 1024},
	{field: "request_id", value: func(e *Envelope) string { return e.RequestID }, maxBytes: 255},
}

// check returns the field's problem, or nil.
func (r rule) check(e *Envelope) *Problem {
	v := r.value(e)
	switch {
	case v == "" && r.required:
		return &Problem{Field: r.field, Reason: "field required", Type: typeMissing}
	case v == "":
		return nil
	case r.maxBytes > 0 && len(v) > r.maxBytes:
		return &Problem{Field: r.field, Reason: "must be at most " + strconv.Itoa(r.maxBytes) + " bytes", Type: typeTooLong}
	case r.format != nil && !r.format(v):
		p := &Problem{Field: r.field, Reason: r.reason, Type: r.typ}
		if p.Type == "" {
			p.Type = typeValueError
		}
		return p
	}
	return nil
}

// validEventType reports whether s is lower-case dotted segments:
// ^[a-z0-9_-]+(\.[a-z0-9_-]+)*$.
func validEventType(s string) bool {
	for seg := range strings.SplitSeq(s, ".") {
		if seg == "" {
			return false
		}
		for _, c := range []byte(seg) {
			if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_' || c == '-') {
				return false
			}
		}
	}
	return true
}

// validEventID reports whether s is printable ASCII without whitespace. Its
// length is checked by the maxbytes rule.
func validEventID(s string) bool {
	for _, c := range []byte(s) {
		if c <= ' ' || c > '~' {
			return false
		}
	}
	return s != ""
}

// withoutControls reports whether s holds no control character (NUL, the
// other C0 controls, DEL, C1), which ids compared, logged and stored as keys
// must not carry.
func withoutControls(s string) bool {
	return !strings.ContainsFunc(s, unicode.IsControl)
}

// validTimestamp reports whether s is an RFC 3339 time, with or without
// fractional seconds.
func validTimestamp(s string) bool {
	_, err := time.Parse(time.RFC3339Nano, s)
	return err == nil
}

// checkRules applies the field rules to e and returns a problem for each
// failure, skipping fields that already have a problem in seen.
func checkRules(e *Envelope, seen []Problem) []Problem {
	var problems []Problem
	for _, r := range rules {
		if slices.ContainsFunc(seen, func(p Problem) bool { return p.Field == r.field }) {
			continue
		}
		if p := r.check(e); p != nil {
			problems = append(problems, *p)
		}
	}
	return problems
}
