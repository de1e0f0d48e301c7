package profile_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/heraldhq/herald/pkg/contract"
)

// vaultEvent is a ScaiVault envelope as its catalogue shows it; a
// receiver branches on EventType and parses Data by it.
type vaultEvent struct {
	EventID    string          `json:"event_id"`
	EventType  string          `json:"event_type"`
	Timestamp  string          `json:"timestamp"`
	TenantID   string          `json:"tenant_id"`
	PartnerID  string          `json:"partner_id"`
	IdentityID string          `json:"identity_id"`
	Path       string          `json:"path"`
	RequestID  string          `json:"request_id"`
	Data       json.RawMessage `json:"data"`
}

// vault publishes ScaiVault's catalogue examples: a type, a tenant and a
// path, the data as the catalogue shows it.
func vault(n int, typ, tenant, path, data string) string {
	return fmt.Sprintf(`{"event_id":"evt_01HK7X9Z%04d","event_type":%q,"timestamp":"2026-04-23T14:00:00.123456Z",`+
		`"tenant_id":%q,"partner_id":"ptn_acme","identity_id":"system:rotation-scheduler","path":%q,`+
		`"data":%s,"request_id":"req_abc%d"}`, n, typ, tenant, path, data, n)
}

const (
	rotatedData  = `{"old_version":3,"new_version":4,"rotation_policy_id":"rot_quarterly","rotation_policy_name":"quarterly","grace_period_ends":"2026-04-25T14:00:00Z","auto_generated":true}`
	createdData  = `{"version":1,"secret_type":"json","created_by":"user:alice@acme.example","tags":["salesforce","production"],"expires_at":null}`
	accessedData = `{"version":3,"accessed_by":"sa:reporting","source_ip":"10.0.1.50","user_agent":"scaivault-python/1.0"}`
	policyData   = `{"policy_id":"pol_abc","policy_name":"production-read-only","actor":"user:admin@acme.example"}`
	bindingData  = `{"policy_id":"pol_abc","binding_id":"bind_xyz","identity_type":"group","identity_id":"group:developers","actor":"user:admin@acme.example"}`
	leaseData    = `{"lease_id":"lease_abc","engine":"support-db","role":"readonly","issued_to":"sa:reporting","ttl_seconds":7200,"expires_at":"2026-04-23T22:00:00Z"}`
	expiredData  = `{"lease_id":"lease_abc","engine":"support-db","role":"readonly","expired_at":"2026-04-23T22:00:00Z"}`
	dueData      = `{"rotation_policy_id":"rot_quarterly","next_rotation_at":"2026-04-30T00:00:00Z","threshold":"0","due_now":true,"auto_generate":false}`
)

func TestScaiVault(t *testing.T) {
	t.Parallel()
	p := readProduct(t, "ScaiVault")
	d := start(t, p, nil, nil)
	const ev = "X-Herald-Event"

	receivers, hooks := map[string]*contract.Receiver{}, map[string]hook{}
	for _, name := range []string{"prod-secrets", "db-access", "policies", "leases", "vault-health"} {
		r := contract.NewReceiver(t, "X-Herald-")
		hooks[name] = d.create(t, p.webhook(t, name, r.URL))
		r.SetSecret(hooks[name].Secret)
		receivers[name] = r
	}
	// The rotation pipeline's endpoint fails three times, then answers.
	// (A 1 s schedule, so the test need not wait through the default one.)
	pipeline := contract.NewReceiver(t, "X-Herald-", 500, 502, 503, 200)
	pipeHook := d.create(t, map[string]any{"name": "rotation-pipeline", "url": pipeline.URL + "/rotation",
		"events": []string{"rotation.*"}, "retry_schedule": []string{"1s", "1s", "1s"}, "validate": false})
	pipeline.SetSecret(pipeHook.Secret)

	published := []string{
		vault(1, "secret.rotated", "tnt_acme_prod", "environments/production/salesforce/oauth", rotatedData),
		vault(2, "secret.created", "tnt_acme_prod", "environments/staging/salesforce/oauth", createdData), // outside the prefix
		vault(3, "secret.rotated", "tnt_other", "environments/production/salesforce/oauth", rotatedData),  // another tenant
		vault(4, "secret.accessed", "tnt_acme_prod", "infra/db/primary/credentials", accessedData),
		vault(5, "secret.accessed", "tnt_acme_prod", "apps/reporting/token", accessedData), // outside db-access's prefix
		vault(6, "policy.created", "tnt_acme_prod", "", policyData),
		vault(7, "policy.binding.created", "tnt_acme_prod", "", bindingData), // two segments after policy.
		vault(8, "dynamic.lease.created", "tnt_acme_prod", "", leaseData),
		vault(9, "dynamic.lease.expired", "tnt_acme_prod", "", expiredData),
		vault(10, "rotation.due", "tnt_acme_prod", "environments/production/salesforce/oauth", dueData),
	}
	for _, e := range published {
		d.publish(t, e)
	}
	want := map[string][]int{"prod-secrets": {1}, "db-access": {4}, "policies": {6}, "leases": {8, 9}}
	for name, ns := range want {
		got := waitEvents(t, receivers[name], ev, len(ns))
		for i, g := range got[:len(ns)] {
			if !g.Verified {
				t.Errorf("%s: delivery %d does not verify", name, i)
			}
			var e vaultEvent
			if err := json.Unmarshal(g.Body, &e); err != nil {
				t.Fatalf("%s: %s: %v", name, g.Body, err)
			}
			// Deliveries of different events may arrive in either order.
			var sent vaultEvent
			for _, n := range ns {
				_ = json.Unmarshal([]byte(published[n-1]), &sent)
				if sent.EventID == e.EventID {
					break
				}
			}
			if fmt.Sprint(e) != fmt.Sprint(sent) {
				t.Errorf("%s got\n%+v\nwant the envelope unchanged\n%+v", name, e, sent)
			}
			// Branch on event_type, parse data by it.
			switch e.EventType {
			case "secret.rotated":
				var data struct {
					OldVersion int `json:"old_version"`
					NewVersion int `json:"new_version"`
				}
				if err := json.Unmarshal(e.Data, &data); err != nil || data.OldVersion != 3 || data.NewVersion != 4 {
					t.Errorf("secret.rotated data %s", e.Data)
				}
			case "secret.accessed":
				var data struct {
					SourceIP string `json:"source_ip"`
				}
				if err := json.Unmarshal(e.Data, &data); err != nil || data.SourceIP != "10.0.1.50" {
					t.Errorf("secret.accessed data %s", e.Data)
				}
			}
		}
	}

	// The health webhook hears the pipeline's endpoint go unhealthy once,
	// after three failures, and recover once.
	health := waitEvents(t, receivers["vault-health"], ev, 2)
	var types []string
	for _, g := range health {
		var e struct {
			EventType string         `json:"event_type"`
			Category  string         `json:"category"`
			Data      map[string]any `json:"data"`
		}
		if err := json.Unmarshal(g.Body, &e); err != nil || !g.Verified || e.Category != "SECURITY" || e.Data["webhook_id"] != pipeHook.ID {
			t.Errorf("health event %s (verified %v)", g.Body, g.Verified)
		}
		if e.EventType == "webhook.endpoint.unhealthy" && e.Data["consecutive_failures"] != 3.0 {
			t.Errorf("unhealthy after %v failures, want 3", e.Data["consecutive_failures"])
		}
		types = append(types, e.EventType)
	}
	slices.Sort(types) // deliveries are not ordered
	if strings.Join(types, " ") != "webhook.endpoint.recovered webhook.endpoint.unhealthy" {
		t.Errorf("health events %v, want one unhealthy and one recovered", types)
	}
	// (The recovered event may be out before the success is recorded.)
	d.waitDeliveries(t, pipeHook.ID, "the delivery succeeded at the fourth attempt", func(ds []contract.Delivery) bool {
		return len(ds) == 1 && ds[0].Status == "succeeded" && len(ds[0].Attempts) == 4
	})

	// Nothing else was delivered: the rotation.due delivery came last
	// through ingest, so every earlier event was matched before it.
	for name, ns := range want {
		if n := len(d.deliveries(t, hooks[name].ID)); n != len(ns) {
			t.Errorf("%s has %d deliveries, want %d", name, n, len(ns))
		}
	}
	if n := len(d.deliveries(t, hooks["vault-health"].ID)); n != 2 {
		t.Errorf("vault-health has %d deliveries, want 2", n)
	}

	// The event types, for an event picker.
	var catalogue struct {
		EventTypes []struct {
			Type string `json:"type"`
		} `json:"event_types"`
	}
	if status := d.Do("GET", webhooksPath+"events", nil, &catalogue); status != http.StatusOK {
		t.Fatalf("event types: %d", status)
	}
	listed := map[string]bool{}
	for _, e := range catalogue.EventTypes {
		listed[e.Type] = true
	}
	for _, e := range append(published, `{"event_type":"webhook.endpoint.unhealthy"}`, `{"event_type":"webhook.endpoint.recovered"}`) {
		var typ struct {
			EventType string `json:"event_type"`
		}
		_ = json.Unmarshal([]byte(e), &typ)
		if !listed[typ.EventType] {
			t.Errorf("event types do not list %s", typ.EventType)
		}
	}
}
