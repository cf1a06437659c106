package plan_test

import (
	"testing"
	"time"
	_ "time/tzdata" // the Berlin case must not depend on the host

	"github.com/stretchr/testify/require"

	"stepline/pipeline/plan"
)

func TestCron(t *testing.T) {
	t.Parallel()
	at := func(s string) time.Time {
		v, err := time.Parse("2006-01-02 15:04 Mon", s)
		require.NoError(t, err)
		return v
	}
	cases := []struct {
		cron string
		at   string
		want bool
	}{
		{"* * * * * ?", "2026-03-04 12:30 Wed", true},
		{"* * 9-17 ? * MON-FRI", "2026-03-04 12:30 Wed", true},
		{"* * 9-17 ? * MON-FRI", "2026-03-04 18:00 Wed", false},
		{"* * 9-17 ? * MON-FRI", "2026-03-07 12:00 Sat", false},
		{"* 0/15 * * * ?", "2026-03-04 12:30 Wed", true},
		{"* 0/15 * * * ?", "2026-03-04 12:31 Wed", false},
		{"* 5,10 * * * ?", "2026-03-04 12:10 Wed", true},
		{"* * * L * ?", "2026-02-28 00:00 Sat", true},
		{"* * * L-1 * ?", "2026-02-27 00:00 Fri", true},
		{"* * * L * ?", "2026-02-27 00:00 Fri", false},
		{"* * * ? * 6L", "2026-03-27 00:00 Fri", true},
		{"* * * ? * 6L", "2026-03-20 00:00 Fri", false},
		{"* * * ? * 2#1", "2026-03-02 00:00 Mon", true},
		{"* * * ? * 2#1", "2026-03-09 00:00 Mon", false},
		{"* * * 1 JAN-MAR ?", "2026-02-01 08:00 Sun", true},
		{"* * * 1 JAN-MAR ?", "2026-04-01 08:00 Wed", false},
		{"* * * * * ? 2026", "2026-04-01 08:00 Wed", true},
		{"* * * * * ? 2027-2030", "2026-04-01 08:00 Wed", false},
	}
	for _, c := range cases {
		cron, err := plan.ParseCron(c.cron)
		require.NoError(t, err, c.cron)
		require.Equal(t, c.want, cron.Matches(at(c.at)), "%s at %s", c.cron, c.at)
	}
	for _, bad := range []string{"", "* * *", "0 * * * * ?", "* 60 * * * ?", "* * 24 * * ?", "* * * 0 * ?", "* * * 15W * ?",
		"* * * * 13 ?", "* * * ? * 8", "* * * ? * 9L", "* * * ? * 2#6", "* */0 * * * ?", "* 5-1 * * * ?", "* * * * * ? 1969", "* x * * * ?"} {
		_, err := plan.ParseCron(bad)
		require.Error(t, err, bad)
	}
}

func TestCronNext(t *testing.T) {
	t.Parallel()
	from := time.Date(2026, 3, 7, 18, 30, 20, 0, time.UTC) // a Saturday
	cases := []struct {
		cron string
		want time.Time
	}{
		{"* * 9-17 ? * MON-FRI", time.Date(2026, 3, 9, 9, 0, 0, 0, time.UTC)},
		{"* * * * * ?", time.Date(2026, 3, 7, 18, 30, 0, 0, time.UTC)},
		{"* 45 18 * * ?", time.Date(2026, 3, 7, 18, 45, 0, 0, time.UTC)},
		{"* 0 0 L 2 ? 2028", time.Date(2028, 2, 29, 0, 0, 0, 0, time.UTC)},
	}
	for _, c := range cases {
		cron, err := plan.ParseCron(c.cron)
		require.NoError(t, err)
		got, ok := cron.Next(from)
		require.True(t, ok, c.cron)
		require.Equal(t, c.want, got, c.cron)
	}
	// Across the spring-forward gap in Berlin (02:00 to 03:00 on 2026-03-29).
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	cron, err := plan.ParseCron("* 30 2-3 ? * *")
	require.NoError(t, err)
	got, ok := cron.Next(time.Date(2026, 3, 29, 1, 59, 0, 0, berlin))
	require.True(t, ok)
	require.Equal(t, time.Date(2026, 3, 29, 3, 30, 0, 0, berlin), got)

	cron, err = plan.ParseCron("* 0 0 1 1 ? 2199")
	require.NoError(t, err)
	_, ok = cron.Next(from)
	require.False(t, ok)
	cron, err = plan.ParseCron("* * * 31 2 ?")
	require.NoError(t, err)
	_, ok = cron.Next(from)
	require.False(t, ok)
}

func TestCheckVariable(t *testing.T) {
	t.Parallel()
	cases := []struct {
		variable, op, value string
		want                bool
	}{
		{"main", "EQ", "main", true},
		{"main", "EQ", "Main", false},
		{"main", "NE", "dev", true},
		{"fix: update docs", "CONTAINS", "update", true},
		{"fix: update docs", "CONTAINS", "release", false},
		{"release-1.2", "MATCHES", `release-\d+\.\d+`, true},
		{"hotfix/release-1.2", "MATCHES", `release-\d+\.\d+`, false}, // a whole-string match, as in Java
	}
	for _, c := range cases {
		got, err := plan.CheckVariable(c.variable, c.op, c.value)
		require.NoError(t, err)
		require.Equal(t, c.want, got, "%s %s %s", c.variable, c.op, c.value)
	}
	_, err := plan.CheckVariable("x", "GT", "y")
	require.Error(t, err)
	_, err = plan.CheckVariable("x", "MATCHES", "(")
	require.EqualError(t, err, "the value '(' is not a valid regular expression")
}

func TestRuleTypes(t *testing.T) {
	t.Parallel()
	_, ok := plan.LookupRule(plan.RuleTypeID{Category: "Rule", Provider: "VariableCheck"})
	require.True(t, ok, "owner and version may be omitted")
	_, ok = plan.LookupRule(plan.RuleTypeID{Category: "Rule", Owner: "Custom", Provider: "VariableCheck", Version: "1"})
	require.False(t, ok)
	_, ok = plan.LookupRule(plan.RuleTypeID{Category: "Invoke", Owner: "AWS", Provider: "VariableCheck", Version: "1"})
	require.False(t, ok)
	require.Len(t, plan.RuleTypes(), 5)
}

// FuzzParseCron checks that no expression makes ParseCron or Matches panic.
func FuzzParseCron(f *testing.F) {
	for _, s := range []string{"* * 9-17 ? * MON-FRI", "* 0/15 * L * ? 2026", "* * * ? * 6L", "* * * ? * 2#1", "* * * L-3 JAN-DEC ?", "* 5-1 * * * ?"} {
		f.Add(s)
	}
	base := time.Date(2026, 2, 28, 23, 59, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, expr string) {
		c, err := plan.ParseCron(expr)
		if err != nil {
			return
		}
		for d := 0; d < 3; d++ {
			at := base.Add(time.Duration(d) * 25 * time.Hour)
			if next, ok := c.Next(at); ok && (next.Before(at.Truncate(time.Minute)) || !c.Matches(next)) {
				t.Fatalf("Next(%v) = %v, not a later minute of the window", at, next)
			}
		}
	})
}

func TestParseCronSeedCorpus(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"* * 9-17 ? * MON-FRI", "* 0/15 * L * ? 2026", "* * * ? * 6L", "* * * ? * 2#1", "* * * L-3 JAN-DEC ?"} {
		_, err := plan.ParseCron(s)
		require.NoError(t, err, s)
	}
}
