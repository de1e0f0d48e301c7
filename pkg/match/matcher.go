package match

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/heraldhq/herald/pkg/herald"
)

// Event is what matching needs to know about an event.
type Event struct {
	// Type is the event type, e.g. "secret.rotated".
	Type string
	// Category is the audit category, e.g. "SECURITY"; it may be empty.
	Category string
	// TenantID and PartnerID are the event's tenant and partner; either may be
	// empty.
	TenantID  string
	PartnerID string
	// Fields is the whole envelope decoded with encoding/json, so numbers are
	// float64. Filters look their fields up here.
	Fields map[string]any
}

// Matcher is a webhook's subscription compiled once: its patterns checked and
// split, its filter values decoded. It is immutable and safe for concurrent
// use. Build one with [Compile]; the zero Matcher matches nothing.
type Matcher struct {
	all        bool       // no patterns and no categories: every event is selected
	patterns   [][]string // event-type patterns split into segments
	categories []string
	tenantID   string
	partnerID  string
	filters    []filter
}

// Compile checks the subscription of w (its event patterns, categories, tenant
// scope and filters) and returns the Matcher for it. The error names the first
// invalid pattern ("events[1]: …") or filter ("filters[0]: …") and is short
// enough to show to the person who configured the webhook. Categories are
// compared as given and are not checked against [herald.Categories]. Whether
// the webhook is enabled or paused is not part of matching.
func Compile(w *herald.Webhook) (*Matcher, error) {
	if w == nil {
		return nil, errors.New("no webhook")
	}
	for i, p := range w.Events {
		if err := ValidPattern(p); err != nil {
			return nil, fmt.Errorf("events[%d]: %w", i, err)
		}
	}
	m := selector(w)
	m.tenantID, m.partnerID = w.TenantID, w.PartnerID
	for i, f := range w.Filters {
		cf, err := compileFilter(f)
		if err != nil {
			return nil, fmt.Errorf("filters[%d]: %w", i, err)
		}
		m.filters = append(m.filters, cf)
	}
	return m, nil
}

// Match reports whether the event is selected by the webhook's patterns or
// categories, is within its tenant and partner scope, and satisfies every one
// of its filters. An event without a category is never selected by category.
func (m *Matcher) Match(ev Event) bool {
	if m.tenantID != "" && ev.TenantID != m.tenantID {
		return false
	}
	if m.partnerID != "" && ev.PartnerID != m.partnerID {
		return false
	}
	if !m.selects(ev) {
		return false
	}
	for _, f := range m.filters {
		if !f.holds(ev.Fields) {
			return false
		}
	}
	return true
}

// selector returns the part of w's subscription that selects events: its
// patterns (split, not checked) and categories.
func selector(w *herald.Webhook) *Matcher {
	m := &Matcher{
		all:        len(w.Events) == 0 && len(w.Categories) == 0,
		categories: slices.Clone(w.Categories),
	}
	for _, p := range w.Events {
		m.patterns = append(m.patterns, strings.Split(p, "."))
	}
	return m
}

// Explain returns what in webhook w's subscription matched ev, for a
// webhook that Match found matching (it does not match again): the category
// that selected ev, or else the first of w's patterns that matches its type
// (neither for a webhook subscribed to every event), and the filters ev
// passed — all of w's. The fan-out records it on each delivery.
func Explain(w *herald.Webhook, ev Event) herald.Match {
	out := herald.Match{Filters: slices.Clone(w.Filters)}
	var pattern int
	out.Category, pattern, _ = selector(w).selection(ev)
	if pattern >= 0 {
		out.Pattern = w.Events[pattern]
	}
	return out
}

// selects reports whether the event's category or type is subscribed to.
func (m *Matcher) selects(ev Event) bool {
	_, _, ok := m.selection(ev)
	return ok
}

// selection reports whether the event's category or type is subscribed to,
// and by what: the category named, or else the index of the first pattern
// that matches the type (-1 for none); neither for a subscription to every
// event.
// Herald's own events (herald.IsOwnEvent: webhook.*, application.*) are
// selected only by asking for them: by category, or by a pattern that names
// its first segment ("webhook.**", "application.created"); a webhook with no
// patterns, or with "**" or "*.…", does not get them.
func (m *Matcher) selection(ev Event) (category string, pattern int, ok bool) {
	own := herald.IsOwnEvent(ev.Type)
	if m.all {
		return "", -1, !own
	}
	if ev.Category != "" && slices.Contains(m.categories, ev.Category) {
		return ev.Category, -1, true
	}
	typ := splitType(ev.Type)
	for i, p := range m.patterns {
		if own && (p[0] == "*" || p[0] == "**") {
			continue
		}
		if matchSegments(p, typ) {
			return "", i, true
		}
	}
	return "", -1, false
}
