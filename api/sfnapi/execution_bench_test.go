package sfnapi_test

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awssfn "github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"stepline/sfn/samples"
)

// reportLatencies adds p50 and p99 of ds (sorted in place) to the benchmark.
func reportLatencies(b *testing.B, ds []time.Duration) {
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	if len(ds) == 0 {
		return
	}
	b.ReportMetric(float64(ds[len(ds)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(ds[len(ds)*99/100].Microseconds())/1000, "p99-ms")
}

// BenchmarkStartExecutionHTTP measures StartExecution over HTTP with the AWS SDK,
// 32 callers at once, against SQLite: requests per second and latency.
func BenchmarkStartExecutionHTTP(b *testing.B) {
	e := setupExec(b)
	sm := e.createSM(b, "Starts", `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3600,"End":true}}}`, "")
	const callers = 32
	var next atomic.Int64
	lat := make([]time.Duration, b.N)
	b.ResetTimer()
	var wg sync.WaitGroup
	for c := 0; c < callers; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= b.N {
					return
				}
				t0 := time.Now()
				_, err := e.client.StartExecution(e.ctx, &awssfn.StartExecutionInput{StateMachineArn: aws.String(sm), Name: aws.String(fmt.Sprintf("s%d", i))})
				lat[i] = time.Since(t0)
				if err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "starts/s")
	reportLatencies(b, lat)
}

// BenchmarkHelloWorldLatency measures the console's HelloWorld from StartExecution to
// SUCCEEDED, with its Wait set to 0 seconds (the "Wait aside" of DESIGN.md §6), one
// execution at a time: the server-side start-to-stop time and the time a client
// polling DescribeExecution sees.
func BenchmarkHelloWorldLatency(b *testing.B) {
	e := setupExec(b)
	hw, _, err := samples.Get("HelloWorld")
	if err != nil {
		b.Fatal(err)
	}
	sm := e.createSM(b, "HelloWorld", strings.Replace(hw.Definition, `"Seconds": 3`, `"Seconds": 0`, 1), "")
	server := make([]time.Duration, 0, b.N)
	client := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		start, err := e.client.StartExecution(e.ctx, &awssfn.StartExecutionInput{StateMachineArn: aws.String(sm), Input: aws.String(`{"IsHelloWorldExample": true}`)})
		if err != nil {
			b.Fatal(err)
		}
		for {
			d, err := e.client.DescribeExecution(e.ctx, &awssfn.DescribeExecutionInput{ExecutionArn: start.ExecutionArn})
			if err != nil {
				b.Fatal(err)
			}
			if d.Status != types.ExecutionStatusRunning {
				client = append(client, time.Since(t0))
				server = append(server, d.StopDate.Sub(*d.StartDate))
				if d.Status != types.ExecutionStatusSucceeded {
					b.Fatal(d.Status)
				}
				break
			}
		}
	}
	b.StopTimer()
	reportLatencies(b, server)
	sort.Slice(client, func(i, j int) bool { return client[i] < client[j] })
	b.ReportMetric(float64(client[len(client)/2].Microseconds())/1000, "client-p50-ms")
}
