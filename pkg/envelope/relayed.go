package envelope

import (
	"bytes"
	"strings"
)

// InsertedMetadata is the message metadata key under which a relayed
// envelope names the keys its first Parser inserted, comma-separated (see
// ParseRelayed).
const InsertedMetadata = "herald-inserted"

// ParseRelayed is Parse for an envelope a Parser has parsed before, whose
// Raw was relayed (the admin API publishing to the ingest topic): inserted
// names the keys that Parser inserted (its Envelope.Inserted), as carried in
// the message's InsertedMetadata. When b starts with exactly those members,
// written as a Parser writes them, they are recorded as inserted, so that
// Published gives back the bytes the publisher sent; otherwise inserted is
// ignored and the envelope counts as published as it is.
func (p *Parser) ParseRelayed(b []byte, inserted string) (*Envelope, error) {
	e, err := p.Parse(b)
	if err != nil || inserted == "" || len(e.Inserted) > 0 {
		return e, err
	}
	keys := strings.Split(inserted, ",")
	if n, ok := insertedLength(e, keys); ok {
		e.Inserted, e.InsertedBytes = keys, n
	}
	return e, nil
}

// insertedLength reports whether e.Raw begins, after its '{', with the
// members keys as a Parser inserts them, and how many bytes they take with
// the comma that separates them from the publisher's first member.
func insertedLength(e *Envelope, keys []string) (int, bool) {
	values := map[string]string{"event_id": e.EventID, typeField: e.EventType, "timestamp": e.Timestamp,
		"tenant_id": e.TenantID, "partner_id": e.PartnerID}
	var want []byte
	for i, k := range keys {
		v, ok := values[k]
		if !ok || v == "" {
			return 0, false
		}
		if i > 0 {
			want = append(want, ',')
		}
		want = appendJSONString(want, k)
		want = append(want, ':')
		want = appendJSONString(want, v)
	}
	rest, ok := bytes.CutPrefix(e.Raw[bytes.IndexByte(e.Raw, '{')+1:], want)
	switch {
	case !ok:
		return 0, false
	case len(rest) > 0 && rest[0] == ',':
		return len(want) + 1, true
	case bytes.HasPrefix(bytes.TrimLeft(rest, " \t\r\n"), []byte("}")):
		return len(want), true // the publisher's object was empty
	}
	return 0, false
}
