package envelope

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/heraldhq/herald/pkg/herald"
)

// DefaultMaxBytes is the largest accepted envelope unless Config.MaxBytes
// says otherwise: 256 KiB.
const DefaultMaxBytes = herald.DefaultMaxEventBytes

// Config configures a Parser.
type Config struct {
	// MaxBytes is the largest accepted envelope. Defaults to DefaultMaxBytes
	// (when zero or negative).
	MaxBytes int
	// Now returns the current time, used when timestamp is absent. Defaults
	// to time.Now.
	Now func() time.Time
	// NewID returns a new event id, used when event_id is absent. Defaults to
	// herald.NewEventID.
	NewID func() string
	// TypeFields are the top-level fields an event's type is taken from,
	// the first present one winning, so that native payloads ("type",
	// "action") need no event_type. event_type, when present, is always
	// the type, and another type field given alongside must equal it.
	// Defaults to just event_type. Names must pass CheckTypeField.
	TypeFields []string
	// DefaultType is the type of an envelope with none of TypeFields;
	// "" (the default) refuses such an envelope. It must pass
	// ValidEventType.
	DefaultType string
}

// Parser parses envelopes. The zero value is not usable; use New. A Parser is
// safe for concurrent use.
type Parser struct {
	maxBytes    int
	now         func() time.Time
	newID       func() string
	typeFields  []string
	defaultType string
}

// New returns a Parser configured by cfg.
func New(cfg Config) *Parser {
	p := &Parser{maxBytes: cfg.MaxBytes, now: cfg.Now, newID: cfg.NewID,
		typeFields: slices.Clone(cfg.TypeFields), defaultType: cfg.DefaultType}
	if len(p.typeFields) == 0 {
		p.typeFields = []string{typeField}
	}
	if p.maxBytes <= 0 {
		p.maxBytes = DefaultMaxBytes
	}
	if p.now == nil {
		p.now = time.Now
	}
	if p.newID == nil {
		p.newID = herald.NewEventID
	}
	return p
}

// Parse parses and validates the envelope b. It returns a *ValidationError
// listing every problem when b is over the size limit, is not valid UTF-8,
// is not a JSON object, has a well-known field of the wrong JSON type,
// breaks a field rule or has a reserved key (a well-known field) more than
// once, compared case-insensitively, counting the keys it would insert.
//
// When event_id or timestamp is absent it is generated (Config.NewID, or
// Config.Now in UTC as RFC 3339 with nanoseconds) and inserted into Raw;
// present as null or "" it is rejected, since a value could not be inserted
// without repeating the key. b is not retained.
func (p *Parser) Parse(b []byte) (*Envelope, error) { return p.ParseScoped(b, "", "") }

// ParseScoped is Parse for a publisher bound to a tenant and/or partner (a
// non-empty tenantID or partnerID): the envelope's tenant_id (partner_id) is
// set to it when absent. Whether a present value matches is the caller's
// check.
func (p *Parser) ParseScoped(b []byte, tenantID, partnerID string) (*Envelope, error) {
	if len(b) > p.maxBytes {
		return nil, invalid(Problem{Reason: fmt.Sprintf("exceeds %d bytes", p.maxBytes), Type: typeTooLong})
	}
	if !utf8.Valid(b) {
		return nil, invalid(Problem{Reason: "must be valid UTF-8", Type: typeJSONInvalid})
	}
	members, prob := decodeObject(b)
	if prob != nil {
		return nil, invalid(*prob)
	}
	e := &Envelope{}
	problems := decodeFields(members, e)
	insertType, typeProblems := p.resolveType(members, e)
	problems = append(problems, typeProblems...)
	problems = append(problems, checkRules(e, problems)...)
	if len(problems) > 0 {
		p.nameTypeFields(problems)
		return nil, invalid(problems...)
	}
	generated := p.generate(e, members, insertType, tenantID, partnerID)
	if problems := repeatedKeys(objectKeys(b), generated); len(problems) > 0 {
		return nil, invalid(problems...)
	}

	if len(generated) > 0 {
		e.Raw = insertMembers(b, generated, len(members) == 0)
		e.InsertedBytes = len(e.Raw) - len(b)
		for _, m := range generated {
			e.Inserted = append(e.Inserted, m.key)
		}
		// The limit holds for what is delivered: an envelope that fits only
		// without its generated fields would be refused downstream.
		if len(e.Raw) > p.maxBytes {
			return nil, invalid(Problem{Type: typeTooLong,
				Reason: fmt.Sprintf("exceeds %d bytes once event_id, timestamp and the publisher's scope are added", p.maxBytes)})
		}
	} else {
		e.Raw = append([]byte(nil), b...)
	}
	if err := json.Unmarshal(e.Raw, &e.Fields); err != nil {
		// Unreachable: b is a valid object and the inserted members are
		// valid JSON. Reported rather than delivering a broken envelope.
		return nil, invalid(Problem{Reason: "invalid JSON", Type: typeJSONInvalid})
	}
	return e, nil
}

// nameTypeFields rewrites the missing event_type problem to name every
// field the type was looked for in.
func (p *Parser) nameTypeFields(problems []Problem) {
	for i := range problems {
		if problems[i].Field == typeField && problems[i].Type == typeMissing {
			problems[i].Reason = p.missingTypeReason()
		}
	}
}

// generate fills in the fields e lacks (event_id and timestamp, event_type
// when insertType says it came from another field or the default, and the
// bound publisher's tenant and partner) and returns them, to insert.
func (p *Parser) generate(e *Envelope, members map[string]json.RawMessage, insertType bool, tenantID, partnerID string) []member {
	var generated []member
	if _, ok := members["event_id"]; !ok {
		e.EventID = p.newID()
		generated = append(generated, member{"event_id", e.EventID})
	}
	if insertType {
		generated = append(generated, member{typeField, e.EventType})
	}
	if _, ok := members["timestamp"]; !ok {
		e.Timestamp = p.now().UTC().Format(time.RFC3339Nano)
		generated = append(generated, member{"timestamp", e.Timestamp})
	}
	if _, ok := members["tenant_id"]; !ok && tenantID != "" {
		e.TenantID = tenantID
		generated = append(generated, member{"tenant_id", tenantID})
	}
	if _, ok := members["partner_id"]; !ok && partnerID != "" {
		e.PartnerID = partnerID
		generated = append(generated, member{"partner_id", partnerID})
	}
	return generated
}
