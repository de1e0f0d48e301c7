package signature

import (
	"net/http"
	"net/textproto"
	"strconv"
	"time"
)

// Standard Webhooks header names.
const (
	HeaderID        = "webhook-id"
	HeaderTimestamp = "webhook-timestamp"
	HeaderSignature = "webhook-signature"
)

// Message is one signed request.
type Message struct {
	// ID is the webhook-id: the event id, the same on every attempt.
	ID string
	// EventType goes into <prefix>Event.
	EventType string
	// DeliveryID goes into <prefix>Delivery-Id.
	DeliveryID int64
	// Timestamp is when this attempt is made.
	Timestamp time.Time
	// Body is the payload, signed exactly as sent.
	Body []byte
}

// Signer writes the signature headers for a deployment.
type Signer struct {
	// Prefix is put before Event, Delivery-Id and Signature. Defaults to
	// "X-Herald-" when empty.
	Prefix string
	// Hex is what <prefix>Signature carries. Defaults to HexSHA256.
	Hex HexMode
}

// DefaultPrefix is the header prefix when none is configured.
const DefaultPrefix = "X-Herald-"

// Canonical forms of the Standard Webhooks header names, as http.Header
// stores them (TestSignMatchesPlainHMAC compares with h.Set).
const (
	canonicalID        = "Webhook-Id"
	canonicalTimestamp = "Webhook-Timestamp"
	canonicalSignature = "Webhook-Signature"
)

// Sign sets the signature headers of m on h. secrets[0] is the current
// secret; any further ones (a rotated-out secret in its grace period) add
// more v1 entries to webhook-signature. The hex <prefix>Signature, as s.Hex
// says, uses secrets[0] only: its Key (HexSHA256) or its Text (HexPlain; a
// Secret without Text gets no hex header), or is left out (HexOff).
//
// The headers are exactly what h.Set would make of each, set in the same
// order, with two allocations in all: one string holding every value and
// prefixed name (see signedText), and one array backing every header's
// one-element value slice.
func (s Signer) Sign(h http.Header, m Message, secrets ...Secret) {
	prefix := s.Prefix
	if prefix == "" {
		prefix = DefaultPrefix
	}
	t := newSignedText(prefix, s.Hex, m, secrets)
	vals := make([]string, 0, 6)
	set := func(name, v string) {
		vals = append(vals, v)
		n := len(vals)
		h[textproto.CanonicalMIMEHeaderKey(name)] = vals[n-1 : n : n]
	}
	set(canonicalID, m.ID)
	set(canonicalTimestamp, t.timestamp)
	set(canonicalSignature, t.signatures)
	set(t.eventName, m.EventType)
	set(t.deliveryName, t.deliveryID)
	if t.hex != "" {
		set(t.hexName, t.hex)
	}
}

// signedText is the text Sign computes, as substrings of one string.
type signedText struct {
	timestamp, signatures, deliveryID, hex string
	// The prefixed header names, canonical when canonicalizing them is a
	// change of case alone (see appendName).
	eventName, deliveryName, hexName string
}

// signBuf sizes the stack buffer newSignedText builds in: enough for two keys
// and a long prefix; more spills to the heap.
const signBuf = 512

// newSignedText computes the headers' text into a stack buffer and converts
// it to a string once.
func newSignedText(prefix string, mode HexMode, m Message, secrets []Secret) signedText {
	var buf [signBuf]byte
	b := strconv.AppendInt(buf[:0], m.Timestamp.Unix(), 10)
	var end [7]int // where each field of signedText ends in b, in order
	end[0] = len(b)
	for i, sec := range secrets {
		if i > 0 {
			b = append(b, ' ')
		}
		// appendV1 reads the timestamp before it appends, and only past it.
		b = appendV1(b, sec.Key, m.ID, b[:end[0]], m.Body)
	}
	end[1] = len(b)
	b = strconv.AppendInt(b, m.DeliveryID, 10)
	end[2] = len(b)
	switch {
	case len(secrets) == 0:
	case mode == HexSHA256:
		b = AppendHex(b, secrets[0].Key, m.Body)
	case mode == HexPlain && secrets[0].Text != "":
		b = AppendPlainHex(b, secrets[0].Text, m.Body)
	}
	end[3] = len(b)
	for i, name := range [...]string{"Event", "Delivery-Id", "Signature"} {
		b = appendName(b, prefix, name)
		end[4+i] = len(b)
	}
	text := string(b)
	return signedText{
		timestamp: text[:end[0]], signatures: text[end[0]:end[1]],
		deliveryID: text[end[1]:end[2]], hex: text[end[2]:end[3]],
		eventName: text[end[3]:end[4]], deliveryName: text[end[4]:end[5]],
		hexName: text[end[5]:end[6]],
	}
}

// appendName appends prefix+name to b in canonical header form when both are
// letters, digits and hyphens (the only case where that form is a change of
// case alone), and as given otherwise; Sign canonicalizes it either way, but
// without allocating when it already is canonical.
func appendName(b []byte, prefix, name string) []byte {
	start := len(b)
	b = append(append(b, prefix...), name...)
	word := b[start:]
	for _, c := range word {
		if c != '-' && (c < '0' || c > '9') && (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') {
			return b
		}
	}
	upper := true
	for i, c := range word {
		switch {
		case upper && 'a' <= c && c <= 'z':
			word[i] = c - 'a' + 'A'
		case !upper && 'A' <= c && c <= 'Z':
			word[i] = c - 'A' + 'a'
		}
		upper = c == '-'
	}
	return b
}
