package config

import (
	"strings"
	"testing"

	"github.com/heraldhq/herald/pkg/signature"
)

// TestFromEnvHexSignature: HERALD_HEX_SIGNATURE is sha256 by default, reads
// each mode by name, and refuses anything else naming the variable and the
// allowed values.
func TestFromEnvHexSignature(t *testing.T) {
	t.Parallel()
	for v, want := range map[string]signature.HexMode{
		"": signature.HexSHA256, "sha256": signature.HexSHA256, "plain": signature.HexPlain, " off ": signature.HexOff,
	} {
		for _, mode := range []Mode{Deployed, Local} {
			c, err := FromEnv(func(k string) string { return map[string]string{"HERALD_HEX_SIGNATURE": v}[k] }, mode)
			if err != nil || c.HexSignature != want {
				t.Errorf("HERALD_HEX_SIGNATURE=%q (mode %d) = %v, %v, want %v", v, mode, c.HexSignature, err, want)
			}
		}
	}
	for _, bad := range []string{"SHA256", "hex", "none", "true", "sha256=", "plain,off"} {
		_, err := FromEnv(func(k string) string { return map[string]string{"HERALD_HEX_SIGNATURE": bad}[k] }, Deployed)
		if err == nil {
			t.Errorf("HERALD_HEX_SIGNATURE=%q accepted", bad)
			continue
		}
		for _, want := range []string{"HERALD_HEX_SIGNATURE", "sha256", "plain", "off", bad} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("HERALD_HEX_SIGNATURE=%q: error %q does not name %q", bad, err, want)
			}
		}
	}
}
