package match_test

import (
	"encoding/json"
	"fmt"

	"github.com/heraldhq/herald/pkg/herald"
	"github.com/heraldhq/herald/pkg/match"
)

func ExamplePattern() {
	fmt.Println(match.Pattern("secret.*", "secret.rotated"))
	fmt.Println(match.Pattern("secret.*", "secret.version.created"))
	fmt.Println(match.Pattern("secret.**", "secret.version.created"))
	fmt.Println(match.Pattern("*.created", "policy.created"))
	// Output:
	// true
	// false
	// true
	// true
}

// A ScaiVault subscription to secret events under one path: the equivalent of
// its path_prefix filter.
func ExampleMatcher() {
	m, err := match.Compile(&herald.Webhook{
		Events: []string{"secret.*"},
		Filters: []herald.Filter{{
			Field: "path",
			Op:    herald.OpPrefix,
			Value: json.RawMessage(`"environments/production/"`),
		}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, envelope := range []string{
		`{"event_type": "secret.rotated", "path": "environments/production/salesforce/oauth"}`,
		`{"event_type": "secret.rotated", "path": "environments/staging/salesforce/oauth"}`,
		`{"event_type": "policy.created", "path": "environments/production/salesforce/oauth"}`,
	} {
		var fields map[string]any
		if err := json.Unmarshal([]byte(envelope), &fields); err != nil {
			fmt.Println(err)
			return
		}
		ev := match.Event{Type: fields["event_type"].(string), Fields: fields}
		fmt.Println(ev.Type, fields["path"], m.Match(ev))
	}
	// Output:
	// secret.rotated environments/production/salesforce/oauth true
	// secret.rotated environments/staging/salesforce/oauth false
	// policy.created environments/production/salesforce/oauth false
}

func ExampleCompile_invalid() {
	_, err := match.Compile(&herald.Webhook{
		Events:  []string{"secret.*"},
		Filters: []herald.Filter{{Field: "data.tags", Op: herald.OpIn, Value: json.RawMessage(`"pii"`)}},
	})
	fmt.Println(err)
	// Output:
	// filters[0]: op "in" needs a JSON array value
}
