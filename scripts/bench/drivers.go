package main

// The drivers local mode's defaults name, as functions/local imports them.
// When local mode's default driver changes, import the new one here too.
import (
	_ "gocloud.dev/docstore/memdocstore" // mem:// collections
	_ "gocloud.dev/pubsub/mempubsub"     // mem:// topics
	_ "gocloud.dev/secrets/localsecrets" // base64key:// keepers

	_ "github.com/heraldhq/herald/pkg/boltdoc" // bolt:// collections (local mode's default)
	_ "github.com/heraldhq/herald/pkg/memq"    // memq:// topics (local mode's default)
)
