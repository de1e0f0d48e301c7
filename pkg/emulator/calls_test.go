package emulator_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"gocloud.dev/docstore"
	"gocloud.dev/docstore/awsdynamodb/v2"

	"github.com/heraldhq/herald/pkg/emulator"
	"github.com/heraldhq/herald/pkg/moto"
	"github.com/heraldhq/herald/pkg/store"
)

// call is one DynamoDB API call: its operation, the table and, for a query,
// the index it read.
type call struct {
	Op, Table, Index string
}

// calls records every DynamoDB call of the clients it is the transport of.
type calls struct {
	mu   sync.Mutex
	list []call
	next http.RoundTripper
	// one, when set, makes the calls one at a time: moto_server handles
	// requests on threads without a lock per item, so two conditional
	// writes of one item at once can both pass their condition, where
	// DynamoDB applies one and fails the other. Taking moto's calls one at
	// a time gives it DynamoDB's atomic conditional writes; the callers
	// still interleave between their calls.
	one *sync.Mutex
}

func (c *calls) RoundTrip(req *http.Request) (*http.Response, error) {
	op := req.Header.Get("X-Amz-Target")
	_, op, _ = strings.Cut(op, ".")
	var body []byte
	if req.Body != nil {
		var err error
		if body, err = io.ReadAll(req.Body); err != nil {
			return nil, err
		}
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	var in struct {
		TableName, IndexName string
		RequestItems         map[string]json.RawMessage
		TransactItems        []map[string]struct{ TableName string }
	}
	_ = json.Unmarshal(body, &in)
	table := in.TableName
	for t := range in.RequestItems {
		table = t
	}
	for _, it := range in.TransactItems {
		for _, x := range it {
			table = x.TableName
		}
	}
	c.mu.Lock()
	c.list = append(c.list, call{Op: op, Table: table, Index: in.IndexName})
	c.mu.Unlock()
	if c.one != nil {
		c.one.Lock()
		defer c.one.Unlock()
	}
	return c.next.RoundTrip(req)
}

// take returns the calls recorded since the last take and forgets them.
func (c *calls) take() []call {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.list
	c.list = nil
	return out
}

// stack is the template's tables on moto, opened through one counting
// client, as template.yaml's URLs open them (scans allowed on the webhooks
// and applications tables only).
type stack struct {
	store.Collections
	calls   *calls
	created *emulator.Created
}

func newStack(t *testing.T, endpoint, prefix string) *stack {
	t.Helper()
	return openStack(t, endpoint, prefix, &calls{next: http.DefaultTransport})
}

// newAtomicStack is newStack whose calls moto handles one at a time (see
// calls.one): for the tests of what conditional writes guarantee.
func newAtomicStack(t *testing.T, endpoint, prefix string) *stack {
	t.Helper()
	return openStack(t, endpoint, prefix, &calls{next: http.DefaultTransport, one: &sync.Mutex{}})
}

func openStack(t *testing.T, endpoint, prefix string, c *calls) *stack {
	t.Helper()
	awsCfg := moto.Config(endpoint)
	created := createStack(t, awsCfg, prefix)
	client := dynamodb.NewFromConfig(awsCfg, func(o *dynamodb.Options) { o.HTTPClient = &http.Client{Transport: c} })
	open := func(id string, scans bool) *docstore.Collection {
		coll, err := awsdynamodb.OpenCollection(client, created.TableName[id], "id", "", &awsdynamodb.Options{AllowScans: scans})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = coll.Close() })
		return coll
	}
	s := &stack{calls: c, created: created, Collections: store.Collections{
		Webhooks: open("WebhooksTable", true), Events: open("EventsTable", false),
		Deliveries: open("DeliveriesTable", false), Schedule: open("ScheduleTable", false),
		Applications: open("ApplicationsTable", true)}}
	c.take() // DescribeTable of each
	return s
}

// tally counts calls by operation and table ("GetItem deliveries").
func tally(cs []call, tables map[string]string) map[string]int {
	out := map[string]int{}
	for _, c := range cs {
		name := tables[c.Table]
		if name == "" {
			name = c.Table
		}
		out[c.Op+" "+name]++
	}
	return out
}

// tableNames maps the stack's table names to short names ("deliveries").
func (s *stack) tableNames() map[string]string {
	out := map[string]string{}
	for id, name := range s.created.TableName {
		out[name] = strings.ToLower(strings.TrimSuffix(id, "Table"))
	}
	return out
}

// scans returns the Scan calls among cs, described.
func scans(cs []call) []string {
	var out []string
	for _, c := range cs {
		if c.Op == "Scan" {
			out = append(out, fmt.Sprintf("%s of %s", c.Op, c.Table))
		}
	}
	sort.Strings(out)
	return out
}
