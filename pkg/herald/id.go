package herald

import (
	"crypto/rand"
	"encoding/binary"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
)

// Delivery ids are integers (seed 002 types them so) that order by creation
// time and are unique without coordination, and they stay below 2^53 so every
// JSON client reads them exactly: 41 bits of milliseconds since idEpoch (until
// 2093) followed by a 12-bit sequence that starts at a random value in each
// millisecond (in its lower half, so at least 2048 ids fit in one millisecond
// before the generator borrows the next). Two processes minting an id in the same millisecond collide with
// probability 1/4096; the ingest function creates deliveries with a conditional
// write and takes a new id when one is taken.
const (
	seqBits = 12
	seqMask = 1<<seqBits - 1
)

var idEpoch = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// DeliveryIDs mints delivery ids. The zero value is ready to use and safe for
// concurrent use.
type DeliveryIDs struct {
	mu     sync.Mutex
	lastMS int64
	seq    int64
}

// Next returns a new delivery id for time now.
func (g *DeliveryIDs) Next(now time.Time) int64 {
	g.mu.Lock()
	defer g.mu.Unlock()
	ms := now.Sub(idEpoch).Milliseconds()
	if ms < g.lastMS {
		ms = g.lastMS // the clock went back: stay monotonic
	}
	switch {
	case ms > g.lastMS:
		g.lastMS = ms
		g.seq = randomInt63() & (seqMask >> 1)
	case g.seq == seqMask:
		// The millisecond's sequence is used up: borrow the next one.
		g.lastMS++
		g.seq = randomInt63() & (seqMask >> 1)
	default:
		g.seq++
	}
	return g.lastMS<<seqBits | g.seq
}

// DeliveryIDTime returns the creation time encoded in a delivery id.
func DeliveryIDTime(id int64) time.Time {
	return idEpoch.Add(time.Duration(id>>seqBits) * time.Millisecond)
}

func randomInt63() int64 {
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return int64(binary.BigEndian.Uint64(b[:]) >> 1)
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
