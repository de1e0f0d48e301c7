package iamcheck

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
)

// Statement is one statement of an IAM policy document.
type Statement struct {
	Sid         string          `json:"Sid,omitempty"`
	Effect      string          `json:"Effect"`
	Action      strings1        `json:"Action,omitempty"`
	NotAction   strings1        `json:"NotAction,omitempty"`
	Resource    strings1        `json:"Resource,omitempty"`
	NotResource strings1        `json:"NotResource,omitempty"`
	Condition   json.RawMessage `json:"Condition,omitempty"`
	// Policy names the policy the statement came from, for messages.
	Policy string `json:"-"`
}

// strings1 is a policy element that is a string or a list of strings.
type strings1 []string

func (s *strings1) UnmarshalJSON(b []byte) error {
	var one string
	if json.Unmarshal(b, &one) == nil {
		*s = strings1{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return fmt.Errorf("want a string or a list of strings: %s", b)
	}
	*s = many
	return nil
}

// ParsePolicy parses a policy document (JSON, or JSON URL-encoded as IAM's
// API returns it) and labels its statements with name.
func ParsePolicy(name, doc string) ([]Statement, error) {
	if strings.HasPrefix(doc, "%7B") || strings.HasPrefix(doc, "%7b") {
		if d, err := url.QueryUnescape(doc); err == nil {
			doc = d
		}
	}
	var p struct {
		Statement json.RawMessage `json:"Statement"`
	}
	if err := json.Unmarshal([]byte(doc), &p); err != nil {
		return nil, fmt.Errorf("policy %s: %w", name, err)
	}
	var sts []Statement
	if err := json.Unmarshal(p.Statement, &sts); err != nil {
		var one Statement
		if err := json.Unmarshal(p.Statement, &one); err != nil {
			return nil, fmt.Errorf("policy %s: statement: %w", name, err)
		}
		sts = []Statement{one}
	}
	for i := range sts {
		sts[i].Policy = name
	}
	return sts, nil
}

// Decision is the outcome of evaluating a request.
type Decision int

// The decisions, as IAM names them.
const (
	ImplicitDeny Decision = iota // no statement allows it
	Allow
	ExplicitDeny // a Deny statement matches
)

func (d Decision) String() string {
	return [...]string{"implicit deny", "allow", "explicit deny"}[d]
}

// Evaluate decides whether statements allow action on resource: an explicit
// Deny wins, then any Allow; otherwise the implicit deny.
func Evaluate(statements []Statement, action, resource string) Decision {
	d := ImplicitDeny
	for _, s := range statements {
		if len(s.Condition) > 0 && string(s.Condition) != "null" && string(s.Condition) != "{}" {
			continue
		}
		if !s.matchesAction(action) || !s.matchesResource(resource) {
			continue
		}
		switch {
		case strings.EqualFold(s.Effect, "Deny"):
			return ExplicitDeny
		case strings.EqualFold(s.Effect, "Allow"):
			d = Allow
		}
	}
	return d
}

func (s Statement) matchesAction(action string) bool {
	if len(s.NotAction) > 0 {
		return !anyMatch(s.NotAction, action, true)
	}
	return anyMatch(s.Action, action, true)
}

func (s Statement) matchesResource(resource string) bool {
	if len(s.NotResource) > 0 {
		return !anyMatch(s.NotResource, resource, false)
	}
	return anyMatch(s.Resource, resource, false)
}

func anyMatch(patterns []string, value string, fold bool) bool {
	for _, p := range patterns {
		if fold {
			if Match(strings.ToLower(p), strings.ToLower(value)) {
				return true
			}
		} else if Match(p, value) {
			return true
		}
	}
	return false
}

// Match reports whether value matches pattern, where * matches any run of
// characters (none included) and ? any one character, as in IAM policies.
// A request's resource "*" (one the request does not name) is matched only
// by the pattern "*".
func Match(pattern, value string) bool {
	if value == "*" {
		return pattern == "*"
	}
	// Iterative wildcard match with backtracking to the last star.
	p, v, star, mark := 0, 0, -1, 0
	for v < len(value) {
		switch {
		case p < len(pattern) && (pattern[p] == '?' || pattern[p] == value[v]):
			p++
			v++
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, v
			p++
		case star >= 0:
			p, mark = star+1, mark+1
			v = mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}
