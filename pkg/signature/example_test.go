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

// With HexPlain (HERALD_HEX_SIGNATURE=plain) the hex header is what a
// receiver told "HMAC-SHA256 over the body, using the webhook secret"
// computes: the secret's text, whsec_ included, as the key; bare hex.
func Example_verifyPlain() {
	const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSwMfKQ9r8GKYo="
	sec, _ := signature.ParseSecret(secret)
	body := []byte(`{"event_id":"evt_1","action":"share.member_added"}`)

	h := http.Header{}
	signature.Signer{Prefix: "X-ScaiDrive-", Hex: signature.HexPlain}.Sign(h, signature.Message{
		ID: "evt_1", EventType: "share.member_added", DeliveryID: 7,
		Timestamp: time.Now(), Body: body,
	}, sec)

	wh, _ := standardwebhooks.NewWebhook(secret)
	fmt.Println("standard webhooks:", wh.Verify(body, h))
	fmt.Println("hex header:", signature.VerifyPlainHex(secret, body, h.Get("X-ScaiDrive-Signature")))
	fmt.Println(h.Get("X-ScaiDrive-Signature"))
	// Output:
	// standard webhooks: <nil>
	// hex header: true
	// d303392c2624582faf742800095c72636ed36baf085712b5e3fb3d458f6fc89f
}
