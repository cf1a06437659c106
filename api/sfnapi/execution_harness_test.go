package sfnapi

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	awssfn "github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/require"

	"stepline"
	"stepline/api/awsjson"
	"stepline/api/server"
	"stepline/sfn"
	"stepline/store/sqlite"
)

// execBundle is a server with the execution operations, driven by the AWS SDK.
type execBundle struct {
	ctx    context.Context
	client *awssfn.Client
	svc    *sfn.Service
	url    string
}

const execRole = "arn:aws:iam::000000000000:role/stepline"

// setupExec starts a Step Functions API over a fresh SQLite database on loopback.
func setupExec(t testing.TB) *execBundle {
	t.Helper()
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "stepline.db"))
	require.NoError(t, err)
	id := stepline.Identity{Account: "000000000000", Region: "us-east-1", Partition: "aws"}
	s := sfn.New(st, sfn.Config{Identity: id, NodeID: "test"})
	require.NoError(t, s.Start(context.Background()))
	api := awsjson.NewService(awsjson.Config{
		TargetPrefix: TargetPrefix, JSONVersion: JSONVersion, ErrorNamespace: ErrorNamespace,
		MaxBodyBytes: MaxBodyBytesDefault, DefaultIdentity: id,
	})
	register(api, &handlers{s: s})
	registerExecutionOps(api, s)
	hs := httptest.NewServer(server.New(server.Config{StepFunctions: api}))
	t.Cleanup(func() {
		hs.Close()
		s.Stop()
		require.NoError(t, st.Close())
	})
	d := &net.Dialer{Timeout: 5 * time.Second}
	httpClient := &http.Client{Transport: &http.Transport{
		// The SDK prepends "sync-" to the host for StartSyncExecution and TestState.
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			return d.DialContext(ctx, network, strings.TrimPrefix(addr, "sync-"))
		},
		MaxIdleConnsPerHost: 64,
	}}
	client := awssfn.New(awssfn.Options{
		Region: "us-east-1", BaseEndpoint: aws.String(hs.URL), HTTPClient: httpClient,
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""),
	})
	return &execBundle{ctx: context.Background(), client: client, svc: s, url: hs.URL}
}

func (b *execBundle) createSM(t testing.TB, name, def string, typ types.StateMachineType) string {
	t.Helper()
	in := &awssfn.CreateStateMachineInput{Name: aws.String(name), Definition: aws.String(def), RoleArn: aws.String(execRole)}
	if typ != "" {
		in.Type = typ
	}
	out, err := b.client.CreateStateMachine(b.ctx, in)
	require.NoError(t, err)
	return aws.ToString(out.StateMachineArn)
}

func (b *execBundle) start(t testing.TB, sm, name, input string) *awssfn.StartExecutionOutput {
	t.Helper()
	in := &awssfn.StartExecutionInput{StateMachineArn: aws.String(sm)}
	if name != "" {
		in.Name = aws.String(name)
	}
	if input != "" {
		in.Input = aws.String(input)
	}
	out, err := b.client.StartExecution(b.ctx, in)
	require.NoError(t, err)
	return out
}

// waitStatus polls DescribeExecution until the execution leaves RUNNING.
func (b *execBundle) waitStatus(t testing.TB, arn string) *awssfn.DescribeExecutionOutput {
	t.Helper()
	var out *awssfn.DescribeExecutionOutput
	require.Eventually(t, func() bool {
		var err error
		out, err = b.client.DescribeExecution(b.ctx, &awssfn.DescribeExecutionInput{ExecutionArn: aws.String(arn)})
		require.NoError(t, err)
		return out.Status != types.ExecutionStatusRunning
	}, 30*time.Second, 5*time.Millisecond)
	return out
}

func (b *execBundle) history(t testing.TB, arn string) []types.HistoryEvent {
	t.Helper()
	out, err := b.client.GetExecutionHistory(b.ctx, &awssfn.GetExecutionHistoryInput{ExecutionArn: aws.String(arn), MaxResults: 1000})
	require.NoError(t, err)
	return out.Events
}

func eventTypeList(events []types.HistoryEvent) []string {
	out := make([]string, len(events))
	for i, e := range events {
		out[i] = string(e.Type)
	}
	return out
}

// requireCode checks that err is the AWS error code, and its message when given.
func requireCode(t testing.TB, err error, code, message string) {
	t.Helper()
	require.Error(t, err)
	var ae smithy.APIError
	require.True(t, errors.As(err, &ae), "not an AWS API error: %v", err)
	require.Equal(t, code, ae.ErrorCode(), "message: %s", ae.ErrorMessage())
	if message != "" {
		require.Equal(t, message, ae.ErrorMessage())
	}
}
