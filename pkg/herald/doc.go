// Package herald holds the domain types every Herald function shares: webhooks,
// events, deliveries and their attempts, the statuses they move through, and the
// identifiers that name them. It imports nothing else from Herald.
//
// The structs here are the documents stored in the docstore collections.
// Fields compared or ordered in queries are stored as Unix milliseconds (int64),
// because not every docstore driver orders time values; the admin API renders
// them as RFC 3339 times.
package herald
