// Package admin is the admin function: a thin HTTP API over webhooks,
// deliveries, applications and event publishing. It is one http.Handler,
// served by net/http in long-running mode and wrapped for Lambda Function
// URLs.
//
// Handlers parse the request, authorize the caller, call pkg/store (which
// owns field names, queries, conflict retries, webhook writes and delivery
// status changes) and answer. The files, by resource:
//
// The server and what every endpoint shares:
//
//	admin.go           Config, New: the API and its defaults
//	routes.go          every route and the scope it requires; GET /healthz
//	auth.go            bearer-token authentication, the caller's principal
//	tenancy.go         tenant and partner bindings: what a caller owns
//	load.go            reading one resource named in the path (404 when not owned),
//	                   or a page of documents by key
//	list_owned.go      listing the webhooks or applications a caller owns
//	paging.go          page and per_page
//	input_decode.go    decoding JSON bodies; input validation into field errors
//	respond.go         JSON answers, problem details, store failures, panics
//	audit.go           the API's own audit events (webhook.*, application.*)
//	openapi.go         GET /openapi.json (the document is openapi.json)
//	metrics.go         GET /metrics
//	private_answer.go  hiding a private target's answer from bound callers
//
// Webhooks (/api/v1/admin/webhooks/…):
//
//	webhook_handlers.go             list, create, read, patch, delete
//	webhook_input.go                the create and patch body and its checks
//	webhook_apply.go                applying a patch body to a webhook
//	webhook_headers.go              which custom headers are allowed
//	webhook_header_values.go        custom header values: sealed at rest, masked in reads
//	webhook_view.go                 a webhook as the API shows it
//	webhook_save.go                 writes through store.WebhookWrites; their failures
//	webhook_pause.go                POST …/pause and …/resume
//	webhook_held.go                 the deliveries a paused webhook holds: count, release
//	webhook_rotate.go               POST …/rotate-secret
//	webhook_stats.go                GET …/stats
//	webhook_call.go                 the test and validation calls' maker (pkg/validation), with this API's settings
//	webhook_probe.go                POST …/test: a test event sent now, nothing stored
//	webhook_endpoint_validation.go  POST …/validate, validation on create, re-validation after a URL change
//
// Deliveries (/api/v1/admin/webhooks/{id}/deliveries/…):
//
//	delivery_handlers.go  list, read, manual retry (store.Lifecycle.Rearm)
//	delivery_view.go      a delivery and its attempts as the API shows them
//
// Events:
//
//	event_publish.go    POST /api/v1/events
//	event_catalogue.go  GET /api/v1/admin/webhooks/events: the event types
//
// Applications (/api/v1/admin/applications/…), the OAuth clients:
//
//	application_handlers.go  list, create, read, delete; who may manage one
//	application_input.go     the create and rotate bodies and their checks
//	application_rotate.go    POST …/rotate-secret
//	application_view.go      an application as the API shows it
//
// OAuth:
//
//	oauth_token.go  POST /oauth/token: client credentials for a bearer token
package admin
