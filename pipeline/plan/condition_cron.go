package plan

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Cron is a parsed DeploymentWindow cron expression: six fields and an optional year,
// in the Quartz form AWS documents
// (https://docs.aws.amazon.com/codepipeline/latest/userguide/rule-reference-DeploymentWindow.html):
// seconds (only *), minutes, hours, day-of-month (with ?, L, L-n), month (1-12 or
// JAN-DEC), day-of-week (1-7 or SUN-SAT, with ?, nL and n#k), year (1970-2199). The
// window is every minute the expression matches.
type Cron struct {
	minutes, hours, months [64]bool
	years                  map[int]bool // nil: any year
	dom                    [32]bool
	domAny, dowAny         bool
	domLast                int // -1 when unused; else L-n offset (0 for L)
	dow                    [8]bool
	dowLast                int // 0 when unused; else the weekday whose last occurrence matches
	dowNth                 [2]int
}

var monthNames = []string{"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"}
var dayNames = []string{"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"}

// ParseCron parses a DeploymentWindow Cron value.
func ParseCron(expr string) (*Cron, error) {
	f := strings.Fields(expr)
	if len(f) != 6 && len(f) != 7 {
		return nil, fmt.Errorf("a cron expression has 6 or 7 fields, not %d", len(f))
	}
	if f[0] != "*" {
		return nil, errors.New("the seconds field must be *")
	}
	c := &Cron{domLast: -1}
	var err error
	if err = parseField(f[1], 0, 59, nil, c.minutes[:]); err != nil {
		return nil, fmt.Errorf("minutes: %w", err)
	}
	if err = parseField(f[2], 0, 23, nil, c.hours[:]); err != nil {
		return nil, fmt.Errorf("hours: %w", err)
	}
	if err = c.parseDOM(f[3]); err != nil {
		return nil, fmt.Errorf("day-of-month: %w", err)
	}
	if err = parseField(f[4], 1, 12, monthNames, c.months[:]); err != nil {
		return nil, fmt.Errorf("month: %w", err)
	}
	if err = c.parseDOW(f[5]); err != nil {
		return nil, fmt.Errorf("day-of-week: %w", err)
	}
	if len(f) == 7 && f[6] != "*" {
		var years [230]bool
		if err = parseField(f[6], 1970, 2199, nil, years[:]); err != nil {
			return nil, fmt.Errorf("year: %w", err)
		}
		c.years = map[int]bool{}
		for y, ok := range years {
			if ok {
				c.years[y] = true
			}
		}
	}
	return c, nil
}

func (c *Cron) parseDOM(s string) error {
	switch {
	case s == "?" || s == "*":
		c.domAny = true
		return nil
	case s == "L":
		c.domLast = 0
		return nil
	case strings.HasPrefix(s, "L-"):
		n, err := strconv.Atoi(s[2:])
		if err != nil || n < 0 || n > 30 {
			return fmt.Errorf("invalid offset %q", s)
		}
		c.domLast = n
		return nil
	case strings.ContainsAny(s, "WL"):
		return fmt.Errorf("%q is not supported", s)
	}
	return parseField(s, 1, 31, nil, c.dom[:])
}

func (c *Cron) parseDOW(s string) error {
	switch {
	case s == "?" || s == "*":
		c.dowAny = true
		return nil
	case s == "L":
		return parseField("7", 1, 7, dayNames, c.dow[:])
	case strings.HasSuffix(s, "L"):
		d, err := value(s[:len(s)-1], 1, dayNames)
		if err != nil || d < 1 || d > 7 {
			return fmt.Errorf("invalid day %q", s)
		}
		c.dowLast = d
		return nil
	case strings.Contains(s, "#"):
		day, nth, _ := strings.Cut(s, "#")
		d, err := value(day, 1, dayNames)
		n, err2 := strconv.Atoi(nth)
		if err != nil || err2 != nil || d < 1 || d > 7 || n < 1 || n > 5 {
			return fmt.Errorf("invalid day %q", s)
		}
		c.dowNth = [2]int{d, n}
		return nil
	}
	return parseField(s, 1, 7, dayNames, c.dow[:])
}

// parseField sets set[v-lo] for every value of a list of *, n, a-b and x/step items.
func parseField(s string, lo, hi int, names []string, set []bool) error {
	if s == "" {
		return errors.New("empty field")
	}
	for _, item := range strings.Split(s, ",") {
		rng, stepText, hasStep := strings.Cut(item, "/")
		step := 1
		if hasStep {
			n, err := strconv.Atoi(stepText)
			if err != nil || n < 1 {
				return fmt.Errorf("invalid step %q", item)
			}
			step = n
		}
		from, to := lo, hi
		switch {
		case rng == "*":
		case strings.Contains(rng, "-"):
			a, b, _ := strings.Cut(rng, "-")
			var err error
			if from, err = value(a, lo, names); err != nil {
				return err
			}
			if to, err = value(b, lo, names); err != nil {
				return err
			}
		default:
			v, err := value(rng, lo, names)
			if err != nil {
				return err
			}
			from = v
			if !hasStep {
				to = v
			}
		}
		if from < lo || to > hi || from > to {
			return fmt.Errorf("%q is out of range %d-%d", item, lo, hi)
		}
		for v := from; v <= to; v += step {
			set[v-lo] = true
		}
	}
	return nil
}

// value reads a number or, where names are given, a name (JAN, SUN) counted from lo.
func value(s string, lo int, names []string) (int, error) {
	for i, n := range names {
		if strings.EqualFold(s, n) {
			return lo + i, nil
		}
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("invalid value %q", s)
	}
	return n, nil
}

// Matches reports whether t, in its own location, lies in the window.
func (c *Cron) Matches(t time.Time) bool {
	if !c.minutes[t.Minute()] || !c.hours[t.Hour()] || !c.months[int(t.Month())-1] {
		return false
	}
	if c.years != nil && !c.years[t.Year()-1970] {
		return false
	}
	return c.matchDOM(t) && c.matchDOW(t)
}

func (c *Cron) matchDOM(t time.Time) bool {
	if c.domAny {
		return true
	}
	if c.domLast >= 0 {
		last := time.Date(t.Year(), t.Month()+1, 0, 0, 0, 0, 0, t.Location()).Day()
		return t.Day() == last-c.domLast
	}
	return c.dom[t.Day()-1]
}

func (c *Cron) matchDOW(t time.Time) bool {
	wd := int(t.Weekday()) + 1 // Quartz: 1 = SUN
	switch {
	case c.dowAny:
		return true
	case c.dowLast > 0:
		last := time.Date(t.Year(), t.Month()+1, 0, 0, 0, 0, 0, t.Location()).Day()
		return wd == c.dowLast && t.Day()+7 > last
	case c.dowNth[0] > 0:
		return wd == c.dowNth[0] && (t.Day()-1)/7+1 == c.dowNth[1]
	}
	return c.dow[wd-1]
}

// Next returns the start of the first minute of the window that contains or follows t
// (in t's location), looking at most five years ahead; false when the window does not
// open in that time.
func (c *Cron) Next(t time.Time) (time.Time, bool) {
	t = t.Truncate(time.Minute)
	end := t.AddDate(5, 0, 0)
	for t.Before(end) {
		var nt time.Time
		switch {
		case c.years != nil && !c.years[t.Year()-1970]:
			nt = time.Date(t.Year()+1, 1, 1, 0, 0, 0, 0, t.Location())
		case !c.months[int(t.Month())-1]:
			nt = time.Date(t.Year(), t.Month()+1, 1, 0, 0, 0, 0, t.Location())
		case !c.matchDOM(t) || !c.matchDOW(t):
			nt = time.Date(t.Year(), t.Month(), t.Day()+1, 0, 0, 0, 0, t.Location())
		case !c.hours[t.Hour()]:
			nt = time.Date(t.Year(), t.Month(), t.Day(), t.Hour()+1, 0, 0, 0, t.Location())
		case !c.minutes[t.Minute()]:
			nt = t.Add(time.Minute)
		default:
			return t, true
		}
		// A jump into a daylight-saving gap may land earlier than t; never go back.
		if !nt.After(t) {
			nt = t.Add(time.Minute)
		}
		t = nt
	}
	return time.Time{}, false
}
