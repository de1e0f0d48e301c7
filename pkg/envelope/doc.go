// Package envelope parses and validates the event envelope published to
// Herald.
//
// An envelope is a JSON object with a required, lower-case dotted event_type
// and optional well-known fields (event_id, timestamp, tenant_id, partner_id,
// category, identity_id, path, request_id, data). Every other field is kept and
// delivered unchanged. A Parser checks the size limit and that the bytes are
// UTF-8, decodes the object, applies the field rules, refuses a well-known key
// given more than once (compared case-insensitively, as encoding/json matches
// keys) and, when event_id or timestamp is absent, generates it and inserts it
// into the delivered bytes. Every bad input is reported as a
// *ValidationError listing each problem, in the shape of FastAPI's 422 body.
//
// Native payloads, which are not shaped as this envelope, are taken too: a
// Parser configured with type fields (Config.TypeFields, "type", "action")
// reads the type from the first of them present, or gives a body with none
// Config.DefaultType, and inserts event_type. What the parser inserts is
// recorded (Envelope.Inserted, InsertedBytes), so that the bytes the
// publisher sent can still be delivered as they were (Envelope.Published).
package envelope
