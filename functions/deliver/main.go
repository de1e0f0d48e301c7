// Command deliver runs Herald's deliver function as a long-running process against
// the topics and collections named by the HERALD_* environment variables (see
// the README). Inside AWS Lambda (AWS_LAMBDA_RUNTIME_API set) it runs the Lambda adapter
// instead.
package main

import (
	"context"
	"time"

	_ "gocloud.dev/secrets/awskms"       // awskms:// keepers
	_ "gocloud.dev/secrets/localsecrets" // base64key:// keepers

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/heraldhq/herald/pkg/awslambda"
	"github.com/heraldhq/herald/pkg/consume"
	"github.com/heraldhq/herald/pkg/function"
	"github.com/heraldhq/herald/pkg/function/deliverfn"
	_ "github.com/heraldhq/herald/pkg/function/drivers" // the drivers every function opens its URLs with
)

func main() {
	function.Main("deliver", deliverfn.Needs, func(ctx context.Context, env function.Env) error {
		function.EventCache(&env)
		h, err := deliverfn.Build(env)
		if err != nil {
			return err
		}
		if awslambda.OnLambda() {
			lambda.Start(awslambda.SQS(h.Handle, env.Lambda()))
		}
		return consume.RunReopening(ctx, env.Res.DeliverSub, function.Reopen(env.Config.DeliverSubscription), h.Handle, consume.Config{
			Concurrency: deliverfn.Jobs(env.Config),
			Timeout:     env.Config.DeliveryTimeout + 30*time.Second,
			Metrics:     env.Metrics, Function: env.Function, Logger: env.Logger})
	})
}
