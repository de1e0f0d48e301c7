package store_test

import (
	"os"
	"strings"
	"testing"

	"github.com/heraldhq/herald/pkg/store"
)

// indexRow renders an index as the README's table of indexes shows it.
func indexRow(ix store.Index) string {
	dynamo := "`" + ix.GSI + "`"
	if len(ix.Include) > 0 {
		dynamo += " (+ " + strings.Join(ix.Include, ", ") + ")"
	}
	switch ix.DynamoDB {
	case store.ByTTL:
		dynamo = "TTL"
	case store.ByFilter:
		dynamo = "the GSI on `" + ix.Fields[0] + "`, filtered"
	case store.ByScan:
		dynamo = "scan"
	}
	return "| " + ix.Collection + " | `" + strings.Join(ix.Fields, ", ") + "` | " + dynamo + " | " + ix.Serves + " |"
}

// TestREADMEListsEveryIndex: the README's architecture section shows every
// index of store.Indexes as it is.
func TestREADMEListsEveryIndex(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, ix := range store.Indexes {
		if row := indexRow(ix); !strings.Contains(string(b), row+"\n") {
			t.Errorf("README has no row\n%s", row)
		}
	}
}
