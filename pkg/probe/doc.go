// Package probe holds Herald's security probes: tests that drive a running
// local-mode Herald from outside, over HTTP only, and report every input
// that got past a guard.
//
// TestTenancyProperty runs seeded random sequences of admin API calls by
// principals bound to several tenants and partners, and checks after every
// step, against a model kept from the answers, that no bound principal saw,
// changed or received anything outside its binding. TestAdversarial tries
// tables of hostile inputs by category (auth, scope, tenancy, ssrf,
// injection, disclosure, limits), each with the outcome class it must get,
// and prints a table of what got through.
//
// The package has no code outside its tests.
package probe
