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

// plainReceiver checks X-…-Signature as a receiver told "HMAC-SHA256 over
// the body, using the webhook secret" writes it: the secret as shown to it,
// the standard library only.
func plainReceiver(secret string, body []byte, header string) bool {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return header == hex.EncodeToString(mac.Sum(nil))
}

// sha256Receiver checks it as GitHub's receivers do, keyed with the
// secret's decoded bytes.
func sha256Receiver(key, body []byte, header string) bool {
	mac := hmac.New(sha256.New, key)
	mac.Write(body)
	return header == "sha256="+hex.EncodeToString(mac.Sum(nil))
}

// TestSignVerifiesWithStandardWebhooksLibrary: in every hex mode, and
// during a rotation with either secret, the official library verifies the
// delivery; the hex header is what that mode's receiver computes, under the
// current secret only, or absent.
func TestSignVerifiesWithStandardWebhooksLibrary(t *testing.T) {
	t.Parallel()
	cur, err := signature.ParseSecret(signature.NewSecret())
	if err != nil {
		t.Fatal(err)
	}
	old, _ := signature.ParseSecret(signature.NewSecret())
	body := []byte(`{"event_id":"evt_1","event_type":"secret.rotated","data":{"n":1}}`)
	m := signature.Message{ID: "evt_1", EventType: "secret.rotated", DeliveryID: 42, Timestamp: time.Now(), Body: body}

	for _, mode := range []signature.HexMode{signature.HexSHA256, signature.HexPlain, signature.HexOff} {
		for _, tc := range []struct {
			name    string
			secrets []signature.Secret
			verify  string
		}{
			{"current key", []signature.Secret{cur}, cur.Text},
			{"rotation: new secret", []signature.Secret{cur, old}, cur.Text},
			{"rotation: previous secret", []signature.Secret{cur, old}, old.Text},
		} {
			t.Run(mode.String()+"/"+tc.name, func(t *testing.T) {
				h := http.Header{}
				signature.Signer{Prefix: "X-ScaiDrive-", Hex: mode}.Sign(h, m, tc.secrets...)
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
				got, sent := h["X-Scaidrive-Signature"]
				switch mode {
				case signature.HexSHA256:
					if !sent || !sha256Receiver(cur.Key, body, got[0]) || sha256Receiver(old.Key, body, got[0]) {
						t.Errorf("hex signature = %q: not sha256=<hex> under the current secret's key", got)
					}
				case signature.HexPlain:
					if !sent || !plainReceiver(cur.Text, body, got[0]) || plainReceiver(old.Text, body, got[0]) {
						t.Errorf("hex signature = %q: not the plain hex under the current secret's text", got)
					}
				case signature.HexOff:
					if sent {
						t.Errorf("hex signature %q sent in off mode", got)
					}
				}
			})
		}
	}
}

// TestSignPlainIsNotTheDecodedKeys: the plain mode's header is keyed with
// the text, not the decoded bytes, so a receiver following the sha256 rule
// (or the reverse) fails.
func TestSignPlainIsNotTheDecodedKeys(t *testing.T) {
	t.Parallel()
	sec, _ := signature.ParseSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSwMfKQ9r8GKYo=")
	body := []byte(`{"action":"share.member_added"}`)
	m := signature.Message{ID: "evt_1", EventType: "share.member_added", Timestamp: time.Unix(1_795_000_000, 0), Body: body}
	plain, sha := http.Header{}, http.Header{}
	signature.Signer{Hex: signature.HexPlain}.Sign(plain, m, sec)
	signature.Signer{}.Sign(sha, m, sec)
	p, s := plain.Get("X-Herald-Signature"), sha.Get("X-Herald-Signature")
	if !plainReceiver(sec.Text, body, p) || sha256Receiver(sec.Key, body, "sha256="+p) || plainReceiver(sec.Text, body, s) {
		t.Errorf("plain %q, sha256 %q: each must verify under its own rule only", p, s)
	}
	// A Secret without its text gets no plain header rather than one keyed
	// with nothing.
	bare := http.Header{}
	signature.Signer{Hex: signature.HexPlain}.Sign(bare, m, signature.Secret{Key: sec.Key})
	if v, sent := bare["X-Herald-Signature"]; sent {
		t.Errorf("plain header %q without a secret's text", v)
	}
}

func TestParseHexMode(t *testing.T) {
	t.Parallel()
	for _, mode := range []signature.HexMode{signature.HexSHA256, signature.HexPlain, signature.HexOff} {
		if got, err := signature.ParseHexMode(mode.String()); err != nil || got != mode {
			t.Errorf("ParseHexMode(%q) = %v, %v", mode.String(), got, err)
		}
	}
	for _, s := range []string{"", "SHA256", "hex", "none", "plain "} {
		if _, err := signature.ParseHexMode(s); err == nil {
			t.Errorf("ParseHexMode(%q) accepted", s)
		}
	}
}

func TestKeyRejectsBadSecrets(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"", "whsec_", "secret", "whsec_!!!", "whsec_c2hvcnQ=", "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"} {
		if _, err := signature.Key(s); err == nil {
			t.Errorf("Key(%q) accepted", s)
		}
		if _, err := signature.ParseSecret(s); err == nil {
			t.Errorf("ParseSecret(%q) accepted", s)
		}
	}
	text := signature.NewSecret()
	if sec, err := signature.ParseSecret(text); err != nil || sec.Text != text || len(sec.Key) != 32 {
		t.Errorf("ParseSecret(NewSecret()) = %+v, %v", sec, err)
	}
}
