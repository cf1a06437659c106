package validate

import (
	"stepline/jsonvalue"
)

// Limits on Task timeouts: AWS's largest accepted value, also its default TimeoutSeconds.
const maxTaskSeconds = 99999999

// task checks a Task state.
func (c *checker) task(s *stateCtx) {
	c.results(s, "Parameters")
	rv, ok := s.obj.Get("Resource")
	if !ok {
		c.required(s.at, "Resource")
	} else if res, isStr := rv.(string); !isStr {
		c.mustBe(loc(s.at, "Resource"), "Resource", typeString)
	} else {
		c.resource(res, loc(s.at, "Resource"))
	}
	timeout, hasTimeout := c.taskSeconds(s, "TimeoutSeconds")
	heartbeat, hasHeartbeat := c.taskSeconds(s, "HeartbeatSeconds")
	if hasTimeout && hasHeartbeat && heartbeat >= timeout {
		c.schema(loc(s.at, "HeartbeatSeconds"), "The value of the field 'HeartbeatSeconds' must be smaller than the value of the field 'TimeoutSeconds'")
	}
	if v, ok := s.obj.Get("Credentials"); ok {
		c.credentials(s, v, loc(s.at, "Credentials"))
	}
	c.retry(s)
	c.catch(s)
}

// taskSeconds checks TimeoutSeconds or HeartbeatSeconds and its ...Path form, and
// returns the literal value when there is one.
func (c *checker) taskSeconds(s *stateCtx, field string) (int64, bool) {
	pathField := field + "Path"
	pv, hasPath := s.obj.Get(pathField)
	v, has := s.obj.Get(field)
	if has && hasPath {
		c.schema(s.at, "Only one of the fields '%s' and '%s' may be set", field, pathField)
	}
	if hasPath && s.lang == langJSONPath {
		c.pathField(pv, loc(s.at, pathField), pathField, pathReference)
	}
	if !has {
		return 0, false
	}
	lit, ok := c.jsonataOr(s, v, loc(s.at, field))
	if !ok {
		return 0, false
	}
	return c.positiveSeconds(lit, loc(s.at, field), field, false)
}

// positiveSeconds checks an integer number of seconds between 1 (0 if allowZero)
// and 99999999.
func (c *checker) positiveSeconds(v any, at, field string, allowZero bool) (int64, bool) {
	n, ok := integer(v)
	if !ok {
		c.mustBe(at, field, typeInteger)
		return 0, false
	}
	lowest := int64(1)
	if allowZero {
		lowest = 0
	}
	if n < lowest || n > maxTaskSeconds {
		c.schema(at, "The value for the field '%s' must be between %d and %d", field, lowest, maxTaskSeconds)
		return 0, false
	}
	return n, true
}

// credentials checks a Task's Credentials: an object that names the role to assume.
// Recorded: "The field 'RoleArn' is required but was missing at
// /States/State0/Credentials", also when other (unknown) fields are present.
func (c *checker) credentials(s *stateCtx, v any, at string) {
	obj, ok := v.(*jsonvalue.Object)
	if !ok {
		c.mustBe(at, "Credentials", typeObject)
		return
	}
	if !has(obj, "RoleArn") && !has(obj, "RoleArn.$") {
		c.schema(at, "The field 'RoleArn' is required but was missing")
		return
	}
	if s.lang == langJSONata {
		c.jsonataValue(v, at)
		return
	}
	c.template(v, at)
}
