// Package outbound sends Herald's webhook requests: the shared HTTP client
// that refuses addresses the deployment does not allow, the sender that signs
// a request and classifies its outcome as an attempt, the signing secrets a
// webhook's requests are signed with, and the Retry-After header's reading.
// The deliver function sends deliveries with it; the admin function sends
// test and validation calls. It never sleeps or retries: the retry policy
// owns the schedule.
package outbound
