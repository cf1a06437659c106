package sfn

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"stepline"
	"stepline/jsonvalue"
	"stepline/store"
)

// HistoryEvent is one event of an execution's history. Details is the JSON object AWS
// puts under the event's details member (see HistoryDetailsKey), or nil.
type HistoryEvent struct {
	ID              int64
	PreviousEventID int64
	Timestamp       time.Time
	Type            string
	Details         []byte
}

// HistoryParams selects a page of GetExecutionHistory.
type HistoryParams struct {
	ExecutionARN string
	Page         Page
	Reverse      bool
	// OmitData drops input and output from the events (includeExecutionData=false).
	OmitData bool
}

// historyMax is GetExecutionHistory's maxResults ceiling.
const historyMax = 1000

// GetExecutionHistory returns a page of a Standard execution's events, oldest first
// unless Reverse.
func (s *Service) GetExecutionHistory(ctx context.Context, p HistoryParams) ([]HistoryEvent, string, error) {
	if _, _, err := s.loadExecution(ctx, p.ExecutionARN); err != nil {
		return nil, "", err
	}
	max := p.Page.Max
	if max <= 0 {
		max = PageSizeDefault
	}
	if max > historyMax {
		max = historyMax
	}
	lp := store.HistoryListParams{ExecutionARN: p.ExecutionARN, Reverse: p.Reverse, Limit: max + 1}
	if p.Page.NextToken != "" {
		after, err := decodeHistoryToken(p.Page.NextToken, p.ExecutionARN)
		if err != nil {
			return nil, "", err
		}
		lp.AfterID = after
	}
	rows, err := s.store.HistoryList(ctx, lp)
	if err != nil {
		return nil, "", fmt.Errorf("list history of %s: %w", p.ExecutionARN, err)
	}
	next := ""
	if len(rows) > max {
		rows = rows[:max]
		next = encodeHistoryToken(p.ExecutionARN, rows[max-1].ID)
	}
	out := make([]HistoryEvent, len(rows))
	for i, r := range rows {
		out[i] = HistoryEvent{ID: r.ID, PreviousEventID: r.PreviousEventID, Timestamp: r.Timestamp, Type: r.Type, Details: r.Details}
		if p.OmitData {
			out[i].Details = stripData(r.Details)
		}
	}
	return out, next, nil
}

// stripData removes input and output from an event's details, keeping the rest in
// order; details that are not an object are returned as they are.
func stripData(details []byte) []byte {
	if len(details) == 0 {
		return details
	}
	v, err := jsonvalue.Parse(details)
	if err != nil {
		return details
	}
	o, ok := v.(*jsonvalue.Object)
	if !ok {
		return details
	}
	_, hasIn := o.Get("input")
	_, hasOut := o.Get("output")
	if !hasIn && !hasOut {
		return details
	}
	o.Delete("input")
	o.Delete("output")
	return jsonvalue.Marshal(o)
}

// historyToken is the cursor of a GetExecutionHistory nextToken: the execution (a
// token is only good for the history it came from) and the last id returned.
type historyToken struct {
	E string `json:"e"`
	I string `json:"i"`
}

func encodeHistoryToken(arn string, lastID int64) string {
	b, _ := json.Marshal(historyToken{E: arn, I: strconv.FormatInt(lastID, 10)}) // two strings
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeHistoryToken(tok, arn string) (int64, error) {
	var t historyToken
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err == nil {
		err = json.Unmarshal(b, &t)
	}
	var id int64
	if err == nil {
		id, err = strconv.ParseInt(t.I, 10, 64)
	}
	if err != nil || t.E != arn {
		return 0, stepline.Errorf("InvalidToken", "Invalid Token: '%s'", tok)
	}
	return id, nil
}

// HistoryDetailsKey names the member of a HistoryEvent on the wire that holds an
// event's details. Most are the type with a lower-case first letter and
// "EventDetails"; the state entered/exited events share stateEnteredEventDetails and
// stateExitedEventDetails (AWS's HistoryEvent shape).
func HistoryDetailsKey(eventType string) string {
	switch {
	case strings.HasSuffix(eventType, "StateEntered"):
		return "stateEnteredEventDetails"
	case strings.HasSuffix(eventType, "StateExited"):
		return "stateExitedEventDetails"
	case eventType == "":
		return ""
	}
	return strings.ToLower(eventType[:1]) + eventType[1:] + "EventDetails"
}
