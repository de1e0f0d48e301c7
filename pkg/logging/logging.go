// Package logging builds the structured JSON logger every Herald function
// writes with.
package logging

import (
	"io"
	"log/slog"
	"strings"
)

// New returns a JSON logger writing to w at level ("debug", "info", "warn",
// "error"; anything else is info), labelled with the function's name unless
// it is empty.
func New(w io.Writer, level, function string) *slog.Logger {
	var l slog.Level
	switch strings.ToLower(level) {
	case "debug":
		l = slog.LevelDebug
	case "warn":
		l = slog.LevelWarn
	case "error":
		l = slog.LevelError
	}
	log := slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: l}))
	if function != "" {
		log = log.With("function", function)
	}
	return log
}
