package sfnapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	awssfn "github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/stretchr/testify/require"

	"stepline"
	"stepline/api/s3api"
	"stepline/api/server"
	"stepline/api/sfnapi"
	"stepline/objects"
	"stepline/sfn"
	"stepline/store/sqlite"
)

// mapRunBundle is a server with Step Functions and S3 over one store, as serve wires
// them, so Distributed Maps read and write stepline's own S3.
type mapRunBundle struct {
	ctx context.Context
	sfn *awssfn.Client
	s3  *s3.Client
}

func setupMapRun(t *testing.T) *mapRunBundle {
	t.Helper()
	dir := t.TempDir()
	st, err := sqlite.Open(filepath.Join(dir, "stepline.db"))
	require.NoError(t, err)
	blobs, err := objects.OpenFSBlobs(filepath.Join(dir, "blobs"))
	require.NoError(t, err)
	id := stepline.Identity{Account: "000000000000", Region: "us-east-1", Partition: "aws"}
	objs := objects.New(objects.Config{Store: st, Blobs: blobs, Region: "us-east-1"})
	svc := sfn.New(st, sfn.Config{Identity: id, NodeID: "maprun-test", Objects: sfn.ObjectsService{S: objs}})
	require.NoError(t, svc.Start(context.Background()))
	hs := httptest.NewServer(server.New(server.Config{
		StepFunctions: sfnapi.New(svc, sfnapi.Config{DefaultIdentity: id}),
		S3:            s3api.New(objs, s3api.Config{DefaultIdentity: id}),
	}))
	t.Cleanup(func() {
		hs.Close()
		svc.Stop()
		require.NoError(t, st.Close())
	})
	creds := credentials.NewStaticCredentialsProvider("test", "test", "")
	return &mapRunBundle{
		ctx: t.Context(),
		sfn: awssfn.New(awssfn.Options{Region: "us-east-1", BaseEndpoint: aws.String(hs.URL), Credentials: creds}),
		s3:  s3.New(s3.Options{Region: "us-east-1", BaseEndpoint: aws.String(hs.URL), UsePathStyle: true, Credentials: creds}),
	}
}

// MustPut creates bucket (if needed) and writes key.
func (b *mapRunBundle) MustPut(tb testing.TB, bucket, key, body string) {
	tb.Helper()
	_, _ = b.s3.CreateBucket(b.ctx, &s3.CreateBucketInput{Bucket: aws.String(bucket)}) // BucketAlreadyOwnedByYou after the first
	_, err := b.s3.PutObject(b.ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), Body: strings.NewReader(body)})
	require.NoError(tb, err)
}

// MustGet reads an object.
func (b *mapRunBundle) MustGet(tb testing.TB, bucket, key string) []byte {
	tb.Helper()
	out, err := b.s3.GetObject(b.ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	require.NoError(tb, err)
	defer out.Body.Close()
	body, err := io.ReadAll(out.Body)
	require.NoError(tb, err)
	return body
}

// MustRun creates a state machine, starts it and waits for its end.
func (b *mapRunBundle) MustRun(tb testing.TB, name, def, input string) *awssfn.DescribeExecutionOutput {
	tb.Helper()
	return b.MustWait(tb, b.MustStart(tb, name, def, input))
}

// MustStart creates a state machine and starts it.
func (b *mapRunBundle) MustStart(tb testing.TB, name, def, input string) string {
	tb.Helper()
	sm, err := b.sfn.CreateStateMachine(b.ctx, &awssfn.CreateStateMachineInput{Name: aws.String(name),
		Definition: aws.String(def), RoleArn: aws.String(roleARN)})
	require.NoError(tb, err)
	ex, err := b.sfn.StartExecution(b.ctx, &awssfn.StartExecutionInput{StateMachineArn: sm.StateMachineArn, Input: aws.String(input)})
	require.NoError(tb, err)
	return *ex.ExecutionArn
}

// MustWait polls an execution until it ends.
func (b *mapRunBundle) MustWait(tb testing.TB, arn string) *awssfn.DescribeExecutionOutput {
	tb.Helper()
	for {
		d, err := b.sfn.DescribeExecution(b.ctx, &awssfn.DescribeExecutionInput{ExecutionArn: aws.String(arn)})
		require.NoError(tb, err)
		if d.Status != types.ExecutionStatusRunning {
			return d
		}
		select {
		case <-b.ctx.Done():
			tb.Fatalf("execution %s did not end", arn)
		case <-time.After(5 * time.Millisecond):
		}
	}
}

// MustEvents returns an execution's history event types.
func (b *mapRunBundle) MustEvents(tb testing.TB, arn string) []string {
	tb.Helper()
	var types []string
	p := awssfn.NewGetExecutionHistoryPaginator(b.sfn, &awssfn.GetExecutionHistoryInput{ExecutionArn: aws.String(arn)})
	for p.HasMorePages() {
		page, err := p.NextPage(b.ctx)
		require.NoError(tb, err)
		for _, e := range page.Events {
			types = append(types, string(e.Type))
		}
	}
	return types
}

// MustMapRun returns the execution's only map run.
func (b *mapRunBundle) MustMapRun(tb testing.TB, execARN string) *awssfn.DescribeMapRunOutput {
	tb.Helper()
	runs, err := b.sfn.ListMapRuns(b.ctx, &awssfn.ListMapRunsInput{ExecutionArn: aws.String(execARN)})
	require.NoError(tb, err)
	require.Len(tb, runs.MapRuns, 1)
	d, err := b.sfn.DescribeMapRun(b.ctx, &awssfn.DescribeMapRunInput{MapRunArn: runs.MapRuns[0].MapRunArn})
	require.NoError(tb, err)
	return d
}

func distributed(extra, processor string) string {
	return `{"StartAt":"Each","States":{"Each":{"Type":"Map",` + extra + `"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},` +
		processor + `},"End":true}}}`
}

const passProcessor = `"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}`

func TestDistributedMap(t *testing.T) {
	t.Parallel()

	t.Run("InlineItemsAsChildExecutions", func(t *testing.T) {
		t.Parallel()
		b := setupMapRun(t)
		def := distributed(`"Label":"each","ItemsPath":"$.items","MaxConcurrency":2,`,
			`"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"v.$":"$.n"},"End":true}}`)
		out := b.MustRun(t, "inline", def, `{"items":[{"n":1},{"n":2},{"n":3},{"n":4},{"n":5}]}`)
		require.Equal(t, types.ExecutionStatusSucceeded, out.Status, aws.ToString(out.Cause))
		require.JSONEq(t, `[{"v":1},{"v":2},{"v":3},{"v":4},{"v":5}]`, aws.ToString(out.Output))
		require.Equal(t, []string{"ExecutionStarted", "MapStateEntered", "MapStateStarted", "MapRunStarted",
			"MapRunSucceeded", "MapStateSucceeded", "MapStateExited", "ExecutionSucceeded"}, b.MustEvents(t, *out.ExecutionArn))

		run := b.MustMapRun(t, *out.ExecutionArn)
		require.Equal(t, types.MapRunStatusSucceeded, run.Status)
		require.Regexp(t, `^arn:aws:states:us-east-1:000000000000:mapRun:inline/each:[0-9a-f-]{36}$`, *run.MapRunArn)
		require.Equal(t, int32(2), run.MaxConcurrency)
		require.Equal(t, int64(5), run.ExecutionCounts.Total)
		require.Equal(t, int64(5), run.ExecutionCounts.Succeeded)
		require.Equal(t, int64(0), run.ExecutionCounts.Pending)
		require.Equal(t, int64(5), run.ItemCounts.Succeeded)
		require.NotNil(t, run.StopDate)

		kids, err := b.sfn.ListExecutions(b.ctx, &awssfn.ListExecutionsInput{MapRunArn: run.MapRunArn, MaxResults: 2})
		require.NoError(t, err)
		require.Len(t, kids.Executions, 2)
		require.NotNil(t, kids.NextToken)
		kid := kids.Executions[0]
		require.Regexp(t, `^arn:aws:states:us-east-1:000000000000:execution:inline/each:[0-9a-f-]{36}$`, *kid.ExecutionArn)
		require.Equal(t, run.MapRunArn, kid.MapRunArn)
		d, err := b.sfn.DescribeExecution(b.ctx, &awssfn.DescribeExecutionInput{ExecutionArn: kid.ExecutionArn})
		require.NoError(t, err)
		require.Equal(t, run.MapRunArn, d.MapRunArn)
		require.Equal(t, "arn:aws:states:us-east-1:000000000000:stateMachine:inline/each", *d.StateMachineArn)
		require.Equal(t, []string{"ExecutionStarted", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"},
			b.MustEvents(t, *kid.ExecutionArn))
		smd, err := b.sfn.DescribeStateMachineForExecution(b.ctx, &awssfn.DescribeStateMachineForExecutionInput{ExecutionArn: kid.ExecutionArn})
		require.NoError(t, err)
		require.Equal(t, "inline", *smd.Name)
		require.Equal(t, "each", aws.ToString(smd.Label))
		require.Equal(t, run.MapRunArn, smd.MapRunArn)
		require.JSONEq(t, `{"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"v.$":"$.n"},"End":true}}}`, *smd.Definition)
	})

	t.Run("ItemReaderCSVAndResultWriter", func(t *testing.T) {
		t.Parallel()
		b := setupMapRun(t)
		b.MustPut(t, "items-in", "data/rows.csv", "id,name\n1,ann\n2,bob\n3,cy\n")
		def := distributed(`"ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"CSV","CSVHeaderLocation":"FIRST_ROW"},
			"Parameters":{"Bucket":"items-in","Key":"data/rows.csv"}},
			"ResultWriter":{"Resource":"arn:aws:states:::s3:putObject","Parameters":{"Bucket":"results-out","Prefix":"results"}},`, passProcessor)
		b.MustPut(t, "results-out", "keep", "x")
		out := b.MustRun(t, "csv", def, `{}`)
		require.Equal(t, types.ExecutionStatusSucceeded, out.Status, aws.ToString(out.Cause))
		run := b.MustMapRun(t, *out.ExecutionArn)
		id := (*run.MapRunArn)[strings.LastIndexByte(*run.MapRunArn, ':')+1:]
		require.JSONEq(t, fmt.Sprintf(`{"MapRunArn":%q,"ResultWriterDetails":{"Bucket":"results-out","Key":"results/%s/manifest.json"}}`,
			*run.MapRunArn, id), aws.ToString(out.Output))
		require.Equal(t, int64(3), run.ExecutionCounts.ResultsWritten)

		var manifest struct {
			DestinationBucket string
			MapRunArn         string
			ResultFiles       map[string][]struct {
				Key  string
				Size int
			}
		}
		require.NoError(t, json.Unmarshal(b.MustGet(t, "results-out", "results/"+id+"/manifest.json"), &manifest))
		require.Equal(t, "results-out", manifest.DestinationBucket)
		require.Equal(t, *run.MapRunArn, manifest.MapRunArn)
		require.Empty(t, manifest.ResultFiles["FAILED"])
		require.Empty(t, manifest.ResultFiles["PENDING"])
		require.Len(t, manifest.ResultFiles["SUCCEEDED"], 1)
		require.Equal(t, "results/"+id+"/SUCCEEDED_0.json", manifest.ResultFiles["SUCCEEDED"][0].Key)

		var results []map[string]any
		body := b.MustGet(t, "results-out", "results/"+id+"/SUCCEEDED_0.json")
		require.Len(t, body, manifest.ResultFiles["SUCCEEDED"][0].Size)
		require.NoError(t, json.Unmarshal(body, &results))
		require.Len(t, results, 3)
		var inputs []string
		for _, r := range results {
			require.Equal(t, "SUCCEEDED", r["Status"])
			require.Equal(t, r["Input"], r["Output"])
			inputs = append(inputs, r["Input"].(string))
		}
		require.ElementsMatch(t, []string{`{"id":"1","name":"ann"}`, `{"id":"2","name":"bob"}`, `{"id":"3","name":"cy"}`}, inputs)
	})

	t.Run("ItemReaderJSONAndJSONLAndGivenHeaders", func(t *testing.T) {
		t.Parallel()
		b := setupMapRun(t)
		b.MustPut(t, "items-in", "a.json", `[1,2,3,4]`)
		b.MustPut(t, "items-in", "a.jsonl", "{\"x\":1}\n{\"x\":2}\n")
		b.MustPut(t, "items-in", "a.csv", "1;2\n3;4\n5;6\n")
		for _, c := range []struct{ name, reader, want string }{
			{"json", `"Parameters":{"Bucket":"items-in","Key":"a.json"},"ReaderConfig":{"InputType":"JSON","MaxItems":3}`, `[1,2,3]`},
			{"jsonl", `"Parameters":{"Bucket":"items-in","Key":"a.jsonl"},"ReaderConfig":{"InputType":"JSONL"}`, `[{"x":1},{"x":2}]`},
			{"given", `"Parameters":{"Bucket":"items-in","Key":"a.csv"},"ReaderConfig":{"InputType":"CSV","CSVHeaderLocation":"GIVEN","CSVHeaders":["a","b"],"CSVDelimiter":"SEMICOLON","MaxItems":2}`,
				`[{"a":"1","b":"2"},{"a":"3","b":"4"}]`},
		} {
			def := distributed(`"ItemReader":{"Resource":"arn:aws:states:::s3:getObject",`+c.reader+`},`, passProcessor)
			out := b.MustRun(t, c.name, def, `{}`)
			require.Equal(t, types.ExecutionStatusSucceeded, out.Status, c.name+": "+aws.ToString(out.Cause))
			require.JSONEq(t, c.want, aws.ToString(out.Output), c.name)
		}
	})

	t.Run("ItemBatcherCountsItemsAndChildren", func(t *testing.T) {
		t.Parallel()
		b := setupMapRun(t)
		b.MustPut(t, "items-in", "five.json", `[1,2,3,4,5]`)
		def := distributed(`"ItemReader":{"Resource":"arn:aws:states:::s3:getObject","Parameters":{"Bucket":"items-in","Key":"five.json"}},
			"ItemBatcher":{"MaxItemsPerBatch":2,"BatchInput":{"job":"j1"}},`, passProcessor)
		out := b.MustRun(t, "batched", def, `{}`)
		require.Equal(t, types.ExecutionStatusSucceeded, out.Status, aws.ToString(out.Cause))
		require.JSONEq(t, `[{"BatchInput":{"job":"j1"},"Items":[1,2]},{"BatchInput":{"job":"j1"},"Items":[3,4]},
			{"BatchInput":{"job":"j1"},"Items":[5]}]`, aws.ToString(out.Output))
		run := b.MustMapRun(t, *out.ExecutionArn)
		require.Equal(t, int64(3), run.ExecutionCounts.Total)
		require.Equal(t, int64(5), run.ItemCounts.Total)
		require.Equal(t, int64(5), run.ItemCounts.Succeeded)
	})

	t.Run("ListMapRunsPages", func(t *testing.T) {
		t.Parallel()
		b := setupMapRun(t)
		def := `{"StartAt":"First","States":{
			"First":{"Type":"Map","ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},` + passProcessor + `},"ResultPath":null,"Next":"Second"},
			"Second":{"Type":"Map","ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},
				"StartAt":"Q","States":{"Q":{"Type":"Pass","End":true}}},"End":true}}}`
		out := b.MustRun(t, "two", def, `[1,2]`)
		require.Equal(t, types.ExecutionStatusSucceeded, out.Status, aws.ToString(out.Cause))
		page1, err := b.sfn.ListMapRuns(b.ctx, &awssfn.ListMapRunsInput{ExecutionArn: out.ExecutionArn, MaxResults: 1})
		require.NoError(t, err)
		require.Len(t, page1.MapRuns, 1)
		require.NotNil(t, page1.NextToken)
		page2, err := b.sfn.ListMapRuns(b.ctx, &awssfn.ListMapRunsInput{ExecutionArn: out.ExecutionArn, MaxResults: 1, NextToken: page1.NextToken})
		require.NoError(t, err)
		require.Len(t, page2.MapRuns, 1)
		require.Nil(t, page2.NextToken)
		// Newest first: the second Map's run, then the first's.
		require.Contains(t, *page1.MapRuns[0].MapRunArn, ":mapRun:two/Second:")
		require.Contains(t, *page2.MapRuns[0].MapRunArn, ":mapRun:two/First:")
		_, err = b.sfn.ListMapRuns(b.ctx, &awssfn.ListMapRunsInput{ExecutionArn: out.ExecutionArn, NextToken: aws.String("bogus")})
		requireAWSError(t, err, "InvalidToken", "Invalid Token: 'bogus'")
	})

	t.Run("ItemReaderListObjectsV2", func(t *testing.T) {
		t.Parallel()
		b := setupMapRun(t)
		b.MustPut(t, "items-in", "p/one", "1")
		b.MustPut(t, "items-in", "p/two", "22")
		b.MustPut(t, "items-in", "q/three", "333")
		def := distributed(`"ItemReader":{"Resource":"arn:aws:states:::s3:listObjectsV2","Parameters":{"Bucket":"items-in","Prefix":"p/"}},`,
			`"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"k.$":"$.Key","s.$":"$.Size","c.$":"$.StorageClass","e.$":"$.Etag"},"End":true}}`)
		out := b.MustRun(t, "list", def, `{}`)
		require.Equal(t, types.ExecutionStatusSucceeded, out.Status, aws.ToString(out.Cause))
		require.JSONEq(t, `[{"k":"p/one","s":1,"c":"STANDARD","e":"\"c4ca4238a0b923820dcc509a6f75849b\""},
			{"k":"p/two","s":2,"c":"STANDARD","e":"\"b6d767d2f8ed5d21a44b0e5886680cb9\""}]`, aws.ToString(out.Output))
	})

	t.Run("ItemReaderMissingBucketFailsTheMap", func(t *testing.T) {
		t.Parallel()
		b := setupMapRun(t)
		def := distributed(`"ItemReader":{"Resource":"arn:aws:states:::s3:getObject","Parameters":{"Bucket":"nope","Key":"k"}},`, passProcessor)
		out := b.MustRun(t, "missing", def, `{}`)
		require.Equal(t, types.ExecutionStatusFailed, out.Status)
		require.Equal(t, "States.ItemReaderFailed", aws.ToString(out.Error))
		require.Contains(t, aws.ToString(out.Cause), "Error Code: NoSuchBucket")
		runs, err := b.sfn.ListMapRuns(b.ctx, &awssfn.ListMapRunsInput{ExecutionArn: out.ExecutionArn})
		require.NoError(t, err)
		require.Empty(t, runs.MapRuns)

		b.MustPut(t, "items-in", "bad.json", `{"not":"a list"}`)
		def = `{"StartAt":"Each","States":{"Each":{"Type":"Map",
			"ItemReader":{"Resource":"arn:aws:states:::s3:getObject","Parameters":{"Bucket":"items-in","Key":"bad.json"}},
			"Catch":[{"ErrorEquals":["States.ItemReaderFailed"],"Next":"Caught"}],
			"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},` + passProcessor + `},"End":true},
			"Caught":{"Type":"Pass","End":true}}}`
		out = b.MustRun(t, "caught", def, `{}`)
		require.Equal(t, types.ExecutionStatusSucceeded, out.Status, aws.ToString(out.Cause))
		require.JSONEq(t, `{"Error":"States.ItemReaderFailed","Cause":"Attempting to map over non-iterable node."}`, aws.ToString(out.Output))
	})

	t.Run("JSONataReaderAndWriterWithFailures", func(t *testing.T) {
		t.Parallel()
		b := setupMapRun(t)
		b.MustPut(t, "items-in", "a.json", `[{"ok":true},{"ok":false},{"ok":true}]`)
		b.MustPut(t, "results-out", "keep", "x")
		def := `{"QueryLanguage":"JSONata","StartAt":"Each","States":{"Each":{"Type":"Map","ToleratedFailureCount":1,
			"ItemReader":{"Resource":"arn:aws:states:::s3:getObject","Arguments":{"Bucket":"{% $states.input.src %}","Key":"a.json"}},
			"ResultWriter":{"Resource":"arn:aws:states:::s3:putObject","Arguments":{"Bucket":"{% $states.input.dst %}","Prefix":"r"}},
			"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"EXPRESS"},"StartAt":"C","States":{
				"C":{"Type":"Choice","Choices":[{"Condition":"{% $states.input.ok %}","Next":"P"}],"Default":"F"},
				"F":{"Type":"Fail","Error":"Item.Bad","Cause":"not ok"},"P":{"Type":"Pass","End":true}}},"End":true}}}`
		out := b.MustRun(t, "jsonata", def, `{"src":"items-in","dst":"results-out"}`)
		require.Equal(t, types.ExecutionStatusSucceeded, out.Status, aws.ToString(out.Cause))
		run := b.MustMapRun(t, *out.ExecutionArn)
		id := (*run.MapRunArn)[strings.LastIndexByte(*run.MapRunArn, ':')+1:]
		var manifest struct {
			ResultFiles map[string][]struct{ Key string }
		}
		require.NoError(t, json.Unmarshal(b.MustGet(t, "results-out", "r/"+id+"/manifest.json"), &manifest))
		require.Len(t, manifest.ResultFiles["SUCCEEDED"], 1)
		require.Len(t, manifest.ResultFiles["FAILED"], 1)
		var failed []map[string]any
		require.NoError(t, json.Unmarshal(b.MustGet(t, "results-out", "r/"+id+"/FAILED_0.json"), &failed))
		require.Len(t, failed, 1)
		require.Equal(t, "Item.Bad", failed[0]["Error"])
		require.Equal(t, "not ok", failed[0]["Cause"])
		require.Equal(t, "FAILED", failed[0]["Status"])
		require.Equal(t, `{"ok":false}`, failed[0]["Input"])
		require.Equal(t, int64(2), run.ExecutionCounts.Succeeded)
		require.Equal(t, int64(1), run.ExecutionCounts.Failed)

		// EXPRESS children have express ARNs: DescribeExecution answers for them (a map run
		// dispatched them), GetExecutionHistory does not.
		kids, err := b.sfn.ListExecutions(b.ctx, &awssfn.ListExecutionsInput{MapRunArn: run.MapRunArn})
		require.NoError(t, err)
		require.Len(t, kids.Executions, 3)
		kid := *kids.Executions[0].ExecutionArn
		require.Regexp(t, `^arn:aws:states:us-east-1:000000000000:express:jsonata/Each:[0-9a-f-]{36}:[0-9a-f-]{36}$`, kid)
		d, err := b.sfn.DescribeExecution(b.ctx, &awssfn.DescribeExecutionInput{ExecutionArn: aws.String(kid)})
		require.NoError(t, err)
		require.Equal(t, run.MapRunArn, d.MapRunArn)
		_, err = b.sfn.GetExecutionHistory(b.ctx, &awssfn.GetExecutionHistoryInput{ExecutionArn: aws.String(kid)})
		requireAWSError(t, err, "InvalidArn", "Invalid Arn: 'Resource type not valid in this context: express'")

		out = b.MustRun(t, "nowhere", def, `{"src":"items-in","dst":"no-such-bucket"}`)
		require.Equal(t, types.ExecutionStatusFailed, out.Status)
		require.Equal(t, "States.ResultWriterFailed", aws.ToString(out.Error))
		require.Contains(t, aws.ToString(out.Cause), "Error Code: NoSuchBucket")
	})

	t.Run("ToleratedFailures", func(t *testing.T) {
		t.Parallel()
		b := setupMapRun(t)
		proc := `"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":"$.ok","BooleanEquals":false,"Next":"F"}],"Default":"P"},
			"F":{"Type":"Fail","Error":"Item.Bad","Cause":"bad item"},"P":{"Type":"Pass","End":true}}`
		items := `{"items":[{"ok":true},{"ok":false},{"ok":true},{"ok":false}]}`

		out := b.MustRun(t, "tolerated", distributed(`"ItemsPath":"$.items","ToleratedFailureCount":2,`, proc), items)
		require.Equal(t, types.ExecutionStatusSucceeded, out.Status, aws.ToString(out.Cause))
		require.JSONEq(t, `[{"ok":true},{"Error":"Item.Bad","Cause":"bad item"},{"ok":true},{"Error":"Item.Bad","Cause":"bad item"}]`, aws.ToString(out.Output))
		run := b.MustMapRun(t, *out.ExecutionArn)
		require.Equal(t, int64(2), run.ExecutionCounts.Failed)
		require.Equal(t, int64(2), run.ToleratedFailureCount)

		out = b.MustRun(t, "exceeded", distributed(`"ItemsPath":"$.items","MaxConcurrency":1,"ToleratedFailurePercentage":25,`, proc), items)
		require.Equal(t, types.ExecutionStatusFailed, out.Status)
		require.Equal(t, "States.ExceedToleratedFailureThreshold", aws.ToString(out.Error))
		require.Equal(t, "The specified tolerated failure threshold was exceeded", aws.ToString(out.Cause))
		require.Equal(t, []string{"ExecutionStarted", "MapStateEntered", "MapStateStarted", "MapRunStarted",
			"MapRunFailed", "MapStateFailed", "ExecutionFailed"}, b.MustEvents(t, *out.ExecutionArn))
		run = b.MustMapRun(t, *out.ExecutionArn)
		require.Equal(t, types.MapRunStatusFailed, run.Status)
		require.InDelta(t, 25.0, run.ToleratedFailurePercentage, 0)

		out = b.MustRun(t, "strict", distributed(`"ItemsPath":"$.items",`, proc), items)
		require.Equal(t, types.ExecutionStatusFailed, out.Status)
		require.Equal(t, "States.ExceedToleratedFailureThreshold", aws.ToString(out.Error))
	})

	t.Run("UpdateMapRunRaisesConcurrency", func(t *testing.T) {
		t.Parallel()
		b := setupMapRun(t)
		act, err := b.sfn.CreateActivity(b.ctx, &awssfn.CreateActivityInput{Name: aws.String("work")})
		require.NoError(t, err)
		proc := `"StartAt":"A","States":{"A":{"Type":"Task","Resource":"` + *act.ActivityArn + `","End":true}}`
		exARN := b.MustStart(t, "update", distributed(`"ItemsPath":"$.items","MaxConcurrency":1,`, proc), `{"items":[1,2,3]}`)
		var runARN *string
		for runARN == nil {
			runs, err := b.sfn.ListMapRuns(b.ctx, &awssfn.ListMapRunsInput{ExecutionArn: aws.String(exARN)})
			require.NoError(t, err)
			if len(runs.MapRuns) == 1 {
				runARN = runs.MapRuns[0].MapRunArn
			}
		}
		// One child at a time: take one task, then let the rest run together.
		task := MustActivityTask(t, b, *act.ActivityArn)
		run, err := b.sfn.DescribeMapRun(b.ctx, &awssfn.DescribeMapRunInput{MapRunArn: runARN})
		require.NoError(t, err)
		require.Equal(t, int64(1), run.ExecutionCounts.Running)
		require.Equal(t, int64(2), run.ExecutionCounts.Pending)
		_, err = b.sfn.UpdateMapRun(b.ctx, &awssfn.UpdateMapRunInput{MapRunArn: runARN, MaxConcurrency: aws.Int32(3)})
		require.NoError(t, err)
		run, err = b.sfn.DescribeMapRun(b.ctx, &awssfn.DescribeMapRunInput{MapRunArn: runARN})
		require.NoError(t, err)
		require.Equal(t, int32(3), run.MaxConcurrency)
		require.Equal(t, int64(3), run.ExecutionCounts.Running)
		tasks := []string{task, MustActivityTask(t, b, *act.ActivityArn), MustActivityTask(t, b, *act.ActivityArn)}
		for _, tok := range tasks {
			_, err := b.sfn.SendTaskSuccess(b.ctx, &awssfn.SendTaskSuccessInput{TaskToken: aws.String(tok), Output: aws.String(`"done"`)})
			require.NoError(t, err)
		}
		out := b.MustWait(t, exARN)
		require.Equal(t, types.ExecutionStatusSucceeded, out.Status, aws.ToString(out.Cause))
		require.JSONEq(t, `["done","done","done"]`, aws.ToString(out.Output))

		_, err = b.sfn.UpdateMapRun(b.ctx, &awssfn.UpdateMapRunInput{MapRunArn: runARN, MaxConcurrency: aws.Int32(5)})
		requireAWSError(t, err, "ValidationException", "Map Run is completed and cannot be updated: '"+*runARN+"'")
	})

	t.Run("NoItems", func(t *testing.T) {
		t.Parallel()
		b := setupMapRun(t)
		out := b.MustRun(t, "empty", distributed(``, passProcessor), `[]`)
		require.Equal(t, types.ExecutionStatusSucceeded, out.Status, aws.ToString(out.Cause))
		require.Equal(t, "[]", aws.ToString(out.Output))
		run := b.MustMapRun(t, *out.ExecutionArn)
		require.Equal(t, types.MapRunStatusSucceeded, run.Status)
		require.Equal(t, int64(0), run.ExecutionCounts.Total)
	})

	t.Run("StopAbortsTheMapRun", func(t *testing.T) {
		t.Parallel()
		b := setupMapRun(t)
		proc := `"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3600,"End":true}}`
		exARN := b.MustStart(t, "stop", distributed(`"ItemsPath":"$.items",`, proc), `{"items":[1,2]}`)
		var runARN *string
		for runARN == nil {
			runs, err := b.sfn.ListMapRuns(b.ctx, &awssfn.ListMapRunsInput{ExecutionArn: aws.String(exARN)})
			require.NoError(t, err)
			if len(runs.MapRuns) == 1 {
				runARN = runs.MapRuns[0].MapRunArn
			}
		}
		_, err := b.sfn.StopExecution(b.ctx, &awssfn.StopExecutionInput{ExecutionArn: aws.String(exARN)})
		require.NoError(t, err)
		require.Equal(t, []string{"ExecutionStarted", "MapStateEntered", "MapStateStarted", "MapRunStarted",
			"MapRunAborted", "MapStateAborted", "ExecutionAborted"}, b.MustEvents(t, exARN))
		for {
			run, err := b.sfn.DescribeMapRun(b.ctx, &awssfn.DescribeMapRunInput{MapRunArn: runARN})
			require.NoError(t, err)
			if run.Status == types.MapRunStatusAborted && run.ExecutionCounts.Aborted == 2 {
				break
			}
			<-time.After(5 * time.Millisecond)
		}
	})

	t.Run("BadInput", func(t *testing.T) {
		t.Parallel()
		b := setupMapRun(t)
		missing := "arn:aws:states:us-east-1:000000000000:mapRun:sm/label:0b1f4d3a-9b7e-4a52-8d3c-5a0f0e6c1d2e"
		_, err := b.sfn.DescribeMapRun(b.ctx, &awssfn.DescribeMapRunInput{MapRunArn: aws.String(missing)})
		requireAWSError(t, err, "ResourceNotFound", "Resource not found: '"+missing+"'")
		_, err = b.sfn.DescribeMapRun(b.ctx, &awssfn.DescribeMapRunInput{MapRunArn: aws.String("arn:aws:states:us-east-1:000000000000:execution:sm:x")})
		requireAWSError(t, err, "InvalidArn", "Invalid Arn: 'Resource type not valid in this context: execution'")
		_, err = b.sfn.UpdateMapRun(b.ctx, &awssfn.UpdateMapRunInput{MapRunArn: aws.String(missing), MaxConcurrency: aws.Int32(1)})
		requireAWSError(t, err, "ResourceNotFound", "")
		_, err = b.sfn.UpdateMapRun(b.ctx, &awssfn.UpdateMapRunInput{MapRunArn: aws.String(missing), ToleratedFailurePercentage: aws.Float32(101)})
		requireAWSError(t, err, "ValidationException", "")
		_, err = b.sfn.UpdateMapRun(b.ctx, &awssfn.UpdateMapRunInput{MapRunArn: aws.String(missing)})
		requireAWSError(t, err, "ValidationException", "")
		_, err = b.sfn.ListExecutions(b.ctx, &awssfn.ListExecutionsInput{MapRunArn: aws.String(missing)})
		requireAWSError(t, err, "ResourceNotFound", "")
		_, err = b.sfn.ListMapRuns(b.ctx, &awssfn.ListMapRunsInput{ExecutionArn: aws.String("arn:aws:states:us-east-1:000000000000:execution:sm:none")})
		requireAWSError(t, err, "ExecutionDoesNotExist", "")
	})
}

// MustActivityTask polls an activity until it hands out a task and returns its token.
func MustActivityTask(tb testing.TB, b *mapRunBundle, arn string) string {
	tb.Helper()
	for {
		out, err := b.sfn.GetActivityTask(b.ctx, &awssfn.GetActivityTaskInput{ActivityArn: aws.String(arn)})
		require.NoError(tb, err)
		if out.TaskToken != nil {
			return *out.TaskToken
		}
	}
}
