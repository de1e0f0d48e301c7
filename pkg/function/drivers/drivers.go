// Package drivers links the gocloud drivers every function binary opens its
// URLs with: DynamoDB and in-memory collections, SNS/SQS and in-memory
// topics. A binary imports it for its side effects; one that needs more (the
// admin and deliver functions' keepers and runtime variables) imports those
// drivers itself.
package drivers

import (
	_ "gocloud.dev/docstore/awsdynamodb/v2" // dynamodb:// collections
	_ "gocloud.dev/docstore/memdocstore"    // mem:// collections
	_ "gocloud.dev/pubsub/awssnssqs"        // awssns:// and awssqs:// topics
	_ "gocloud.dev/pubsub/mempubsub"        // mem:// topics
)
