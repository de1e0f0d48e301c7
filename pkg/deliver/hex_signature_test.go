package deliver_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"github.com/heraldhq/herald/pkg/deliver"
	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/signature"
)

// TestHandleHexSignatureModes: during a secret rotation, in every
// HERALD_HEX_SIGNATURE mode, the official library verifies the delivery
// with either secret, and the hex header is keyed with the current secret
// only: its decoded bytes behind "sha256=" (sha256), its text as the API
// showed it (plain), or not sent (off).
func TestHandleHexSignatureModes(t *testing.T) {
	t.Parallel()
	for _, mode := range []signature.HexMode{signature.HexSHA256, signature.HexPlain, signature.HexOff} {
		t.Run(mode.String(), func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, deliver.Config{HeaderPrefix: "X-ScaiDrive-", HexSignature: mode})
			r := newReceiver(t, nil)
			wh := newWebhook(r.URL)
			previous := signature.NewSecret()
			sealed, err := testSealer.Seal(context.Background(), previous)
			if err != nil {
				t.Fatal(err)
			}
			wh.PreviousSealedSecret, wh.PreviousSecretUntilMS = sealed, herald.Millis(t0.Add(24*time.Hour))
			f.seed(t, wh, newDelivery())
			if err := f.handle(herald.Job{DeliveryID: testDeliveryID, Attempt: 1}); err != nil {
				t.Fatal(err)
			}
			got := r.Got()
			if len(got) != 1 {
				t.Fatalf("receiver got %d requests", len(got))
			}
			current := secretOf(t, wh)
			for _, secret := range []string{current, previous} {
				v, err := standardwebhooks.NewWebhook(secret)
				if err != nil {
					t.Fatal(err)
				}
				if err := v.VerifyIgnoringTimestamp(got[0].Body, got[0].Header); err != nil {
					t.Errorf("standard webhooks verify: %v", err)
				}
			}
			plain := func(secret string) string {
				mac := hmac.New(sha256.New, []byte(secret))
				mac.Write(got[0].Body)
				return hex.EncodeToString(mac.Sum(nil))
			}
			want := map[signature.HexMode]string{
				signature.HexSHA256: hexSignature(t, current, got[0].Body),
				signature.HexPlain:  plain(current),
			}[mode]
			sent, ok := got[0].Header["X-Scaidrive-Signature"]
			if (want == "") == ok || ok && sent[0] != want {
				t.Errorf("X-ScaiDrive-Signature = %q, want %q", sent, want)
			}
			if ok && (sent[0] == plain(previous) || sent[0] == hexSignature(t, previous, got[0].Body)) {
				t.Error("hex signature keyed with the previous secret")
			}
		})
	}
}
