// Command ingest runs Herald's ingest function as a long-running process against
// the topics and collections named by the HERALD_* environment variables (see
// the README). Inside AWS Lambda (AWS_LAMBDA_RUNTIME_API set) it runs the Lambda adapter
// instead.
package main

import (
	"context"

	_ "gocloud.dev/docstore/awsdynamodb/v2" // dynamodb:// collections
	_ "gocloud.dev/docstore/memdocstore"    // mem:// collections
	_ "gocloud.dev/pubsub/awssnssqs"        // awssns:// and awssqs:// topics
	_ "gocloud.dev/pubsub/mempubsub"        // mem:// topics

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/heraldhq/herald/pkg/awslambda"
	"github.com/heraldhq/herald/pkg/wire"
	"github.com/heraldhq/herald/pkg/wire/ingestfn"
)

func main() {
	wire.Main("ingest", ingestfn.Needs, func(ctx context.Context, env wire.Env) error {
		h, err := ingestfn.Build(env)
		if err != nil {
			return err
		}
		if awslambda.OnLambda() {
			lambda.Start(awslambda.SQSRouted(ingestfn.Route(env.Config, h),
				awslambda.Config{Function: env.Function, Metrics: env.Metrics, Logger: env.Logger}))
		}
		return ingestfn.Run(ctx, env, h)
	})
}
