package signature_test

import (
	"fmt"
	"net/http"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"github.com/heraldhq/herald/pkg/signature"
)

// A receiver verifies a Herald delivery with the official Standard Webhooks
// library, or checks the hex header with any HMAC-SHA256 implementation.
func Example_verify() {
	const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSwMfKQ9r8GKYo="
	sec, _ := signature.ParseSecret(secret)
	body := []byte(`{"event_id":"evt_1","event_type":"secret.rotated"}`)

	// What Herald sends.
	h := http.Header{}
	signature.Signer{}.Sign(h, signature.Message{
		ID: "evt_1", EventType: "secret.rotated", DeliveryID: 7,
		Timestamp: time.Now(), Body: body,
	}, sec)

	// What the receiver does.
	wh, _ := standardwebhooks.NewWebhook(secret)
	fmt.Println("standard webhooks:", wh.Verify(body, h))
	fmt.Println("hex header:", signature.VerifyHex(sec.Key, body, h.Get("X-Herald-Signature")))
	// Output:
	// standard webhooks: <nil>
	// hex header: true
}
