package store_test

import (
	"os"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/heraldhq/herald/pkg/store"
)

// tables maps the template's DynamoDB tables to the collections they hold.
var tables = map[string]string{
	"WebhooksTable": store.Webhooks, "EventsTable": store.Events, "DeliveriesTable": store.Deliveries,
	"ScheduleTable": store.Schedule, "ApplicationsTable": store.Applications,
}

type tableProps struct {
	GlobalSecondaryIndexes []struct {
		IndexName string `yaml:"IndexName"`
		KeySchema []struct {
			AttributeName string `yaml:"AttributeName"`
			KeyType       string `yaml:"KeyType"`
		} `yaml:"KeySchema"`
		Projection struct {
			ProjectionType   string   `yaml:"ProjectionType"`
			NonKeyAttributes []string `yaml:"NonKeyAttributes"`
		} `yaml:"Projection"`
	} `yaml:"GlobalSecondaryIndexes"`
	TimeToLiveSpecification struct {
		AttributeName string `yaml:"AttributeName"`
	} `yaml:"TimeToLiveSpecification"`
}

// describe renders an index as the template would declare it.
func describe(collection, name string, keys []string, projection string, include []string) string {
	return collection + " " + name + " keys=" + strings.Join(keys, ",") + " " + projection + "[" + strings.Join(include, ",") + "]"
}

// TestTemplateDeclaresTheIndexes holds template.yaml's GSIs and TTL
// attributes to Indexes: the template declares every GSI Indexes names, with
// its keys and projection, and no other.
func TestTemplateDeclaresTheIndexes(t *testing.T) {
	b, err := os.ReadFile("../../template.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var tmpl struct {
		Resources map[string]struct {
			Type       string    `yaml:"Type"`
			Properties yaml.Node `yaml:"Properties"`
		} `yaml:"Resources"`
	}
	if err := yaml.Unmarshal(b, &tmpl); err != nil {
		t.Fatal(err)
	}
	var got, want []string
	ttl := map[string]bool{}
	for logical, coll := range tables {
		res, ok := tmpl.Resources[logical]
		if !ok || res.Type != "AWS::DynamoDB::Table" {
			t.Fatalf("template: no DynamoDB table %s", logical)
		}
		var p tableProps
		if err := res.Properties.Decode(&p); err != nil {
			t.Fatalf("%s: %v", logical, err)
		}
		for _, g := range p.GlobalSecondaryIndexes {
			var keys []string
			for _, k := range g.KeySchema {
				keys = append(keys, k.AttributeName)
			}
			got = append(got, describe(coll, g.IndexName, keys, g.Projection.ProjectionType, g.Projection.NonKeyAttributes))
		}
		if p.TimeToLiveSpecification.AttributeName != "" {
			ttl[coll+" "+p.TimeToLiveSpecification.AttributeName] = true
		}
	}
	for _, ix := range store.Indexes {
		switch {
		case ix.GSI != "":
			projection := "KEYS_ONLY"
			if len(ix.Include) > 0 {
				projection = "INCLUDE"
			}
			want = append(want, describe(ix.Collection, ix.GSI, ix.Fields, projection, ix.Include))
		case ix.DynamoDB == store.ByTTL:
			if len(ix.Fields) != 1 || !ttl[ix.Collection+" "+ix.Fields[0]] {
				t.Errorf("%s %v: served by TTL, but the table's TTL attribute is not %v", ix.Collection, ix.Fields, ix.Fields)
			}
		case ix.DynamoDB == store.ByFilter:
			if !slices.ContainsFunc(store.Indexes, func(o store.Index) bool {
				return o.Collection == ix.Collection && o.GSI != "" && o.Fields[0] == ix.Fields[0]
			}) {
				t.Errorf("%s %v: filtered on DynamoDB, but no GSI has its leading field", ix.Collection, ix.Fields)
			}
		case ix.DynamoDB != store.ByScan:
			t.Errorf("%s %v: neither a GSI nor served otherwise on DynamoDB", ix.Collection, ix.Fields)
		}
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("template GSIs:\n  %s\nstore.Indexes:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

func TestBoltURLDeclaresEveryIndexOfItsCollection(t *testing.T) {
	got := store.BoltURL(store.Deliveries)
	want := "bolt://deliveries/id?index=webhook_id,id&index=webhook_id,status,id" +
		"&index=log_shard,id&index=log_shard,status,id&index=log_shard,event_type,id&index=event_id" +
		"&sparse=due_shard,next_attempt_ms&sparse=held_shard,created_ms&sparse=expires_at"
	if got != want {
		t.Errorf("BoltURL(deliveries) = %s, want %s", got, want)
	}
	for _, name := range store.Names {
		if !strings.HasPrefix(store.BoltURL(name), "bolt://"+name+"/id") {
			t.Errorf("BoltURL(%s) = %s", name, store.BoltURL(name))
		}
	}
}
