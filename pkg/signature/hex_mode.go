package signature

import "fmt"

// HexMode says what the hex <prefix>Signature header carries
// (HERALD_HEX_SIGNATURE). Every mode signs the Standard Webhooks headers the
// same way; only this header differs.
type HexMode uint8

const (
	// HexSHA256, the default, is "sha256=<hex HMAC-SHA256(key, body)>" keyed
	// with the secret's decoded bytes (the Standard Webhooks key), as GitHub
	// writes it.
	HexSHA256 HexMode = iota
	// HexPlain is the bare lowercase hex of HMAC-SHA256 over the body keyed
	// with the secret's text exactly as the API showed it, "whsec_"
	// included: what a receiver computes from "HMAC-SHA256 over the body,
	// using the webhook secret" taken literally.
	HexPlain
	// HexOff sends no hex header: the Standard Webhooks headers only.
	HexOff
)

// hexModes are the modes' names, in HexMode order.
var hexModes = [...]string{"sha256", "plain", "off"}

// HexModeNames says which names ParseHexMode accepts, for error messages.
const HexModeNames = "sha256, plain or off"

// String returns the mode's name as ParseHexMode reads it.
func (m HexMode) String() string {
	if int(m) < len(hexModes) {
		return hexModes[m]
	}
	return fmt.Sprintf("HexMode(%d)", m)
}

// ParseHexMode returns the mode named s: "sha256", "plain" or "off".
func ParseHexMode(s string) (HexMode, error) {
	for i, name := range hexModes {
		if s == name {
			return HexMode(i), nil
		}
	}
	return 0, fmt.Errorf("hex signature mode %q: want %s", s, HexModeNames)
}
