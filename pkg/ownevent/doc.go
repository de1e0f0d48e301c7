// Package ownevent publishes Herald's own events that more than one function
// emits (webhook.delivery.dropped: deliver gives a delivery up after its last
// retry, the expiry-notifier a held one past its hold) to the ingest topic,
// where admins subscribe to them like to any other event.
package ownevent
