// Package match decides whether a webhook subscription matches an event.
//
// A webhook matches an event when all of these hold:
//
//   - selection: the webhook has neither event patterns nor categories (it
//     selects every event), or one of its patterns matches the event type, or
//     the event's category is one of its categories (exact, case-sensitive);
//   - tenant scope: a webhook with a tenant ID sees only that tenant's events,
//     one with a partner ID only that partner's;
//   - every filter holds.
//
// # Event-type patterns
//
// A pattern is dot-separated segments. A segment is a literal of lower-case
// letters, digits, "_" and "-"; "*", which matches exactly one segment; or
// "**", which matches any number of segments, including none. So "secret.*"
// matches "secret.rotated" but not "secret" or "secret.a.b", while
// "secret.**" matches all three and "**" matches every event type. See
// [ValidPattern] and [Pattern].
//
// # Filters
//
// A [herald.Filter] compares the value at a dotted path of the event envelope
// with its Value using one of the operators in [herald.FilterOps]; see
// [ValidateFilter] for what each operator accepts and [Lookup] for how paths
// are resolved. Values are compared as JSON: numbers numerically, arrays and
// objects by deep equality. The cidr operator holds when the value is a
// string holding an IPv4 or IPv6 address inside one of the filter's CIDR
// ranges; any other value (a host name, a number, an absent field) does not
// match.
//
// Paths split on ".", so an object key that itself contains a dot cannot be
// addressed by a filter. A segment that is a non-negative decimal integer
// indexes an array ("data.tags.0"); on an object it is an ordinary key.
//
// # Use
//
// [Compile] checks a webhook's patterns and filters once and returns a
// [Matcher], which is immutable and safe for concurrent use.
package match
