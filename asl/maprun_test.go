package asl

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"stepline/jsonvalue"
)

// mapRunStep steps in after a snapshot round trip, as the engine does between
// transitions, and returns the decision.
func mapRunStep(t *testing.T, m *Machine, s *State, in Input) Decision {
	t.Helper()
	if s != nil {
		b, err := MarshalState(s)
		require.NoError(t, err)
		s, err = UnmarshalState(b)
		require.NoError(t, err)
	}
	d, err := m.Step(s, in, time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	require.NoError(t, err)
	return d
}

func eventTypesOf(d Decision) []string {
	var out []string
	for _, e := range d.Events {
		out = append(out, e.Type)
	}
	return out
}

func commandOf[T Command](t *testing.T, d Decision) T {
	t.Helper()
	for _, c := range d.Commands {
		if v, ok := c.(T); ok {
			return v
		}
	}
	var zero T
	t.Fatalf("no %T in %#v", zero, d.Commands)
	return zero
}

var mapRunInfo = ExecutionInfo{ExecutionARN: "arn:aws:states:us-east-1:111111111111:execution:M:e",
	Name: "e", StateMachineARN: "arn:aws:states:us-east-1:111111111111:stateMachine:M", StateMachineName: "M",
	Type: "STANDARD", MapRuns: true}

func TestMapRunContract(t *testing.T) {
	t.Parallel()

	t.Run("ItemsBecomeAMapRun", func(t *testing.T) {
		t.Parallel()
		m, err := Parse(`{"StartAt":"Each","States":{"Each":{"Type":"Map","Label":"lbl","ItemsPath":"$.xs","MaxConcurrency":3,
			"ToleratedFailureCount":1,"ItemSelector":{"v.$":"$$.Map.Item.Value","i.$":"$$.Map.Item.Index"},
			"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"EXPRESS"},"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},
			"ResultPath":"$.out","End":true}}}`)
		require.NoError(t, err)
		d := mapRunStep(t, m, nil, Start{Info: mapRunInfo, Input: jsonvalue.MustParse(`{"xs":["a","b"]}`)})
		require.Equal(t, []string{"ExecutionStarted", "MapStateEntered", "MapStateStarted", "MapRunStarted"}, eventTypesOf(d))
		c := commandOf[StartMapRun](t, d)
		require.Regexp(t, `^arn:aws:states:us-east-1:111111111111:mapRun:M/lbl:[0-9a-f-]{36}$`, c.MapRunARN)
		require.Equal(t, "EXPRESS", c.ExecutionType)
		require.Equal(t, 3, c.MaxConcurrency)
		require.Equal(t, int64(1), c.ToleratedFailureCount)
		require.InDelta(t, -1, c.ToleratedFailurePercentage, 0)
		require.Equal(t, 2, c.ItemCount)
		require.JSONEq(t, `[{"v":"a","i":0},{"v":"b","i":1}]`, string(jsonvalue.Marshal(c.Inputs)))
		require.JSONEq(t, `{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`, string(c.Definition))

		d = mapRunStep(t, m, d.State, MapRunEnded{TaskID: c.TaskID, Status: "SUCCEEDED", Output: jsonvalue.MustParse(`[1,2]`)})
		require.Equal(t, []string{"MapRunSucceeded", "MapStateSucceeded", "MapStateExited", "ExecutionSucceeded"}, eventTypesOf(d))
		require.JSONEq(t, `{"xs":["a","b"],"out":[1,2]}`, string(jsonvalue.Marshal(commandOf[Close](t, d).Output)))
	})

	t.Run("ItemReaderThenMapRunThenFailure", func(t *testing.T) {
		t.Parallel()
		m, err := Parse(`{"StartAt":"Each","States":{"Each":{"Type":"Map",
			"ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"CSV","MaxItemsPath":"$.max"},
				"Parameters":{"Bucket.$":"$.b","Key":"k.csv"}},
			"ItemBatcher":{"MaxItemsPerBatch":2},
			"ResultWriter":{"Resource":"arn:aws:states:::s3:putObject","Parameters":{"Bucket":"out","Prefix":"p"}},
			"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},
			"Catch":[{"ErrorEquals":["States.ALL"],"Next":"Caught"}],"End":true},
			"Caught":{"Type":"Pass","End":true}}}`)
		require.NoError(t, err)
		d := mapRunStep(t, m, nil, Start{Info: mapRunInfo, Input: jsonvalue.MustParse(`{"b":"in","max":5}`)})
		require.Equal(t, []string{"ExecutionStarted", "MapStateEntered"}, eventTypesOf(d))
		r := commandOf[ReadItems](t, d)
		require.Equal(t, "arn:aws:states:::s3:getObject", r.Resource)
		require.JSONEq(t, `{"Bucket":"in","Key":"k.csv"}`, string(jsonvalue.Marshal(r.Parameters)))
		require.JSONEq(t, `{"InputType":"CSV","MaxItems":5}`, string(jsonvalue.Marshal(r.ReaderConfig)))

		d = mapRunStep(t, m, d.State, ItemsRead{TaskID: r.TaskID, Items: []any{"x", "y", "z"}})
		require.Equal(t, []string{"MapStateStarted", "MapRunStarted"}, eventTypesOf(d))
		c := commandOf[StartMapRun](t, d)
		require.Equal(t, 3, c.ItemCount)
		require.JSONEq(t, `[{"Items":["x","y"]},{"Items":["z"]}]`, string(jsonvalue.Marshal(c.Inputs)))
		require.Equal(t, "arn:aws:states:::s3:putObject", c.WriterResource)
		require.JSONEq(t, `{"Bucket":"out","Prefix":"p"}`, string(jsonvalue.Marshal(c.WriterParameters)))

		d = mapRunStep(t, m, d.State, MapRunEnded{TaskID: c.TaskID, Status: "FAILED",
			Error: "States.ExceedToleratedFailureThreshold", Cause: "The specified tolerated failure threshold was exceeded"})
		require.Equal(t, []string{"MapRunFailed", "MapStateFailed", "MapStateExited", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"}, eventTypesOf(d))
	})

	t.Run("ReaderFailureIsCaught", func(t *testing.T) {
		t.Parallel()
		m, err := Parse(`{"StartAt":"Each","States":{"Each":{"Type":"Map",
			"ItemReader":{"Resource":"arn:aws:states:::s3:listObjectsV2","Parameters":{"Bucket":"b"}},
			"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED"},"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},
			"Catch":[{"ErrorEquals":["States.ItemReaderFailed"],"Next":"Caught"}],"End":true},
			"Caught":{"Type":"Pass","End":true}}}`)
		require.NoError(t, err)
		d := mapRunStep(t, m, nil, Start{Info: mapRunInfo, Input: jsonvalue.MustParse(`{}`)})
		r := commandOf[ReadItems](t, d)
		d = mapRunStep(t, m, d.State, ItemsRead{TaskID: r.TaskID, Error: "States.ItemReaderFailed", Cause: "no bucket"})
		require.JSONEq(t, `{"Error":"States.ItemReaderFailed","Cause":"no bucket"}`, string(jsonvalue.Marshal(commandOf[Close](t, d).Output)))
	})

	t.Run("StopAbortsTheMapRun", func(t *testing.T) {
		t.Parallel()
		m, err := Parse(`{"StartAt":"Each","States":{"Each":{"Type":"Map",
			"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED"},"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}}`)
		require.NoError(t, err)
		d := mapRunStep(t, m, nil, Start{Info: mapRunInfo, Input: jsonvalue.MustParse(`[1]`)})
		c := commandOf[StartMapRun](t, d)
		d = mapRunStep(t, m, d.State, Stop{})
		require.Equal(t, []string{"MapRunAborted", "MapStateAborted", "ExecutionAborted"}, eventTypesOf(d))
		require.Equal(t, c.TaskID, commandOf[CancelTask](t, d).TaskID)
	})

	t.Run("WithoutMapRunsAnItemReaderFails", func(t *testing.T) {
		t.Parallel()
		m, err := Parse(`{"StartAt":"Each","States":{"Each":{"Type":"Map",
			"ItemReader":{"Resource":"arn:aws:states:::s3:getObject","Parameters":{"Bucket":"b","Key":"k"}},
			"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED"},"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}}`)
		require.NoError(t, err)
		info := mapRunInfo
		info.MapRuns = false
		d := mapRunStep(t, m, nil, Start{Info: info, Input: jsonvalue.MustParse(`{}`)})
		cl := commandOf[Close](t, d)
		require.Equal(t, "States.ItemReaderFailed", cl.Error)
	})
}
