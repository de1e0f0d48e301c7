package envelope

import (
	"encoding/json"

	"github.com/heraldhq/herald/pkg/herald"
)

// Envelope is a parsed, valid event. A string field absent from the input (or
// null) is "", except EventID and Timestamp, which always hold the delivered
// values. Parse applies the field rules (see rules): lengths in bytes,
// event_type lower-case dotted segments, event_id printable ASCII without
// whitespace, tenant_id and partner_id without control characters,
// timestamp RFC 3339, category one of herald.Categories.
type Envelope struct {
	EventID    string          `json:"event_id"`
	EventType  string          `json:"event_type"`
	Timestamp  string          `json:"timestamp"`
	TenantID   string          `json:"tenant_id"`
	PartnerID  string          `json:"partner_id"`
	Category   string          `json:"category"`
	IdentityID string          `json:"identity_id"`
	Path       string          `json:"path"`
	RequestID  string          `json:"request_id"`
	Data       json.RawMessage `json:"data"`

	// Raw is the envelope exactly as it will be delivered: the input bytes
	// unchanged, except that a generated event_id and/or timestamp are
	// inserted right after the opening '{' when they were absent. Raw is a
	// copy and never aliases the parsed input.
	Raw []byte `json:"-"`

	// Fields is Raw decoded into a map with encoding/json defaults (numbers
	// are float64), for filters. Unknown fields appear here too.
	Fields map[string]any `json:"-"`

	// Inserted lists the keys Herald inserted at the head of Raw, in order
	// (event_id, event_type, timestamp, tenant_id, partner_id: those the
	// input lacked), and InsertedBytes how many bytes they take after the
	// opening '{', separating comma included: Published cuts them out again.
	Inserted      []string `json:"-"`
	InsertedBytes int      `json:"-"`
}

// Published returns the envelope as its publisher sent it: Raw without the
// members Herald inserted.
func (e *Envelope) Published() []byte {
	return []byte(herald.CutInserted(string(e.Raw), e.InsertedBytes))
}

// stringField names a well-known string field of the envelope and where its
// decoded value goes.
type stringField struct {
	name string
	dst  *string
	// generated fields are filled in when absent, so a present null or ""
	// (which could not be replaced without a duplicate key) is rejected.
	generated bool
}

// stringFields lists e's well-known string fields in declaration order.
func (e *Envelope) stringFields() []stringField {
	return []stringField{
		{name: "event_id", dst: &e.EventID, generated: true},
		{name: "event_type", dst: &e.EventType},
		{name: "timestamp", dst: &e.Timestamp, generated: true},
		{name: "tenant_id", dst: &e.TenantID},
		{name: "partner_id", dst: &e.PartnerID},
		{name: "category", dst: &e.Category},
		{name: "identity_id", dst: &e.IdentityID},
		{name: "path", dst: &e.Path},
		{name: "request_id", dst: &e.RequestID},
	}
}
