package pipelineapi

import (
	"encoding/json"
	"fmt"
	"time"

	"stepline"
	"stepline/api/awsjson"
	"stepline/pipeline/plan"
)

// The declaration model in pipeline/plan uses CodePipeline's JSON names, so the wire
// shape and the domain shape convert through JSON without a field-by-field copy that
// could drift from the model.

func toPlan(d *PipelineDeclaration) (plan.Pipeline, error) {
	var p plan.Pipeline
	b, err := json.Marshal(d)
	if err != nil {
		return p, fmt.Errorf("encode declaration: %w", err)
	}
	if err := json.Unmarshal(b, &p); err != nil {
		return p, fmt.Errorf("decode declaration: %w", err)
	}
	return p, nil
}

func toWire(p plan.Pipeline) (*PipelineDeclaration, error) {
	var d PipelineDeclaration
	b, err := json.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("encode declaration: %w", err)
	}
	if err := json.Unmarshal(b, &d); err != nil {
		return nil, fmt.Errorf("decode declaration: %w", err)
	}
	return &d, nil
}

func str(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func i32(n int) *int32 {
	v := int32(n)
	return &v
}

func tm(t time.Time) *awsjson.Time {
	if t.IsZero() {
		return nil
	}
	return awsjson.TimePtr(t)
}

// invalidToken is CodePipeline's answer to a bad pagination token.
func invalidToken() *stepline.Error {
	return stepline.Errorf("InvalidNextTokenException", "The next token was specified in an invalid format. Make sure that the next token you provide is the token returned by a previous call.")
}

// page cuts items to one page starting at the offset in token.
func page[T any](key []byte, items []T, token *string, maxResults *int32, def int) ([]T, *string, error) {
	off := 0
	if token != nil && *token != "" {
		if err := awsjson.DecodeToken(key, *token, time.Now(), 0, &off); err != nil || off < 0 || off > len(items) {
			return nil, nil, invalidToken()
		}
	}
	n := def
	if maxResults != nil && *maxResults > 0 {
		n = int(*maxResults)
	}
	items = items[off:]
	if len(items) <= n {
		return items, nil, nil
	}
	next := awsjson.EncodeToken(key, off+n, time.Now())
	return items[:n], &next, nil
}
