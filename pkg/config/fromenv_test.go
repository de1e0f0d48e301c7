package config

import "testing"

// TestFromEnvReadsTheMetricsAndSecretVariables: variables that only name a
// string reach their fields (HERALD_METRICS_ADDR once did not).
func TestFromEnvReadsTheMetricsAndSecretVariables(t *testing.T) {
	env := map[string]string{"HERALD_METRICS_ADDR": "127.0.0.1:9090", "HERALD_METRICS_NAMESPACE": "Herald/prod",
		"HERALD_ADMIN_TOKEN_URL":       "awssecretsmanager://prod/admin-token?decoder=string",
		"HERALD_TOKEN_SIGNING_KEY_URL": "awssecretsmanager://prod/token-signing-key?decoder=string"}
	c, err := FromEnv(func(k string) string { return env[k] }, Deployed)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{"HERALD_METRICS_ADDR": c.MetricsAddr, "HERALD_METRICS_NAMESPACE": c.MetricsNamespace,
		"HERALD_ADMIN_TOKEN_URL": c.AdminTokenURL, "HERALD_TOKEN_SIGNING_KEY_URL": c.TokenSigningKeyURL}
	for k, v := range env {
		if got[k] != v {
			t.Errorf("%s: got %q, want %q", k, got[k], v)
		}
	}
	if c, _ := FromEnv(func(string) string { return "" }, Deployed); c.MetricsNamespace != "Herald" {
		t.Errorf("default namespace %q", c.MetricsNamespace)
	}
}
