package ownevent

import (
	"context"
	"testing"
	"time"

	"gocloud.dev/pubsub"
	"gocloud.dev/pubsub/mempubsub"

	"github.com/heraldhq/herald/pkg/herald"
)

// Each event's envelope is held byte for byte: subscribers and ingest's
// de-duplication by event_id depend on it.
func TestEventEnvelopes(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 4, 23, 15, 4, 5, 0, time.FixedZone("x", 3600))
	since := herald.Millis(time.Date(2026, 4, 23, 14, 0, 0, 0, time.UTC))
	w := &herald.Webhook{ID: "wh_1", Name: "acme", TenantID: "tnt_acme", PartnerID: "p_1",
		FailingSinceMS: since, ConsecutiveFailures: 4}
	last := herald.Attempt{Attempt: 3, StatusCode: 500, Error: "boom"}
	webhook := SecretOwner{Kind: WebhookSecret, ID: "wh_1", Name: "acme", TenantID: "tnt_acme", PartnerID: "p_1"}
	app := SecretOwner{Kind: ApplicationSecret, ID: "app_1", Name: "portal", TenantID: "tnt_acme"}
	cases := []struct {
		name    string
		publish func(context.Context, *pubsub.Topic) error
		want    string
	}{
		{"disabled", func(ctx context.Context, in *pubsub.Topic) error {
			return PublishEndpointDisabled(ctx, in, w, 1234, "410 Gone", 410, now)
		}, `{"event_id":"evt_disabled_wh_1_1234","event_type":"webhook.endpoint.disabled","timestamp":"2026-04-23T14:04:05Z","category":"SECURITY","tenant_id":"tnt_acme","partner_id":"p_1","identity_id":"system:herald","data":{"webhook_id":"wh_1","webhook_name":"acme","reason":"410 Gone","last_status_code":410}}`},
		{"unhealthy", func(ctx context.Context, in *pubsub.Topic) error {
			return PublishEndpointHealth(ctx, in, w, &herald.HealthEvent{Type: herald.EventEndpointUnhealthy,
				RunMS: since, Failures: 4, StatusCode: last.StatusCode, Error: last.Error, AtMS: herald.Millis(now)})
		}, `{"event_id":"evt_unhealthy_wh_1_1776952800000","event_type":"webhook.endpoint.unhealthy","timestamp":"2026-04-23T14:04:05Z","category":"SECURITY","tenant_id":"tnt_acme","partner_id":"p_1","identity_id":"system:herald","data":{"webhook_id":"wh_1","webhook_name":"acme","consecutive_failures":4,"failing_since":"2026-04-23T14:00:00Z","last_status_code":500,"last_error":"boom"}}`},
		{"recovered", func(ctx context.Context, in *pubsub.Topic) error {
			return PublishEndpointHealth(ctx, in, w, &herald.HealthEvent{Type: herald.EventEndpointRecovered,
				RunMS: since, Failures: 4, AtMS: herald.Millis(now)})
		}, `{"event_id":"evt_recovered_wh_1_1776952800000","event_type":"webhook.endpoint.recovered","timestamp":"2026-04-23T14:04:05Z","category":"SECURITY","tenant_id":"tnt_acme","partner_id":"p_1","identity_id":"system:herald","data":{"webhook_id":"wh_1","webhook_name":"acme","failing_since":"2026-04-23T14:00:00Z","consecutive_failures":4}}`},
		{"pause overflow", func(ctx context.Context, in *pubsub.Topic) error {
			paused := *w
			paused.PausedAtMS, paused.PauseDropped = since, 7
			return PublishPauseOverflow(ctx, in, &paused, 1000, now)
		}, `{"event_id":"evt_pause_overflow_wh_1_1776952800000","event_type":"webhook.endpoint.pause_overflow","timestamp":"2026-04-23T14:04:05Z","category":"SECURITY","tenant_id":"tnt_acme","partner_id":"p_1","identity_id":"system:herald","data":{"webhook_id":"wh_1","webhook_name":"acme","dropped":7,"pause_queue_limit":1000}}`},
		{"webhook grace ended", func(ctx context.Context, in *pubsub.Topic) error {
			return PublishGraceEnded(ctx, in, webhook, since, now)
		}, `{"event_id":"evt_grace_wh_1_1776952800000","event_type":"webhook.secret.grace_ended","timestamp":"2026-04-23T14:04:05Z","category":"SECURITY","tenant_id":"tnt_acme","partner_id":"p_1","identity_id":"system:herald","data":{"previous_secret_expired_at":"2026-04-23T14:00:00Z","webhook_id":"wh_1","webhook_name":"acme"}}`},
		{"application grace ended", func(ctx context.Context, in *pubsub.Topic) error {
			return PublishGraceEnded(ctx, in, app, since, now)
		}, `{"event_id":"evt_app_grace_app_1_1776952800000","event_type":"application.secret.grace_ended","timestamp":"2026-04-23T14:04:05Z","category":"SECURITY","tenant_id":"tnt_acme","identity_id":"system:herald","data":{"application_id":"app_1","name":"portal","previous_secret_expired_at":"2026-04-23T14:00:00Z"}}`},
		{"webhook secret expiring", func(ctx context.Context, in *pubsub.Topic) error {
			return PublishSecretExpiring(ctx, in, webhook, since, 7*24*time.Hour, now)
		}, `{"event_id":"evt_expiring_wh_1_1776952800000_168h","event_type":"webhook.secret.expiring","timestamp":"2026-04-23T14:04:05Z","category":"SECURITY","tenant_id":"tnt_acme","partner_id":"p_1","identity_id":"system:herald","data":{"expired":true,"expires_at":"2026-04-23T14:00:00Z","name":"acme","threshold":"7d","webhook_id":"wh_1"}}`},
		{"application secret expiring", func(ctx context.Context, in *pubsub.Topic) error {
			return PublishSecretExpiring(ctx, in, app, since+time.Hour.Milliseconds(), 90*time.Minute, now)
		}, `{"event_id":"evt_app_expiring_app_1_1776956400000_1h","event_type":"application.secret.expiring","timestamp":"2026-04-23T14:04:05Z","category":"SECURITY","tenant_id":"tnt_acme","identity_id":"system:herald","data":{"application_id":"app_1","expired":false,"expires_at":"2026-04-23T15:00:00Z","name":"portal","threshold":"1h30m0s"}}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := publishOne(t, tc.publish); got != tc.want {
				t.Errorf("envelope\n got %s\nwant %s", got, tc.want)
			}
		})
	}
}

// publishOne runs publish on a fresh topic and returns the one body sent.
func publishOne(t *testing.T, publish func(context.Context, *pubsub.Topic) error) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	topic := mempubsub.NewTopic()
	sub := mempubsub.NewSubscription(topic, time.Minute)
	t.Cleanup(func() { _ = sub.Shutdown(context.Background()); _ = topic.Shutdown(context.Background()) })
	if err := publish(ctx, topic); err != nil {
		t.Fatal(err)
	}
	m, err := sub.Receive(ctx)
	if err != nil {
		t.Fatal(err)
	}
	m.Ack()
	return string(m.Body)
}
