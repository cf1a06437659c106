package validate

import (
	"strconv"
	"unicode/utf8"

	"stepline/jsonvalue"
)

func itoa(i int) string { return strconv.Itoa(i) }

// maxLabelLength is the longest Map Label AWS accepts.
const maxLabelLength = 40

// parallel checks a Parallel state and each of its branches as a scope of its own.
func (c *checker) parallel(s *stateCtx) {
	c.results(s, "Parameters")
	c.retry(s)
	c.catch(s)
	v, ok := s.obj.Get("Branches")
	if !ok {
		c.required(s.at, "Branches")
		return
	}
	list, ok := v.([]any)
	if !ok {
		c.mustBe(loc(s.at, "Branches"), "Branches", typeArray)
		return
	}
	if len(list) == 0 {
		c.schema(loc(s.at, "Branches"), "The field 'Branches' must contain at least one branch")
	}
	for i, bv := range list {
		at := idx(s.at, "Branches", i)
		b, ok := bv.(*jsonvalue.Object)
		if !ok {
			c.mustBe(at, "Branches", typeObject)
			continue
		}
		c.processorFields(b, at)
		c.block(b, at, s.depth+1)
	}
}

// processorFields checks the fields of a Parallel branch or a Map processor: a
// processor cannot set its own QueryLanguage (measured: "Field 'QueryLanguage' is not
// supported" at /States/M/ItemProcessor).
func (c *checker) processorFields(b *jsonvalue.Object, at string) {
	for _, k := range b.Keys() {
		switch k {
		case "StartAt", "States", "Comment":
		case "ProcessorConfig":
			if isBranch := len(at) > 0 && at[len(at)-1] == ']'; isBranch {
				c.schema(at, "Field '%s' is not supported", k)
			}
		default:
			c.schema(at, "Field '%s' is not supported", k)
		}
	}
}

// mapState checks a Map state.
func (c *checker) mapState(s *stateCtx) {
	c.results(s, "Parameters")
	c.retry(s)
	c.catch(s)
	if has(s.obj, "Parameters") && has(s.obj, "ItemSelector") {
		c.schema(s.at, "Only one of the fields 'Parameters' and 'ItemSelector' may be set")
	}
	if v, ok := s.obj.Get("ItemSelector"); ok {
		if s.lang == langJSONata {
			c.jsonataValue(v, loc(s.at, "ItemSelector"))
		} else {
			c.template(v, loc(s.at, "ItemSelector"))
		}
	}
	if v, ok := s.obj.Get("ItemsPath"); ok && s.lang == langJSONPath {
		c.pathField(v, loc(s.at, "ItemsPath"), "ItemsPath", pathReference)
	}
	if v, ok := s.obj.Get("Items"); ok && s.lang == langJSONata {
		if lit, ok := c.jsonataOr(s, v, loc(s.at, "Items")); ok {
			switch lit.(type) {
			case []any, *jsonvalue.Object:
				c.jsonataValue(lit, loc(s.at, "Items"))
			default:
				c.schema(loc(s.at, "Items"), "The value for the field 'Items' must be an ARRAY or a JSONata expression")
			}
		}
	}
	distributed := c.processor(s)
	c.mapLimits(s)
	if v, ok := s.obj.Get("Label"); ok {
		c.label(v, loc(s.at, "Label"))
	}
	for _, f := range []string{"ItemReader", "ItemBatcher", "ResultWriter"} {
		v, ok := s.obj.Get(f)
		if !ok {
			continue
		}
		if !distributed {
			c.schema(loc(s.at, f), "The field '%s' is only supported for Map states in DISTRIBUTED mode", f)
		}
		c.distributedField(s, f, v, loc(s.at, f))
	}
}

// processor checks ItemProcessor (or the legacy Iterator) and returns whether the
// Map runs in DISTRIBUTED mode.
func (c *checker) processor(s *stateCtx) bool {
	field := "ItemProcessor"
	pv, hasProc := s.obj.Get("ItemProcessor")
	iv, hasIter := s.obj.Get("Iterator")
	switch {
	case hasProc && hasIter:
		c.schema(s.at, "Only one of the fields 'ItemProcessor' and 'Iterator' may be set")
	case !hasProc && !hasIter:
		c.required(s.at, "ItemProcessor")
		return false
	case hasIter:
		field, pv = "Iterator", iv
	}
	at := loc(s.at, field)
	p, ok := pv.(*jsonvalue.Object)
	if !ok {
		c.mustBe(at, field, typeObject)
		return false
	}
	c.processorFields(p, at)
	distributed := false
	if cv, ok := p.Get("ProcessorConfig"); ok {
		cfg, ok := cv.(*jsonvalue.Object)
		if !ok {
			c.mustBe(loc(at, "ProcessorConfig"), "ProcessorConfig", typeObject)
		} else {
			distributed = c.processorConfig(cfg, loc(at, "ProcessorConfig"))
		}
	}
	c.block(p, at, s.depth+1)
	return distributed
}

// processorConfig checks Mode and ExecutionType and returns whether Mode is DISTRIBUTED.
func (c *checker) processorConfig(cfg *jsonvalue.Object, at string) bool {
	for _, k := range cfg.Keys() {
		switch k {
		case "Mode", "ExecutionType":
		default:
			c.schema(at, "Field '%s' is not supported", k)
		}
	}
	mode := "INLINE"
	if v, ok := cfg.Get("Mode"); ok {
		m, _ := v.(string)
		if m != "INLINE" && m != "DISTRIBUTED" {
			c.schema(loc(at, "Mode"), "The field 'Mode' should have one of these values: [INLINE, DISTRIBUTED]")
		} else {
			mode = m
		}
	}
	if v, ok := cfg.Get("ExecutionType"); ok {
		if e, _ := v.(string); e != "STANDARD" && e != "EXPRESS" {
			c.schema(loc(at, "ExecutionType"), "The field 'ExecutionType' should have one of these values: [STANDARD, EXPRESS]")
		}
	} else if mode == "DISTRIBUTED" {
		// Child executions need a type; AWS has no default for it
		// (https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html).
		c.required(at, "ExecutionType")
	}
	return mode == "DISTRIBUTED"
}

// mapLimits checks MaxConcurrency and the tolerated failure thresholds.
func (c *checker) mapLimits(s *stateCtx) {
	type limit struct {
		field   string
		hi      float64 // 0: no upper bound
		integer bool
	}
	for _, l := range []limit{
		{"MaxConcurrency", 0, true},
		{"ToleratedFailureCount", 0, true},
		{"ToleratedFailurePercentage", 100, false},
	} {
		v, has := s.obj.Get(l.field)
		pv, hasPath := s.obj.Get(l.field + "Path")
		if has && hasPath {
			c.schema(s.at, "Only one of the fields '%s' and '%sPath' may be set", l.field, l.field)
		}
		if hasPath && s.lang == langJSONPath {
			c.pathField(pv, loc(s.at, l.field+"Path"), l.field+"Path", pathReference)
		}
		if !has {
			continue
		}
		at := loc(s.at, l.field)
		lit, ok := c.jsonataOr(s, v, at)
		if !ok {
			continue
		}
		f, isNum := number(lit)
		if _, isInt := integer(lit); !isNum || (l.integer && !isInt) {
			typ := typeNumber
			if l.integer {
				typ = typeInteger
			}
			c.mustBe(at, l.field, typ)
			continue
		}
		switch {
		case l.hi > 0 && (f < 0 || f > l.hi):
			c.schema(at, "The value for the field '%s' must be between 0 and %g", l.field, l.hi)
		case f < 0:
			c.schema(at, "The value for the field '%s' must be greater than or equal to 0", l.field)
		}
	}
}

// label checks a Map Label: at most 40 characters, none of those state machine names
// cannot hold (whitespace, brackets, wildcards, punctuation, control characters).
func (c *checker) label(v any, at string) {
	lbl, ok := v.(string)
	if !ok {
		c.mustBe(at, "Label", typeString)
		return
	}
	if _, dup := c.labels[lbl]; dup {
		c.errorf(at, CodeDuplicateLabelName, "Duplicate Label name: %s", lbl)
	}
	c.labels[lbl] = at
	if utf8.RuneCountInString(lbl) > maxLabelLength {
		c.errorf(at, CodeInvalidLabelName, "Label cannot exceed %d characters", maxLabelLength)
		return
	}
	for _, r := range lbl {
		if invalidNameRune(r) {
			c.errorf(at, CodeInvalidLabelName, "Label contains invalid character: %s", pyRepr(r))
			return
		}
	}
}

// invalidNameRune reports the characters AWS forbids in names and labels
// (https://docs.aws.amazon.com/step-functions/latest/apireference/API_CreateStateMachine.html).
func invalidNameRune(r rune) bool {
	switch {
	case r <= 0x20, r >= 0x7f && r <= 0x9f:
		return true
	case r == 0xfffe || r == 0xffff || (r >= 0xd800 && r <= 0xdfff) || r == 0x10ffff:
		return true
	}
	switch r {
	case '<', '>', '{', '}', '[', ']', '?', '*', '"', '#', '%', '\\', '^', '|', '~', '`', '$', '&', ',', ';', ':', '/':
		return true
	}
	return false
}

// pyRepr quotes a character the way the recorded messages show it: '|' or '\x80'.
func pyRepr(r rune) string {
	switch r {
	case '\t':
		return `'\t'`
	case '\n':
		return `'\n'`
	case '\r':
		return `'\r'`
	}
	if r < 0x20 || (r >= 0x7f && r <= 0xa0) {
		return "'\\x" + strconv.FormatInt(int64(r)|0x100, 16)[1:] + "'"
	}
	return "'" + string(r) + "'"
}

// distributedField checks ItemReader, ItemBatcher or ResultWriter.
func (c *checker) distributedField(s *stateCtx, field string, v any, at string) {
	obj, ok := v.(*jsonvalue.Object)
	if !ok {
		c.mustBe(at, field, typeObject)
		return
	}
	rv, hasResource := obj.Get("Resource")
	switch {
	case hasResource:
		if _, isStr := rv.(string); !isStr {
			c.mustBe(loc(at, "Resource"), "Resource", typeString)
		}
	case field == "ItemReader":
		c.required(at, "Resource")
	case field == "ResultWriter" && !has(obj, "WriterConfig"):
		// A WriterConfig alone formats the results without exporting them
		// (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultwriter.html).
		c.required(at, "Resource")
	}
	if s.lang == langJSONata {
		c.jsonataValue(v, at)
		if has(obj, "Parameters") {
			c.schema(at, "The QueryLanguage is set to 'JSONata', but field 'Parameters' is only supported for the 'JSONPath' QueryLanguage")
		}
		return
	}
	if pv, ok := obj.Get("Parameters"); ok {
		c.template(pv, loc(at, "Parameters"))
	}
	if has(obj, "Arguments") {
		c.schema(at, "The QueryLanguage is set to 'JSONPath', but field 'Arguments' is only supported for the 'JSONata' QueryLanguage")
	}
}
