// Command load drives a running stepline server with StartExecution calls and
// prints the throughput and latency it saw. It is the load command behind the
// "StartExecution over HTTP" number in DESIGN.md §6:
//
//	go run ./cmd/stepline serve --data-dir /tmp/load-data &
//	go run ./tools/load --endpoint http://127.0.0.1:4566 --concurrency 16 --duration 10s
//
// It runs in its own process, so the server is measured without an SDK client
// sharing its CPU, and it sends what the AWS SDKs send: a SigV4-signed awsJson 1.0
// request over kept-alive connections. The AWS SDK client is used only to create the
// state machine the executions run.
package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	awssfn "github.com/aws/aws-sdk-go-v2/service/sfn"
)

// waitDefinition keeps every execution open in a Wait, so the run measures starts
// alone and not the transitions that would follow them.
const waitDefinition = `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":86400,"End":true}}}`

type options struct {
	endpoint     string
	region       string
	concurrency  int
	duration     time.Duration
	requests     int
	stateMachine string
	definition   string
}

func main() {
	o, err := parseFlags(os.Args[1:])
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		os.Exit(2)
	}
	if err := run(context.Background(), o); err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
}

func parseFlags(args []string) (options, error) {
	var o options
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	fs.StringVar(&o.endpoint, "endpoint", "http://127.0.0.1:4566", "the server's `URL`")
	fs.StringVar(&o.region, "region", "us-east-1", "the `region` requests are signed for")
	fs.IntVar(&o.concurrency, "concurrency", 16, "callers at once")
	fs.DurationVar(&o.duration, "duration", 10*time.Second, "how long to run (ignored when --requests is set)")
	fs.IntVar(&o.requests, "requests", 0, "stop after this many calls instead of after --duration")
	fs.StringVar(&o.stateMachine, "state-machine", "", "the state machine `ARN` to start (default: create one that waits a day)")
	fs.StringVar(&o.definition, "definition", waitDefinition, "the ASL `JSON` of the state machine to create when --state-machine is not given")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if o.concurrency < 1 {
		fmt.Fprintln(os.Stderr, "load: --concurrency must be at least 1")
		return o, errors.New("bad flags")
	}
	return o, nil
}

func run(ctx context.Context, o options) error {
	creds := credentials.NewStaticCredentialsProvider("load", "load", "")
	if o.stateMachine == "" {
		client := awssfn.New(awssfn.Options{
			BaseEndpoint: aws.String(o.endpoint),
			Region:       o.region,
			Credentials:  creds,
		})
		out, err := client.CreateStateMachine(ctx, &awssfn.CreateStateMachineInput{
			Name:       aws.String("load-" + strconv.FormatInt(time.Now().UnixNano(), 36)),
			Definition: aws.String(o.definition),
			RoleArn:    aws.String("arn:aws:iam::000000000000:role/load"),
		})
		if err != nil {
			return fmt.Errorf("create state machine: %w", err)
		}
		o.stateMachine = *out.StateMachineArn
	}

	c := &caller{
		endpoint: o.endpoint,
		region:   o.region,
		arn:      o.stateMachine,
		signer:   v4.NewSigner(),
		creds:    aws.Credentials{AccessKeyID: "load", SecretAccessKey: "load"},
		http: &http.Client{Transport: &http.Transport{
			MaxIdleConns:        o.concurrency,
			MaxIdleConnsPerHost: o.concurrency,
		}},
	}
	prefix := strconv.FormatInt(time.Now().UnixNano(), 36)

	var next, failed atomic.Int64
	var firstErr atomic.Value
	deadline := time.Now().Add(o.duration)
	lat := make([][]time.Duration, o.concurrency)
	start := time.Now()
	var wg sync.WaitGroup
	for w := range o.concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1) - 1
				if o.requests > 0 && i >= int64(o.requests) || o.requests == 0 && time.Now().After(deadline) {
					return
				}
				t0 := time.Now()
				err := c.start(ctx, prefix+"-"+strconv.FormatInt(i, 10))
				lat[w] = append(lat[w], time.Since(t0))
				if err != nil {
					failed.Add(1)
					firstErr.CompareAndSwap(nil, err)
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)

	all := slices.Concat(lat...)
	slices.Sort(all)
	fmt.Printf("state machine  %s\n", o.stateMachine)
	fmt.Printf("calls          %d in %.2fs with %d callers, %d failed\n", len(all), elapsed.Seconds(), o.concurrency, failed.Load())
	fmt.Printf("throughput     %.0f StartExecution/s\n", float64(len(all))/elapsed.Seconds())
	fmt.Printf("latency        p50 %s  p90 %s  p99 %s  max %s\n",
		pct(all, 50), pct(all, 90), pct(all, 99), pct(all, 100))
	if err, _ := firstErr.Load().(error); err != nil {
		return fmt.Errorf("%d calls failed, the first with: %w", failed.Load(), err)
	}
	return nil
}

// pct is the p-th percentile of sorted, rounded for reading.
func pct(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := min(len(sorted)*p/100, len(sorted)-1)
	return sorted[i].Round(10 * time.Microsecond)
}

// caller sends signed StartExecution requests.
type caller struct {
	endpoint, region, arn string
	signer                *v4.Signer
	creds                 aws.Credentials
	http                  *http.Client
}

func (c *caller) start(ctx context.Context, name string) error {
	body := []byte(`{"stateMachineArn":` + strconv.Quote(c.arn) + `,"name":` + strconv.Quote(name) + `}`)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint+"/", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.0")
	req.Header.Set("X-Amz-Target", "AWSStepFunctions.StartExecution")
	sum := sha256.Sum256(body)
	if err := c.signer.SignHTTP(ctx, c.creds, req, hex.EncodeToString(sum[:]), "states", c.region, time.Now()); err != nil {
		return err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("HTTP %d: %s", resp.StatusCode, out)
	}
	return nil
}
