// Command ingest runs Herald's ingest function as a long-running process against
// the topics and collections named by the HERALD_* environment variables (see
// the README). Inside AWS Lambda (AWS_LAMBDA_RUNTIME_API set) it runs the Lambda adapter
// instead.
package main

import (
	"context"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/heraldhq/herald/pkg/awslambda"
	"github.com/heraldhq/herald/pkg/function"
	_ "github.com/heraldhq/herald/pkg/function/drivers" // the drivers every function opens its URLs with
	"github.com/heraldhq/herald/pkg/function/ingestfn"
)

func main() {
	function.Main("ingest", ingestfn.Needs, func(ctx context.Context, env function.Env) error {
		h, err := ingestfn.Build(env)
		if err != nil {
			return err
		}
		if awslambda.OnLambda() {
			lambda.Start(awslambda.SQSRouted(ingestfn.Route(env.Config, h),
				env.Lambda()))
		}
		return ingestfn.Run(ctx, env, h)
	})
}
