// Package ownevent builds and publishes Herald's own events to the ingest
// topic, where admins subscribe to them like to any other event:
// webhook.delivery.dropped (deliver gives a delivery up after its last
// retry, the expiry-notifier a held one past its hold), the endpoint events
// of deliver (disabled, unhealthy, recovered) and of ingest (a paused
// webhook's queue overflowing), and the secret events of the
// expiry-notifier (grace ended, expiring). Callers decide when an event is
// due; this package owns its id, type and payload.
package ownevent
