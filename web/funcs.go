package web

import (
	"bytes"
	"encoding/json"
	"html/template"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// funcs are the helpers templates may call.
func funcs() template.FuncMap {
	return template.FuncMap{
		"status":      statusOf,
		"when":        formatTime,
		"duration":    formatDuration,
		"prettyJSON":  prettyJSON,
		"smURL":       stateMachineURL,
		"execURL":     executionURL,
		"pipeURL":     pipelineURL,
		"prefix":      func() string { return Prefix },
		"points":      svgPoints,
		"num":         func(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) },
		"add":         func(a, b float64) float64 { return a + b },
		"half":        func(f float64) float64 { return f / 2 },
		"outcomeOf":   func(o map[string]string, name string) status { return outcomeStatus(o[name]) },
		"eventDetail": eventSummary,
		"taken":       edgeTaken,
	}
}

// stateMachineURL is the console page of a state machine.
func stateMachineURL(arn string) string { return Prefix + "/statemachines/" + url.PathEscape(arn) }

// executionURL is the console page of an execution.
func executionURL(arn string) string { return Prefix + "/executions/" + url.PathEscape(arn) }

// formatTime shows a time in UTC to the second, the way the API reports it, or a dash
// for none.
func formatTime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.UTC().Format("2006-01-02 15:04:05 UTC")
}

// formatDuration shows how long something ran, rounded for reading.
func formatDuration(from, to time.Time) string {
	if from.IsZero() || to.IsZero() {
		return "—"
	}
	d := to.Sub(from)
	switch {
	case d < time.Second:
		return strconv.FormatInt(d.Milliseconds(), 10) + " ms"
	case d < time.Minute:
		return strconv.FormatFloat(d.Seconds(), 'f', 1, 64) + " s"
	default:
		return d.Round(time.Second).String()
	}
}

// prettyJSON indents a JSON text for reading; text that is not JSON is shown as it is.
func prettyJSON(s string) string {
	var buf bytes.Buffer
	if err := json.Indent(&buf, []byte(s), "", "  "); err != nil {
		return s
	}
	return buf.String()
}

// svgPoints formats a polyline's points attribute.
func svgPoints(pts []Point) string {
	var b strings.Builder
	for i, p := range pts {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(strconv.FormatFloat(p.X, 'f', 1, 64))
		b.WriteByte(',')
		b.WriteString(strconv.FormatFloat(p.Y, 'f', 1, 64))
	}
	return b.String()
}
