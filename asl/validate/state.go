package validate

import (
	"strings"
	"unicode/utf8"

	"stepline/jsonvalue"
)

// maxStateNameLength is AWS's limit on state names (the StateName shape: 1-80).
const maxStateNameLength = 80

// stateCtx is what the checks of one state need to know.
type stateCtx struct {
	sc    *scope
	name  string
	at    string // pointer of the state object
	obj   *jsonvalue.Object
	typ   string
	lang  string
	depth int
}

// state checks one state and records its transitions in sc.
func (c *checker) state(sc *scope, name string, v any, at string, depth int) {
	s, fs, ok := c.stateHeader(sc, name, v, at, depth)
	if !ok {
		// Without a usable Type the other fields cannot be judged, and the graph
		// checks would only repeat the problem.
		sc.broken = true
		return
	}
	c.checkFields(s.obj, at, fs, s.lang)
	switch s.typ {
	case "Pass":
		c.flow(s)
		c.pass(s)
	case "Task":
		c.flow(s)
		c.task(s)
	case "Choice":
		c.choice(s)
	case "Wait":
		c.flow(s)
		c.wait(s)
	case "Succeed":
		sc.ends = true
		c.io(s)
	case "Fail":
		sc.ends = true
		c.fail(s)
	case "Parallel":
		c.flow(s)
		c.parallel(s)
	case "Map":
		c.flow(s)
		c.mapState(s)
	}
	if av, ok := s.obj.Get("Assign"); ok {
		c.assign(s, av, loc(at, "Assign"))
	}
}

// stateHeader checks what every state has, its name, QueryLanguage, Type and
// Comment, and returns the state's context and field table; ok is false when the
// state has no usable Type.
func (c *checker) stateHeader(sc *scope, name string, v any, at string, depth int) (*stateCtx, fieldSet, bool) {
	if name == "" || utf8.RuneCountInString(name) > maxStateNameLength {
		c.errorf(at, CodeInvalidStateName, "State name must be between 1 and %d characters long", maxStateNameLength)
	}
	if _, dup := c.seen[name]; dup {
		c.errorf(at, CodeDuplicateStateName, "Duplicate State name: %s", name)
	} else {
		c.seen[name] = at
	}
	obj, ok := v.(*jsonvalue.Object)
	if !ok {
		c.mustBe(at, name, typeObject)
		return nil, fieldSet{}, false
	}
	s := &stateCtx{sc: sc, name: name, at: at, obj: obj, depth: depth, lang: c.topLang}
	if qv, ok := obj.Get("QueryLanguage"); ok {
		s.lang = c.queryLanguage(qv, loc(at, "QueryLanguage"))
		if c.topLang == langJSONata && s.lang == langJSONPath {
			// Recorded wording, located at the state.
			c.schema(at, "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine")
		}
	}
	if cv, ok := obj.Get("Comment"); ok {
		if _, isStr := cv.(string); !isStr {
			c.mustBe(loc(at, "Comment"), "Comment", typeString)
		}
	}
	tv, ok := obj.Get("Type")
	if !ok {
		c.required(at, "Type")
		return nil, fieldSet{}, false
	}
	if s.typ, ok = tv.(string); !ok {
		c.mustBe(loc(at, "Type"), "Type", typeString)
		return nil, fieldSet{}, false
	}
	fs, ok := stateFields(s.typ)
	if !ok {
		c.schema(loc(at, "Type"), "The field 'Type' should have one of these values: %s", stateTypesText)
		return nil, fieldSet{}, false
	}
	return s, fs, true
}

// flow checks Next and End on the states that move on: exactly one of them, End
// being true.
func (c *checker) flow(s *stateCtx) {
	nv, hasNext := s.obj.Get("Next")
	ev, hasEnd := s.obj.Get("End")
	end := false
	if hasEnd {
		b, ok := ev.(bool)
		if !ok {
			c.mustBe(loc(s.at, "End"), "End", typeBoolean)
		}
		end = b
	}
	switch {
	case hasNext && end:
		c.schema(s.at, "Only one of the fields 'Next' and 'End' may be set")
	case !hasNext && !end:
		c.schema(s.at, "Either the field 'Next' must be set or 'End' must be true")
	}
	if end {
		s.sc.ends = true
	}
	if hasNext {
		c.target(s, nv, loc(s.at, "Next"), "Next")
	}
}

// target checks a field naming the next state and records the transition.
func (c *checker) target(s *stateCtx, v any, at, field string) {
	name, ok := v.(string)
	if !ok {
		c.mustBe(at, field, typeString)
		return
	}
	s.sc.link(s.name, name, at)
}

// io checks the input and output processing fields every state but Fail shares:
// InputPath and OutputPath in JSONPath, Output in JSONata.
func (c *checker) io(s *stateCtx) {
	if s.lang == langJSONata {
		if v, ok := s.obj.Get("Output"); ok {
			c.jsonataValue(v, loc(s.at, "Output"))
		}
		return
	}
	for _, f := range []string{"InputPath", "OutputPath"} {
		if v, ok := s.obj.Get(f); ok && v != nil {
			c.pathField(v, loc(s.at, f), f, pathAny)
		}
	}
}

// results checks the fields of states that produce a result: Parameters or
// Arguments, ResultSelector and ResultPath (or Output).
func (c *checker) results(s *stateCtx, params string) {
	c.io(s)
	if s.lang == langJSONata {
		if v, ok := s.obj.Get("Arguments"); ok {
			c.jsonataValue(v, loc(s.at, "Arguments"))
		}
		return
	}
	if v, ok := s.obj.Get(params); ok {
		c.template(v, loc(s.at, params))
	}
	if v, ok := s.obj.Get("ResultSelector"); ok {
		if _, isObj := v.(*jsonvalue.Object); !isObj {
			c.mustBe(loc(s.at, "ResultSelector"), "ResultSelector", typeObject)
		} else {
			c.template(v, loc(s.at, "ResultSelector"))
		}
	}
	if v, ok := s.obj.Get("ResultPath"); ok && v != nil {
		c.pathField(v, loc(s.at, "ResultPath"), "ResultPath", pathResult)
	}
}

// pass checks a Pass state. Result is any JSON value, taken as is: a path in it is
// a literal string, which AWS flags with a PASS_RESULT_IS_STATIC warning.
func (c *checker) pass(s *stateCtx) {
	c.results(s, "Parameters")
	if v, ok := s.obj.Get("Result"); ok && s.lang == langJSONPath && resultHasPath(v, 0) {
		c.warnf(loc(s.at, "Result"), CodeWarnPassResultStatic, "The field 'Result' is static: paths and intrinsic functions in it are not evaluated; use 'Parameters' instead")
	}
}

// resultHasPath reports whether a Pass Result looks like it expects evaluation: a
// key ending in ".$" or a path-like string.
func resultHasPath(v any, depth int) bool {
	if depth > maxValueDepth {
		return false
	}
	switch t := v.(type) {
	case string:
		return looksLikePath(t)
	case []any:
		for _, e := range t {
			if resultHasPath(e, depth+1) {
				return true
			}
		}
	case *jsonvalue.Object:
		found := false
		t.Range(func(k string, fv any) bool {
			found = strings.HasSuffix(k, ".$") || resultHasPath(fv, depth+1)
			return !found
		})
		return found
	}
	return false
}

// fail checks a Fail state: Error and Cause are strings (JSONata expressions in
// JSONata), ErrorPath and CausePath paths or intrinsic calls, and never both forms.
func (c *checker) fail(s *stateCtx) {
	for _, f := range []string{"Error", "Cause"} {
		v, ok := s.obj.Get(f)
		if !ok {
			continue
		}
		if _, isStr := v.(string); !isStr {
			c.mustBe(loc(s.at, f), f, typeString)
			continue
		}
		if s.lang == langJSONata {
			c.jsonataValue(v, loc(s.at, f))
		} else if str, _ := v.(string); looksLikePath(str) {
			c.warnf(loc(s.at, f), CodeWarnNoPath, "The value of the field '%s' looks like a path, but the field name does not end with 'Path'", f)
		}
		if has(s.obj, f+"Path") {
			c.schema(s.at, "Only one of the fields '%s' and '%sPath' may be set", f, f)
		}
	}
	if s.lang != langJSONPath {
		return
	}
	for _, f := range []string{"ErrorPath", "CausePath"} {
		if v, ok := s.obj.Get(f); ok {
			c.pathField(v, loc(s.at, f), f, pathOrIntrinsic)
		}
	}
}
