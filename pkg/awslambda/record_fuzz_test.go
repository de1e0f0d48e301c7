package awslambda_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"unicode"

	"github.com/aws/aws-lambda-go/events"

	"github.com/heraldhq/herald/pkg/awslambda"
)

// FuzzDecodeRecord: DecodeRecord never panics on any record, and gives back
// exactly what was published — the body (base64-encoded on the wire when
// flagged so, and through an SNS notification or raw) and a metadata entry
// whose key and value were escaped the way gocloud escapes them.
func FuzzDecodeRecord(f *testing.F) {
	f.Add([]byte(`{"delivery_id":1,"attempt":1}`), "Content-Type", "application/json", false, false)
	f.Add([]byte("\xff\xfe binary"), "herald.job", "1", true, false)
	f.Add([]byte(`{"event_type":"a"}`), "key with spaces", "v%20alue/é", false, true)
	f.Add([]byte(`{"Type":"Notification","MessageId":"m","TopicArn":"t","Timestamp":"x","Message":"hi"}`), "", "", false, false)
	f.Add([]byte(""), "__0x41__", "%zz", true, true)
	f.Fuzz(func(t *testing.T, body []byte, key, value string, b64, sns bool) {
		// Whatever arrives: never a panic.
		str := func(s string) events.SQSMessageAttribute {
			return events.SQSMessageAttribute{StringValue: &s, DataType: "String"}
		}
		awslambda.DecodeRecord(events.SQSMessage{Body: string(body)})
		awslambda.DecodeRecord(events.SQSMessage{Body: string(body),
			MessageAttributes: map[string]events.SQSMessageAttribute{key: str(value), "base64encoded": str("true")}})

		// What a gocloud topic publishes comes back as it was.
		key, value = strings.ToValidUTF8(key, "?"), strings.ToValidUTF8(value, "?")
		wireBody := string(body)
		if b64 || !utf8Valid(body) {
			b64, wireBody = true, base64.StdEncoding.EncodeToString(body)
		}
		if hexEscape(key) == "base64encoded" {
			return // gocloud's own flag: a key it cannot carry either
		}
		attrs := map[string]string{}
		if key != "" {
			attrs[hexEscape(key)] = url.PathEscape(value)
		}
		if b64 {
			attrs["base64encoded"] = "true"
		}
		rec := events.SQSMessage{Body: wireBody}
		if sns {
			n := map[string]any{"Type": "Notification", "MessageId": "m1", "TopicArn": "arn:t", "Timestamp": "now",
				"Message": wireBody, "MessageAttributes": map[string]any{}}
			for k, v := range attrs {
				n["MessageAttributes"].(map[string]any)[k] = map[string]string{"Type": "String", "Value": v}
			}
			raw, err := json.Marshal(n)
			if err != nil {
				t.Fatal(err)
			}
			rec.Body = string(raw)
		} else {
			rec.MessageAttributes = map[string]events.SQSMessageAttribute{}
			for k, v := range attrs {
				rec.MessageAttributes[k] = str(v)
			}
		}
		if !sns && len(attrs) == 0 {
			return // a raw body without attributes may itself look like a notification
		}
		gotBody, md := awslambda.DecodeRecord(rec)
		if !bytes.Equal(gotBody, body) {
			t.Fatalf("body %q (base64 %v, sns %v) decoded as %q", body, b64, sns, gotBody)
		}
		want := map[string]string{}
		if key != "" {
			want[key] = value
		}
		if fmt.Sprint(md) != fmt.Sprint(want) {
			t.Fatalf("metadata {%q: %q} decoded as %q", key, value, md)
		}
	})
}

func utf8Valid(b []byte) bool { return strings.ToValidUTF8(string(b), "") == string(b) }

// hexEscape escapes a metadata key as gocloud's awssnssqs driver may: every
// rune but an ASCII letter or digit becomes "__0x<hex>__" (always '_', so
// that a key holding "__0x" itself survives).
func hexEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			b.WriteRune(r)
			continue
		}
		fmt.Fprintf(&b, "__0x%x__", r)
	}
	return b.String()
}
