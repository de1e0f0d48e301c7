package signature

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
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
}

// DefaultPrefix is the header prefix when none is configured.
const DefaultPrefix = "X-Herald-"

// Sign sets the signature headers of m on h. keys[0] is the current key; any
// further keys (a rotated-out secret in its grace period) add more v1 entries
// to webhook-signature. The hex <prefix>Signature uses keys[0] only.
func (s Signer) Sign(h http.Header, m Message, keys ...[]byte) {
	prefix := s.Prefix
	if prefix == "" {
		prefix = DefaultPrefix
	}
	ts := strconv.FormatInt(m.Timestamp.Unix(), 10)
	sigs := make([]string, 0, len(keys))
	for _, k := range keys {
		sigs = append(sigs, V1(k, m.ID, ts, m.Body))
	}
	h.Set(HeaderID, m.ID)
	h.Set(HeaderTimestamp, ts)
	h.Set(HeaderSignature, strings.Join(sigs, " "))
	h.Set(prefix+"Event", m.EventType)
	h.Set(prefix+"Delivery-Id", strconv.FormatInt(m.DeliveryID, 10))
	if len(keys) > 0 {
		h.Set(prefix+"Signature", Hex(keys[0], m.Body))
	}
}

// V1 returns the Standard Webhooks signature "v1,<base64 HMAC-SHA256(key,
// id.timestamp.body)>" with the timestamp in Unix seconds.
func V1(key []byte, id, timestamp string, body []byte) string {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(id))
	mac.Write([]byte{'.'})
	mac.Write([]byte(timestamp))
	mac.Write([]byte{'.'})
	mac.Write(body)
	return "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// Hex returns "sha256=<hex HMAC-SHA256(key, body)>".
func Hex(key, body []byte) string {
	mac := hmac.New(sha256.New, key)
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// VerifyHex reports whether header is the hex signature of body under key,
// comparing in constant time.
func VerifyHex(key, body []byte, header string) bool {
	return hmac.Equal([]byte(header), []byte(Hex(key, body)))
}
