package validate

// wait checks a Wait state: exactly one of Seconds, Timestamp, SecondsPath and
// TimestampPath; Seconds a non-negative integer, Timestamp RFC 3339.
func (c *checker) wait(s *stateCtx) {
	c.io(s)
	var set []string
	for _, f := range []string{"Seconds", "Timestamp", "SecondsPath", "TimestampPath"} {
		if has(s.obj, f) {
			set = append(set, f)
		}
	}
	if len(set) != 1 {
		c.schema(s.at, "A Wait state must have exactly one of the fields 'Seconds', 'Timestamp', 'SecondsPath' or 'TimestampPath'")
	}
	if v, ok := s.obj.Get("Seconds"); ok {
		if lit, ok := c.jsonataOr(s, v, loc(s.at, "Seconds")); ok {
			c.positiveSeconds(lit, loc(s.at, "Seconds"), "Seconds", true)
		}
	}
	if v, ok := s.obj.Get("Timestamp"); ok {
		if lit, ok := c.jsonataOr(s, v, loc(s.at, "Timestamp")); ok {
			if ts, isStr := lit.(string); !isStr {
				c.mustBe(loc(s.at, "Timestamp"), "Timestamp", typeString)
			} else if !validTimestamp(ts) {
				// Recorded: "String does not match RFC3339 timestamp at /States/WaitUntil/Timestamp".
				c.schema(loc(s.at, "Timestamp"), "String does not match RFC3339 timestamp")
			}
		}
	}
	if s.lang != langJSONPath {
		return
	}
	for _, f := range []string{"SecondsPath", "TimestampPath"} {
		if v, ok := s.obj.Get(f); ok {
			c.pathField(v, loc(s.at, f), f, pathReference)
		}
	}
}
