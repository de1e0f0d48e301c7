package awslambda

import (
	"encoding/base64"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"

	"github.com/aws/aws-lambda-go/events"
)

// base64EncodedKey is the message attribute gocloud's awssnssqs driver adds
// when it base64-encodes a body (one that is not valid UTF-8).
const base64EncodedKey = "base64encoded"

// DecodeRecord returns the body and metadata a gocloud topic published, from
// an SQS record as Lambda hands it over — exactly what gocloud's awssnssqs
// subscription would have received: a raw message (attributes at the top
// level) or an SNS notification wrapped in JSON, base64 bodies decoded, and
// metadata keys and values unescaped.
func DecodeRecord(r events.SQSMessage) (body []byte, metadata map[string]string) {
	raw := map[string]string{}
	for k, v := range r.MessageAttributes {
		if v.StringValue != nil {
			raw[k] = *v.StringValue
		}
	}
	bodyStr, raw := unwrapSNS(r.Body, raw)
	decode := false
	metadata = map[string]string{}
	for k, v := range raw {
		if k == base64EncodedKey {
			decode = true
			continue
		}
		metadata[hexUnescape(k)] = urlUnescape(v)
	}
	if decode {
		if b, err := base64.StdEncoding.DecodeString(bodyStr); err == nil {
			return b, metadata
		}
	}
	return []byte(bodyStr), metadata
}

// unwrapSNS returns the message and attributes of an SNS notification that
// reached SQS without raw delivery; anything else is returned as it is.
// Top-level attributes mean raw delivery.
func unwrapSNS(body string, attrs map[string]string) (string, map[string]string) {
	if len(attrs) > 0 {
		return body, attrs
	}
	var n struct {
		Type, MessageId, TopicArn, Timestamp, Message string
		MessageAttributes                             map[string]struct{ Value string }
	}
	if err := json.Unmarshal([]byte(body), &n); err != nil || n.Type != "Notification" ||
		n.MessageId == "" || n.TopicArn == "" || n.Timestamp == "" {
		return body, attrs
	}
	for k, v := range n.MessageAttributes {
		attrs[k] = v.Value
	}
	return n.Message, attrs
}

// hexUnescape undoes gocloud's escaping of metadata keys: "__0x<hex>__"
// stands for the rune with that code.
func hexUnescape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		if strings.HasPrefix(s[i:], "__0x") {
			if end := strings.Index(s[i+4:], "__"); end > 0 {
				if r, err := strconv.ParseInt(s[i+4:i+4+end], 16, 32); err == nil {
					b.WriteRune(rune(r))
					i += 4 + end + 2
					continue
				}
			}
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}

// urlUnescape undoes gocloud's escaping of metadata values.
func urlUnescape(s string) string {
	if u, err := url.PathUnescape(s); err == nil {
		return u
	}
	return s
}
