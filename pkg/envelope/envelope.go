package envelope

import "encoding/json"

// Envelope is a parsed, valid event. A string field absent from the input (or
// null) is "", except EventID and Timestamp, which always hold the delivered
// values. The validate tags are the field rules Parse applies: maxbytes counts
// bytes, event_type is lower-case dotted segments, event_id printable ASCII
// without whitespace, timestamp RFC 3339, category one of herald.Categories.
type Envelope struct {
	EventID    string          `json:"event_id" validate:"omitempty,maxbytes=255,event_id"`
	EventType  string          `json:"event_type" validate:"required,maxbytes=255,event_type"`
	Timestamp  string          `json:"timestamp" validate:"omitempty,timestamp"`
	TenantID   string          `json:"tenant_id" validate:"maxbytes=255"`
	PartnerID  string          `json:"partner_id" validate:"maxbytes=255"`
	Category   string          `json:"category" validate:"omitempty,category"`
	IdentityID string          `json:"identity_id" validate:"maxbytes=255"`
	Path       string          `json:"path" validate:"maxbytes=1024"`
	RequestID  string          `json:"request_id" validate:"maxbytes=255"`
	Data       json.RawMessage `json:"data" validate:"-"`

	// Raw is the envelope exactly as it will be delivered: the input bytes
	// unchanged, except that a generated event_id and/or timestamp are
	// inserted right after the opening '{' when they were absent. Raw is a
	// copy and never aliases the parsed input.
	Raw []byte `json:"-" validate:"-"`

	// Fields is Raw decoded into a map with encoding/json defaults (numbers
	// are float64), for filters. Unknown fields appear here too.
	Fields map[string]any `json:"-" validate:"-"`
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
