package herald

import "strconv"

// EventKey returns the key an event is stored under in the events
// collection: its event_id within the scope it was published in, so that a
// repeated event_id is a duplicate only within one tenant and partner, and
// no publisher can take (and so suppress) an id of another scope.
//
// An unscoped event (no tenant_id, no partner_id) keeps its plain id. A
// scoped one is the id, a space and its tenant and partner ids, each quoted
// as a Go string literal: `inv-1 "tnt_a" ""`. The key is unambiguous: an
// event_id holds no space (the envelope allows printable ASCII without
// whitespace), so no plain id is a scoped key, and the quoted ids end where
// their closing quote does, so no two scopes give the same key.
func EventKey(eventID, tenantID, partnerID string) string {
	if tenantID == "" && partnerID == "" {
		return eventID
	}
	b := make([]byte, 0, len(eventID)+len(tenantID)+len(partnerID)+6)
	b = append(b, eventID...)
	b = append(b, ' ')
	b = strconv.AppendQuote(b, tenantID)
	b = append(b, ' ')
	b = strconv.AppendQuote(b, partnerID)
	return string(b)
}

// PublishedID returns the event_id the event was published with, which
// receivers see (webhook-id) and admins read. Events stored before the key
// was scoped have no EventID field: their key is that id.
func (e *Event) PublishedID() string {
	if e.EventID != "" {
		return e.EventID
	}
	return e.ID
}

// EventStoreKey returns the key of the delivery's event in the events
// collection (see EventKey). Deliveries created before the key was scoped
// have no EventKey: their event is stored under EventID.
func (d *Delivery) EventStoreKey() string {
	if d.EventKey != "" {
		return d.EventKey
	}
	return d.EventID
}
