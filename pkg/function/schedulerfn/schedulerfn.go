// Package schedulerfn builds the retry-scheduler from a function.Env: what it
// opens (Needs) and the scheduler (Build).
package schedulerfn

import (
	"github.com/heraldhq/herald/pkg/config"
	"github.com/heraldhq/herald/pkg/function"
	"github.com/heraldhq/herald/pkg/schedule"
)

// Needs is what the retry-scheduler opens: the schedule it moves onto the
// deliver topic, and the deliveries its sweep re-arms.
func Needs(config.Config) config.Needs {
	return config.Needs{Deliveries: true, Schedule: true, DeliverTopic: true}
}

// Build builds the retry-scheduler.
func Build(e function.Env) (*schedule.Scheduler, error) {
	e.Defaults()
	return schedule.New(schedule.Config{Preclaims: e.Preclaims, Topic: e.Res.Deliver, Delayer: function.Delayer(e.Res.Deliver), Table: e.Res.Schedule,
		Deliveries: e.Res.Deliveries, Now: e.Now, SweepGrace: e.Config.SweepGrace,
		SweepInterval: e.Config.SweepInterval,
		Logger:        e.Log("retry-scheduler")})
}
