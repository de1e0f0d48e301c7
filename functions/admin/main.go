// Command admin runs Herald's admin function as a long-running process against
// the topics and collections named by the HERALD_* environment variables (see
// the README). Inside AWS Lambda (AWS_LAMBDA_RUNTIME_API set) it runs the Lambda adapter
// instead.
package main

import (
	"context"
	"errors"
	"net/http"
	"time"

	_ "gocloud.dev/runtimevar/awssecretsmanager" // awssecretsmanager:// admin token and signing key
	_ "gocloud.dev/secrets/awskms"               // awskms:// keepers
	_ "gocloud.dev/secrets/localsecrets"         // base64key:// keepers

	"github.com/aws/aws-lambda-go/lambdaurl"

	"github.com/heraldhq/herald/pkg/awslambda"
	"github.com/heraldhq/herald/pkg/function"
	"github.com/heraldhq/herald/pkg/function/adminfn"
	_ "github.com/heraldhq/herald/pkg/function/drivers" // the drivers every function opens its URLs with
)

func main() {
	function.Main("admin", adminfn.Needs, func(ctx context.Context, env function.Env) error {
		if err := adminfn.ReadSecrets(ctx, &env.Config); err != nil {
			return err
		}
		if env.Config.AdminToken == "" {
			return errors.New("HERALD_ADMIN_TOKEN or HERALD_ADMIN_TOKEN_URL is required")
		}
		if awslambda.OnLambda() {
			env.Metrics = nil // a Function URL is public: no unauthenticated /metrics
		}
		api, err := adminfn.Build(env)
		if err != nil {
			return err
		}
		if awslambda.OnLambda() {
			lambdaurl.Start(api) // behind a Function URL with response streaming
		}
		ln, err := adminfn.Listen(env.Config.Addr, env.Config)
		if err != nil {
			return err
		}
		srv := adminfn.NewServer(api, env.Config)
		go func() {
			<-ctx.Done()
			shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			_ = srv.Shutdown(shutdown)
		}()
		env.Logger.Info("admin is listening", "addr", env.Config.Addr)
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	})
}
