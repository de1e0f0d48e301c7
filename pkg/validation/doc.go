// Package validation makes the calls Herald makes to an endpoint itself,
// outside any delivery: the admin API's test call, and the validation call
// both the admin API (on create, on request, after a URL change) and the
// expiry-notifier (every HERALD_REVALIDATE_INTERVAL) make. It records a
// validation's outcome on the webhook and announces a run of failed
// re-validations with webhook.endpoint.validation_failed. Shared, so that
// neither function package imports the other.
package validation
