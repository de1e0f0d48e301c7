package herald

import (
	"hash/fnv"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Delivery ids are integers that order by creation
// time and stay below 2^53 so every JSON client reads them exactly: 41 bits
// of milliseconds since idEpoch (until 2093) followed by a 12-bit sequence.
//
// A delivery's id is derived from what it delivers, not minted: the
// milliseconds are its event's ingest time and the sequence a hash of the
// event's key and the webhook (see DeliveryIDFor). Two handlers fanning out
// one event therefore create each delivery under the same id, and the
// second create finds the first's instead of making another. Another
// delivery can hold that id (a hash collision, 1 in 4096 per pair of
// deliveries of one millisecond); the next probe is then tried, one
// millisecond on, with a fresh hash.
const (
	seqBits = 12
	seqMask = 1<<seqBits - 1
)

var idEpoch = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// DeliveryIDFor returns the id of the delivery of the event stored under
// eventKey (see EventKey), ingested at ingested, to webhook webhookID, at
// probe 0, 1, 2…: each probe is the id to try when the previous one is
// held by another delivery.
func DeliveryIDFor(eventKey, webhookID string, ingested time.Time, probe int) int64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte(eventKey)) // a hash.Hash never fails to write
	_, _ = h.Write([]byte{0})
	_, _ = h.Write([]byte(webhookID))
	_, _ = h.Write([]byte{0, byte(probe >> 8), byte(probe)})
	ms := max(ingested.Sub(idEpoch).Milliseconds(), 0) + int64(probe)
	return ms<<seqBits | int64(h.Sum64()&seqMask)
}

// DeliveryIDTime returns the creation time encoded in a delivery id.
func DeliveryIDTime(id int64) time.Time {
	return idEpoch.Add(time.Duration(id>>seqBits) * time.Millisecond)
}

// DeliveryIDAt returns the smallest delivery id of time t: delivery ids
// order by the ingest time of their events, so the deliveries of events
// ingested at t or later have ids from it on, those of earlier ones ids
// below it.
func DeliveryIDAt(t time.Time) int64 {
	return max(t.Sub(idEpoch).Milliseconds(), 0) << seqBits
}

// NewWebhookID returns a new webhook id, "wh_" followed by a time-ordered UUID.
func NewWebhookID() string { return "wh_" + compactUUID() }

// NewEventID returns a new event id, "evt_" followed by a time-ordered UUID.
func NewEventID() string { return "evt_" + compactUUID() }

func compactUUID() string {
	u, err := uuid.NewV7()
	if err != nil {
		u = uuid.New()
	}
	return strings.ReplaceAll(u.String(), "-", "")
}
