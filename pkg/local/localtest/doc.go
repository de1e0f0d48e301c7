// Package localtest starts Herald's local mode for a test, the way
// functions/local starts it: HERALD_* variables read through pkg/config in
// config.Local mode, a logger built from HERALD_LOG_LEVEL, the shutdown
// timeout from HERALD_SHUTDOWN_TIMEOUT. A test names only the variables it
// cares about; Start fills in the rest so that systems started in parallel
// in one process never share anything:
//
//	HERALD_ADDR           127.0.0.1:0 (a free port)
//	HERALD_ADMIN_TOKEN    AdminToken
//	HERALD_DATA_DIR       a directory of the test's (t.TempDir)
//	HERALD_LOG_LEVEL      warn (the log goes to the test's output)
//	HERALD_INGEST_TOPIC, HERALD_INGEST_SUBSCRIPTION,
//	HERALD_DELIVER_TOPIC, HERALD_DELIVER_SUBSCRIPTION
//	                      memq:// topics of names of their own (Topics), as
//	                      memq's broker is the process's; local mode journals
//	                      the ingest one in the data dir
//
// The collections are local mode's defaults (bolt:// in the data dir) unless
// the test sets them; MemCollections gives mem:// ones of names of their own.
// Start waits until the admin API answers GET /healthz and closes the system
// when the test ends.
//
// It is imported by tests only: it links local mode, which no function's
// binary links.
package localtest
