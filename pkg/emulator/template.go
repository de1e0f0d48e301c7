// Package emulator creates the queues, topics, subscriptions and tables of
// Herald's SAM template on an AWS emulator (moto_server), reading them from
// template.yaml itself so the emulator cannot drift from the deployment, and
// gives the gocloud URLs that point Herald at them.
package emulator

import (
	"fmt"
	"os"
	"sort"

	"go.yaml.in/yaml/v3"
)

// resource is one entry of the template's Resources.
type resource struct {
	Type       string    `yaml:"Type"`
	Properties yaml.Node `yaml:"Properties"`
}

// template is the part of a SAM template the emulator reads.
type template struct {
	Resources map[string]resource `yaml:"Resources"`
}

func readTemplate(path string) (*template, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var t template
	if err := yaml.Unmarshal(b, &t); err != nil {
		return nil, fmt.Errorf("parse %s: %w", path, err)
	}
	return &t, nil
}

// ofType returns the logical ids of the resources of type typ, sorted.
func (t *template) ofType(typ string) []string {
	var ids []string
	for id, r := range t.Resources {
		if r.Type == typ {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	return ids
}

// props decodes a resource's properties into v. CloudFormation intrinsic
// functions (!Ref, !GetAtt) decode as refs.
func (t *template) props(id string, v any) error {
	n := t.Resources[id].Properties
	if n.Kind == 0 {
		return nil
	}
	return n.Decode(v)
}

// ref is a value that may be a CloudFormation intrinsic: !Ref X or
// !GetAtt X.Attr (short forms), or a plain scalar.
type ref struct {
	Tag, Value string
}

// UnmarshalYAML implements yaml.Unmarshaler.
func (r *ref) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("line %d: want a scalar or !Ref/!GetAtt", n.Line)
	}
	r.Tag, r.Value = n.Tag, n.Value
	return nil
}

// target returns the logical id a !Ref or !GetAtt names.
func (r ref) target() string {
	for i := 0; i < len(r.Value); i++ {
		if r.Value[i] == '.' {
			return r.Value[:i]
		}
	}
	return r.Value
}

// Index is one global secondary index of a table: its name and its key
// attributes, partition key first.
type Index struct {
	Name string
	Keys []string
}

// TemplateIndexes returns the GSIs of every DynamoDB table of the template
// at path, by the table's logical id.
func TemplateIndexes(path string) (map[string][]Index, error) {
	t, err := readTemplate(path)
	if err != nil {
		return nil, err
	}
	out := map[string][]Index{}
	for _, id := range t.ofType("AWS::DynamoDB::Table") {
		var p tableProps
		if err := t.props(id, &p); err != nil {
			return nil, fmt.Errorf("%s: %w", id, err)
		}
		for _, g := range p.GlobalSecondaryIndexes {
			ix := Index{Name: g.IndexName}
			for _, typ := range []string{"HASH", "RANGE"} {
				for _, k := range g.KeySchema {
					if k.KeyType == typ {
						ix.Keys = append(ix.Keys, k.AttributeName)
					}
				}
			}
			out[id] = append(out[id], ix)
		}
	}
	return out, nil
}
