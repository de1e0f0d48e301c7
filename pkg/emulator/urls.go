package emulator

import (
	"net/url"
	"strings"
)

// Env returns the HERALD_* variables that point Herald at what Create made
// on the emulator at endpoint (region us-east-1), with the same URL
// parameters as template.yaml's Globals.
func (c *Created) Env(endpoint, region string) map[string]string {
	aws := "region=" + region + "&endpoint=" + url.QueryEscape(endpoint)
	sqsURL := func(id string) string {
		u := c.QueueURL[id]
		u = strings.TrimPrefix(strings.TrimPrefix(u, "https://"), "http://")
		// No waittime: short polls (gocloud sleeps 250 ms when a poll is
		// empty). Long polls on moto_server lose a message now and then
		// under load, and delay what arrives during the poll.
		return "awssqs://" + u + "?" + aws + "&raw=true"
	}
	table := func(id, extra string) string {
		return "dynamodb://" + c.TableName[id] + "?partition_key=id&" + aws + extra
	}
	return map[string]string{
		"HERALD_INGEST_TOPIC":            "awssns:///" + c.TopicARN["IngestTopic"] + "?" + aws,
		"HERALD_INGEST_SUBSCRIPTION":     sqsURL("IngestQueue"),
		"HERALD_DELIVER_TOPIC":           strings.TrimSuffix(sqsURL("DeliverQueue"), "&raw=true"),
		"HERALD_DELIVER_SUBSCRIPTION":    sqsURL("DeliverQueue"),
		"HERALD_WEBHOOKS_COLLECTION":     table("WebhooksTable", "&allow_scans=true"),
		"HERALD_EVENTS_COLLECTION":       table("EventsTable", ""),
		"HERALD_DELIVERIES_COLLECTION":   table("DeliveriesTable", ""),
		"HERALD_SCHEDULE_COLLECTION":     table("ScheduleTable", ""),
		"HERALD_APPLICATIONS_COLLECTION": table("ApplicationsTable", "&allow_scans=true"),
		"HERALD_SECRETS_KEEPER":          "awskms://" + c.KeyID["SecretsKey"] + "?" + aws,
	}
}
