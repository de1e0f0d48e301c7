// Command expiry-notifier runs Herald's expiry-notifier function as a long-running process against
// the topics and collections named by the HERALD_* environment variables (see
// the README). Inside AWS Lambda (AWS_LAMBDA_RUNTIME_API set) it runs the Lambda adapter
// instead.
package main

import (
	"context"

	"github.com/aws/aws-lambda-go/lambda"
	_ "gocloud.dev/secrets/awskms" // awskms:// keepers (re-validation signs its calls)

	"github.com/heraldhq/herald/pkg/awslambda"
	"github.com/heraldhq/herald/pkg/function"
	_ "github.com/heraldhq/herald/pkg/function/drivers" // the drivers every function opens its URLs with
	"github.com/heraldhq/herald/pkg/function/expiryfn"
)

func main() {
	function.Main("expiry-notifier", expiryfn.Needs, func(ctx context.Context, env function.Env) error {
		n, err := expiryfn.Build(env)
		if err != nil {
			return err
		}
		if awslambda.OnLambda() {
			lambda.Start(awslambda.Schedule(func(ctx context.Context) error {
				_, err := n.Tick(ctx)
				return err
			}, env.Lambda()))
		}
		return n.Run(ctx)
	})
}
