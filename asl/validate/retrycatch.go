package validate

import (
	"strings"

	"stepline/jsonvalue"
)

// Retrier limits (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html).
const (
	maxRetryCount    = 99999999
	maxRetryDelaySec = 31622401
)

// isPredefinedError reports the States.* error names AWS defines; any other name
// starting with "States." is reserved.
func isPredefinedError(name string) bool {
	switch name {
	case "States.ALL", "States.DataLimitExceeded", "States.HeartbeatTimeout", "States.Timeout",
		"States.TaskFailed", "States.Permissions", "States.ResultPathMatchFailure",
		"States.ParameterPathFailure", "States.BranchFailed", "States.NoChoiceMatched",
		"States.IntrinsicFailure", "States.ExceedToleratedFailureThreshold",
		"States.ItemReaderFailed", "States.ResultWriterFailed", "States.QueryEvaluationError",
		"States.Runtime", "States.Http.Socket", "States.Http.StatusCode":
		return true
	}
	return false
}

// retry checks a Retry array.
func (c *checker) retry(s *stateCtx) {
	v, ok := s.obj.Get("Retry")
	if !ok {
		return
	}
	list, ok := v.([]any)
	if !ok {
		c.mustBe(loc(s.at, "Retry"), "Retry", typeArray)
		return
	}
	for i, rv := range list {
		at := idx(s.at, "Retry", i)
		r, ok := rv.(*jsonvalue.Object)
		if !ok {
			c.mustBe(at, "Retry", typeObject)
			continue
		}
		for _, k := range r.Keys() {
			switch k {
			case "ErrorEquals", "IntervalSeconds", "MaxAttempts", "BackoffRate", "MaxDelaySeconds",
				"JitterStrategy", "Comment":
			default:
				c.schema(at, "Field '%s' is not supported", k)
			}
		}
		c.errorEquals(r, at, i == len(list)-1)
		if v, ok := r.Get("IntervalSeconds"); ok {
			c.intRange(v, loc(at, "IntervalSeconds"), "IntervalSeconds", 1, maxRetryCount)
		}
		if v, ok := r.Get("MaxAttempts"); ok {
			c.intRange(v, loc(at, "MaxAttempts"), "MaxAttempts", 0, maxRetryCount)
		}
		if v, ok := r.Get("MaxDelaySeconds"); ok {
			c.intRange(v, loc(at, "MaxDelaySeconds"), "MaxDelaySeconds", 1, maxRetryDelaySec)
		}
		if v, ok := r.Get("BackoffRate"); ok {
			if f, isNum := number(v); !isNum {
				c.mustBe(loc(at, "BackoffRate"), "BackoffRate", typeNumber)
			} else if f < 1 {
				c.schema(loc(at, "BackoffRate"), "The value for the field 'BackoffRate' must be at least 1.0")
			}
		}
		if v, ok := r.Get("JitterStrategy"); ok {
			if js, _ := v.(string); js != "FULL" && js != "NONE" {
				c.schema(loc(at, "JitterStrategy"), "The field 'JitterStrategy' should have one of these values: [FULL, NONE]")
			}
		}
	}
}

// catch checks a Catch array and records each catcher's transition.
func (c *checker) catch(s *stateCtx) {
	v, ok := s.obj.Get("Catch")
	if !ok {
		return
	}
	list, ok := v.([]any)
	if !ok {
		c.mustBe(loc(s.at, "Catch"), "Catch", typeArray)
		return
	}
	for i, cv := range list {
		at := idx(s.at, "Catch", i)
		r, ok := cv.(*jsonvalue.Object)
		if !ok {
			c.mustBe(at, "Catch", typeObject)
			continue
		}
		for _, k := range r.Keys() {
			switch k {
			case "ErrorEquals", "Next", "Comment", "Assign":
			case "ResultPath":
				if s.lang == langJSONata {
					c.schema(at, "The QueryLanguage is set to 'JSONata', but field 'ResultPath' is only supported for the 'JSONPath' QueryLanguage")
				}
			case "Output":
				if s.lang == langJSONPath {
					c.schema(at, "The QueryLanguage is set to 'JSONPath', but field 'Output' is only supported for the 'JSONata' QueryLanguage")
				}
			default:
				c.schema(at, "Field '%s' is not supported", k)
			}
		}
		c.errorEquals(r, at, i == len(list)-1)
		if nv, ok := r.Get("Next"); ok {
			c.target(s, nv, loc(at, "Next"), "Next")
		} else {
			c.required(at, "Next")
		}
		if rp, ok := r.Get("ResultPath"); ok && rp != nil && s.lang == langJSONPath {
			c.pathField(rp, loc(at, "ResultPath"), "ResultPath", pathResult)
		}
		if ov, ok := r.Get("Output"); ok && s.lang == langJSONata {
			c.jsonataValue(ov, loc(at, "Output"))
		}
		if av, ok := r.Get("Assign"); ok {
			c.assign(s, av, loc(at, "Assign"))
		}
	}
}

// errorEquals checks a retrier's or catcher's ErrorEquals: a non-empty list of error
// names where States.ALL stands alone in the last entry. Recorded wording: "States.ALL
// must appear alone and at end of list at /States/x/Retry[0]/ErrorEquals[0]".
func (c *checker) errorEquals(r *jsonvalue.Object, at string, last bool) {
	v, ok := r.Get("ErrorEquals")
	if !ok {
		c.required(at, "ErrorEquals")
		return
	}
	list, ok := v.([]any)
	if !ok {
		c.mustBe(loc(at, "ErrorEquals"), "ErrorEquals", typeArray)
		return
	}
	if len(list) == 0 {
		c.schema(loc(at, "ErrorEquals"), "The field 'ErrorEquals' must contain at least one error name")
		return
	}
	for i, ev := range list {
		eat := idx(at, "ErrorEquals", i)
		name, ok := ev.(string)
		if !ok {
			c.mustBe(eat, "ErrorEquals", typeString)
			continue
		}
		switch {
		case name == "States.ALL" && (len(list) > 1 || !last):
			c.schema(eat, "States.ALL must appear alone and at end of list")
		case strings.HasPrefix(name, "States.") && !isPredefinedError(name):
			c.schema(eat, "The error name '%s' is not a predefined error; names starting with 'States.' are reserved", name)
		}
	}
}

// intRange checks an integer field between lo and hi.
func (c *checker) intRange(v any, at, field string, lo, hi int64) {
	n, ok := integer(v)
	if !ok {
		c.mustBe(at, field, typeInteger)
		return
	}
	if n < lo || n > hi {
		c.schema(at, "The value for the field '%s' must be between %d and %d", field, lo, hi)
	}
}
