package config

import (
	"net/netip"
	"reflect"
	"testing"
)

func TestFromEnvTargets(t *testing.T) {
	t.Parallel()
	none := func(string) string { return "" }
	if c, err := FromEnv(none, Deployed); err != nil || !c.RequireHTTPS || c.AllowPrivateTargets || c.AllowedTargetCIDRs != nil {
		t.Errorf("non-local defaults: require https %v, allow private %v, allowed %v, err %v",
			c.RequireHTTPS, c.AllowPrivateTargets, c.AllowedTargetCIDRs, err)
	}
	if c, err := FromEnv(none, Local); err != nil || c.RequireHTTPS || !c.AllowPrivateTargets {
		t.Errorf("local defaults: require https %v, allow private %v, err %v", c.RequireHTTPS, c.AllowPrivateTargets, err)
	}
	env := map[string]string{"HERALD_ALLOWED_TARGET_CIDRS": "10.1.2.0/24, 10.9.9.9", "HERALD_REQUIRE_HTTPS": "false"}
	c, err := FromEnv(func(k string) string { return env[k] }, Deployed)
	want := []netip.Prefix{netip.MustParsePrefix("10.1.2.0/24"), netip.MustParsePrefix("10.9.9.9/32")}
	if err != nil || c.RequireHTTPS || !reflect.DeepEqual(c.AllowedTargetCIDRs, want) {
		t.Errorf("set: require https %v, allowed %v, err %v", c.RequireHTTPS, c.AllowedTargetCIDRs, err)
	}
	for name, bad := range map[string]string{"HERALD_ALLOWED_TARGET_CIDRS": "10.0.0.0/33", "HERALD_REQUIRE_HTTPS": "yes please"} {
		if _, err := FromEnv(func(k string) string { return map[string]string{name: bad}[k] }, Deployed); err == nil {
			t.Errorf("%s=%q accepted", name, bad)
		}
	}
}
