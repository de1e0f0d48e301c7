package schedule

import "testing"

func TestNewRequiresResources(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	if _, err := New(Config{Topic: r.topic, Table: r.table}); err == nil {
		t.Error("New without Deliveries accepted")
	}
	if _, err := New(Config{Topic: r.topic, Deliveries: r.deliveries}); err == nil {
		t.Error("New without Table accepted")
	}
	if _, err := New(Config{Table: r.table, Deliveries: r.deliveries}); err == nil {
		t.Error("New without Topic accepted")
	}
}
