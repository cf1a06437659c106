package asl

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"stepline/jsonvalue"
)

func TestTaskToken(t *testing.T) {
	t.Parallel()
	arn := "arn:aws:states:us-east-1:111111111111:execution:M:e|odd"
	tok := NewTaskToken(arn, "task-7", 12345)
	gotARN, gotID, err := ParseTaskToken(tok)
	require.NoError(t, err)
	require.Equal(t, arn, gotARN)
	require.Equal(t, "task-7", gotID)
	require.NotEqual(t, tok, NewTaskToken(arn, "task-7", 12346), "the nonce must change the token")
	for _, bad := range []string{"", "not-base64!", "djF8", "eHl6"} {
		_, _, err := ParseTaskToken(bad)
		require.Error(t, err, bad)
	}
}

func TestStringMatches(t *testing.T) {
	t.Parallel()
	cases := []struct {
		pattern, s string
		want       bool
	}{
		{"log-*.txt", "log-2024.txt", true},
		{"log-*.txt", "log-.txt", true},
		{"log-*.txt", "log-2024.csv", false},
		{"*", "", true},
		{"a*b*c", "aXXbYYc", true},
		{"a*b*c", "aXXcYYb", false},
		{`star\*`, "star*", true},
		{`star\*`, "starX", false},
		{`back\\slash`, `back\slash`, true},
		{"exact", "exact", true},
		{"exact", "exactly", false},
	}
	for _, c := range cases {
		require.Equal(t, c.want, globMatch(c.pattern, c.s), "%q ~ %q", c.pattern, c.s)
	}
}

func TestCompareUTF16OrdersLikeJava(t *testing.T) {
	t.Parallel()
	// U+FF5E sorts after U+1F600 by code point but before it in UTF-16 code units
	// (the emoji is a surrogate pair starting 0xD83D).
	require.Equal(t, 1, compareUTF16("\uff5e", "\U0001F600"))
	require.Equal(t, -1, compareUTF16("a", "b"))
	require.Equal(t, 0, compareUTF16("é", "é"))
	require.Equal(t, -1, compareUTF16("ab", "abc"))
}

func TestParseResource(t *testing.T) {
	t.Parallel()
	cases := []struct {
		resource string
		want     resourceInfo
	}{
		{"arn:aws:states:::lambda:invoke", resourceInfo{kind: TaskService, service: "lambda", action: "invoke", resourceType: "lambda", resourceName: "invoke"}},
		{"arn:aws:states:::states:startExecution.sync:2", resourceInfo{kind: TaskService, service: "states", action: "startExecution", pattern: "sync:2", resourceType: "states", resourceName: "startExecution.sync:2"}},
		{"arn:aws:states:::sqs:sendMessage.waitForTaskToken", resourceInfo{kind: TaskService, service: "sqs", action: "sendMessage", pattern: "waitForTaskToken", resourceType: "sqs", resourceName: "sendMessage.waitForTaskToken"}},
		{"arn:aws:states:::aws-sdk:s3:listBuckets", resourceInfo{kind: TaskService, service: "aws-sdk:s3", action: "listBuckets", resourceType: "aws-sdk:s3", resourceName: "listBuckets"}},
		{"arn:aws:states:::http:invoke", resourceInfo{kind: TaskService, service: "http", action: "invoke", resourceType: "http", resourceName: "invoke"}},
		{"arn:aws:states:eu-west-1:111111111111:activity:work", resourceInfo{kind: TaskActivity, region: "eu-west-1"}},
		{"arn:aws:lambda:us-east-2:111111111111:function:f", resourceInfo{kind: TaskLambda, service: "lambda", region: "us-east-2"}},
	}
	for _, c := range cases {
		require.Equal(t, c.want, parseResource(c.resource), c.resource)
	}
}

func TestParseRejectsWithoutPanicking(t *testing.T) {
	t.Parallel()
	for _, def := range []string{
		``, `[]`, `{}`, `{"StartAt":"A"}`, `{"StartAt":"A","States":{}}`,
		`{"StartAt":"A","States":{"A":{"Type":"Nope"}}}`,
		`{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"}}}`,
		`{"StartAt":"A","States":{"A":{"Type":"Map","End":true}}}`,
		`{"StartAt":"A","States":{"A":{"Type":"Choice","Choices":[{"Next":"A"}]}}}`,
	} {
		_, err := Parse(def)
		require.Error(t, err, def)
	}
}

func TestStepRejectsInconsistentInputs(t *testing.T) {
	t.Parallel()
	m, err := Parse(`{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":10,"End":true}}}`)
	require.NoError(t, err)
	_, err = m.Step(nil, TimerFired{TimerID: "x"}, harnessStart)
	require.Error(t, err)
	d, err := m.Step(nil, Start{Info: testInfo(), Input: jsonvalue.NewObject(0)}, harnessStart)
	require.NoError(t, err)
	_, err = m.Step(d.State, Start{Info: testInfo()}, harnessStart)
	require.Error(t, err)
	_, err = m.Step(d.State, Redrive{}, harnessStart)
	require.ErrorIs(t, err, ErrNotRedrivable)

	// A snapshot of a bigger machine does not fit this one.
	other, err := Parse(`{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Wait","Seconds":5,"End":true}}}`)
	require.NoError(t, err)
	d2, err := other.Step(nil, Start{Info: testInfo(), Input: jsonvalue.NewObject(0)}, harnessStart)
	require.NoError(t, err)
	_, err = m.Step(d2.State, TimerFired{TimerID: "wait-4"}, harnessStart.Add(time.Minute))
	require.Error(t, err)
}

func TestLateOutcomesAreIgnored(t *testing.T) {
	t.Parallel()
	m, err := Parse(`{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}}`)
	require.NoError(t, err)
	d, err := m.Step(nil, Start{Info: testInfo(), Input: jsonvalue.NewObject(0)}, harnessStart)
	require.NoError(t, err)
	task := d.Commands[0].(ScheduleTask)
	d, err = m.Step(d.State, TaskSucceeded{TaskID: task.TaskID, Output: "x"}, harnessStart)
	require.NoError(t, err)
	require.True(t, d.State.Closed())
	again, err := m.Step(d.State, TaskSucceeded{TaskID: task.TaskID, Output: "y"}, harnessStart)
	require.NoError(t, err)
	require.Empty(t, again.Events)
	require.Empty(t, again.Commands)
}

func TestHistoryLimitEndsALoop(t *testing.T) {
	t.Parallel()
	m, err := Parse(`{"StartAt":"Spin","States":{"Spin":{"Type":"Pass","Next":"Spin"}}}`)
	require.NoError(t, err)
	d, err := m.Step(nil, Start{Info: testInfo(), Input: jsonvalue.NewObject(0)}, harnessStart)
	require.NoError(t, err)
	require.True(t, d.State.Closed())
	require.LessOrEqual(t, len(d.Events), maxHistoryEvents)
	last := d.Commands[len(d.Commands)-1].(Close)
	require.Equal(t, "FAILED", last.Status)
	require.Equal(t, "States.Runtime", last.Error)
}

func TestMachineIsSharedSafely(t *testing.T) {
	t.Parallel()
	m, err := Parse(`{"StartAt":"P","States":{
		"P":{"Type":"Pass","Parameters":{"v.$":"States.Format('{}-{}', $.a, $$.Execution.Name)"},"Next":"J"},
		"J":{"Type":"Pass","QueryLanguage":"JSONata","Output":"{% $states.input.v & '!' %}","End":true}}}`)
	require.NoError(t, err)
	for i := 0; i < 8; i++ {
		t.Run(fmt.Sprintf("Execution%d", i), func(t *testing.T) {
			t.Parallel()
			d, err := m.Step(nil, Start{Info: testInfo(), Input: jsonvalue.MustParse(fmt.Sprintf(`{"a":%d}`, i))}, harnessStart)
			require.NoError(t, err)
			require.Equal(t, Close{Status: "SUCCEEDED", Output: fmt.Sprintf("%d-exec-1!", i)}, d.Commands[len(d.Commands)-1])
		})
	}
}

func TestAssignSizeLimit(t *testing.T) {
	t.Parallel()
	m, err := Parse(`{"StartAt":"A","States":{"A":{"Type":"Pass","Assign":{"a.$":"$.s","b.$":"$.s"},"End":true}}}`)
	require.NoError(t, err)
	in := jsonvalue.ObjectOf("s", strings.Repeat("x", 200_000))
	d, err := m.Step(nil, Start{Info: testInfo(), Input: in}, harnessStart)
	require.NoError(t, err)
	last := d.Commands[len(d.Commands)-1].(Close)
	require.Equal(t, "FAILED", last.Status)
	require.Equal(t, "States.DataLimitExceeded", last.Error)
}
