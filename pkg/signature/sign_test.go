package signature_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"github.com/heraldhq/herald/pkg/signature"
)

func TestSignVerifiesWithStandardWebhooksLibrary(t *testing.T) {
	t.Parallel()
	secret := signature.NewSecret()
	old := signature.NewSecret()
	key, err := signature.Key(secret)
	if err != nil {
		t.Fatal(err)
	}
	oldKey, _ := signature.Key(old)
	body := []byte(`{"event_id":"evt_1","event_type":"secret.rotated","data":{"n":1}}`)
	m := signature.Message{ID: "evt_1", EventType: "secret.rotated", DeliveryID: 42, Timestamp: time.Now(), Body: body}

	for _, tc := range []struct {
		name   string
		keys   [][]byte
		verify string
	}{
		{"current key", [][]byte{key}, secret},
		{"rotation: new secret", [][]byte{key, oldKey}, secret},
		{"rotation: previous secret", [][]byte{key, oldKey}, old},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := http.Header{}
			signature.Signer{Prefix: "X-ScaiDrive-"}.Sign(h, m, tc.keys...)
			wh, err := standardwebhooks.NewWebhook(tc.verify)
			if err != nil {
				t.Fatal(err)
			}
			if err := wh.Verify(body, h); err != nil {
				t.Fatalf("standard webhooks verify: %v (headers %v)", err, h)
			}
			if err := wh.Verify(append([]byte(" "), body...), h); err == nil {
				t.Fatal("verify accepted a changed body")
			}
			if got := h.Get("X-ScaiDrive-Event"); got != "secret.rotated" {
				t.Errorf("event header = %q", got)
			}
			if got := h.Get("X-ScaiDrive-Delivery-Id"); got != "42" {
				t.Errorf("delivery id header = %q", got)
			}
			mac := hmac.New(sha256.New, key)
			mac.Write(body)
			if got, want := h.Get("X-ScaiDrive-Signature"), "sha256="+hex.EncodeToString(mac.Sum(nil)); got != want {
				t.Errorf("hex signature = %q, want %q", got, want)
			}
		})
	}
}

func TestKeyRejectsBadSecrets(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"", "whsec_", "secret", "whsec_!!!", "whsec_c2hvcnQ=", "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"} {
		if _, err := signature.Key(s); err == nil {
			t.Errorf("Key(%q) accepted", s)
		}
	}
	if _, err := signature.Key(signature.NewSecret()); err != nil {
		t.Errorf("Key(NewSecret()) = %v", err)
	}
}
