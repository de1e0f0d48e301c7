package function

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// TestEachFunctionLinksOnlyItsOwn: a function's binary links no other
// function's package, and none of the heavy libraries it does not use (the
// admin API's JWT library and validator, local mode's bbolt and memq, whose
// delay option alone is shared).
func TestEachFunctionLinksOnlyItsOwn(t *testing.T) {
	t.Parallel()
	const mod = "github.com/heraldhq/herald/"
	own := map[string]string{"admin": "pkg/admin", "ingest": "pkg/ingest", "deliver": "pkg/deliver",
		"retry-scheduler": "pkg/schedule", "expiry-notifier": "pkg/expiry"}
	foreign := []string{mod + "pkg/admin", mod + "pkg/ingest", mod + "pkg/deliver", mod + "pkg/expiry", mod + "pkg/schedule",
		mod + "pkg/auth", mod + "pkg/local", mod + "pkg/memq", mod + "pkg/boltdoc",
		"go.etcd.io/bbolt", "github.com/lestrrat-go/jwx", "github.com/go-playground/validator"}
	for fn, pkg := range own {
		out, err := exec.Command("go", "list", "-deps", "-tags", "lambda.norpc,grpcnotrace", "../../functions/"+fn).Output()
		if err != nil {
			t.Fatalf("go list %s: %v", fn, err)
		}
		deps := strings.Fields(string(out))
		for _, f := range foreign {
			if fn == "admin" && slices.Contains([]string{mod + "pkg/auth", "github.com/lestrrat-go/jwx",
				"github.com/go-playground/validator"}, f) {
				continue // the admin API authenticates and validates with them
			}
			if f == mod+pkg {
				continue
			}
			if i := slices.IndexFunc(deps, func(d string) bool { return (d == f || strings.HasPrefix(d, f+"/")) && d != mod+"pkg/memq/sendopt" }); i >= 0 {
				t.Errorf("functions/%s links %s", fn, deps[i])
			}
		}
	}
}

// TestSharedPackagesLinkNoDriverNorFunction: no function's package links
// another's, nor a pubsub driver (the runtime injects the topic's delay, see
// Delayer); nor do the packages they share.
func TestSharedPackagesLinkNoDriverNorFunction(t *testing.T) {
	t.Parallel()
	const mod = "github.com/heraldhq/herald/"
	functions := []string{"pkg/admin", "pkg/ingest", "pkg/deliver", "pkg/schedule", "pkg/expiry"}
	drivers := []string{mod + "pkg/memq", "github.com/aws/aws-sdk-go-v2/service/sqs", "gocloud.dev/pubsub/awssnssqs"}
	shared := []string{"pkg/store", "pkg/enqueue", "pkg/outbound", "pkg/ownevent", "pkg/validation"}
	for _, pkg := range append(slices.Clone(functions), shared...) {
		out, err := exec.Command("go", "list", "-deps", "../../"+pkg).Output()
		if err != nil {
			t.Fatalf("go list %s: %v", pkg, err)
		}
		for _, d := range strings.Fields(string(out)) {
			for _, f := range drivers {
				if d == f || strings.HasPrefix(d, f+"/") {
					t.Errorf("%s links the driver %s", pkg, d)
				}
			}
			for _, fn := range functions {
				if fn != pkg && d == mod+fn {
					t.Errorf("%s links the function package %s", pkg, d)
				}
			}
		}
	}
}
