package admin_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"testing"

	"github.com/heraldhq/herald/pkg/admin"
	"github.com/heraldhq/herald/pkg/signature"
)

// TestHexSignatureOfTestAndValidationCalls: the validation call on create
// and the test call carry the deployment's hex header (HERALD_HEX_SIGNATURE)
// — plain: the bare hex HMAC-SHA256 keyed with the secret's text, as the
// API showed it; off: none — keyed with the current secret only during a
// rotation; the official library verifies every call; and the test call's
// answer shows the header as it was sent.
func TestHexSignatureOfTestAndValidationCalls(t *testing.T) {
	t.Parallel()
	plain := func(secret string, body []byte) string {
		mac := hmac.New(sha256.New, []byte(secret))
		mac.Write(body)
		return hex.EncodeToString(mac.Sum(nil))
	}
	for _, mode := range []signature.HexMode{signature.HexPlain, signature.HexOff} {
		t.Run(mode.String(), func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, admin.Config{HeaderPrefix: "X-ScaiDrive-", HexSignature: mode})
			r := newHookReceiver(t)
			view := f.createWebhook(t, adminToken, map[string]any{"url": r.URL, "validate": true})
			id, oldSecret := view["id"].(string), view["secret"].(string)
			var rotated map[string]any
			if status, raw := f.do(t, adminToken, "POST", hookPath(id, "/rotate-secret"), nil, &rotated); status != http.StatusOK {
				t.Fatalf("rotate: %d %s", status, raw)
			}
			newSecret := rotated["secret"].(string)
			var out struct {
				Request struct {
					Headers map[string]string `json:"headers"`
				} `json:"request"`
			}
			if status, raw := f.do(t, adminToken, "POST", hookPath(id, "/test"), nil, &out); status != http.StatusOK {
				t.Fatalf("test: %d %s", status, raw)
			}
			got := r.Got()
			if len(got) != 2 {
				t.Fatalf("receiver got %d calls, want the validation and the test", len(got))
			}
			validation, test := got[0], got[1]
			if !verifies(t, oldSecret, validation) || !verifies(t, oldSecret, test) || !verifies(t, newSecret, test) {
				t.Error("a call does not verify with the official library")
			}
			shown, inAnswer := out.Request.Headers["X-ScaiDrive-Signature"]
			switch mode {
			case signature.HexPlain:
				if v := validation.Header.Get("X-ScaiDrive-Signature"); v != plain(oldSecret, validation.Body) {
					t.Errorf("validation call's hex header %q, want the plain hex under the secret's text", v)
				}
				if v := test.Header.Get("X-ScaiDrive-Signature"); v != plain(newSecret, test.Body) {
					t.Errorf("test call's hex header %q, want the plain hex under the new secret's text", v)
				}
				if shown != test.Header.Get("X-ScaiDrive-Signature") {
					t.Errorf("answer shows %q, the receiver got %q", shown, test.Header.Get("X-ScaiDrive-Signature"))
				}
			case signature.HexOff:
				for _, h := range []hit{validation, test} {
					if v, sent := h.Header["X-Scaidrive-Signature"]; sent {
						t.Errorf("hex header %q sent in off mode", v)
					}
				}
				if inAnswer {
					t.Errorf("answer shows a hex header %q not sent", shown)
				}
			}
		})
	}
}
