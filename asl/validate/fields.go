package validate

// fieldSet says which fields a state type accepts: in both query languages, only in
// JSONPath, only in JSONata. A field outside all three is "not supported"; a field of
// the other language gets AWS's "only supported for the '...' QueryLanguage" error.
type fieldSet struct {
	both, jsonPath, jsonata []string
}

// kind is where a field may appear for a state type and language.
type fieldKind int

const (
	fieldUnknown fieldKind = iota
	fieldAllowed
	fieldOtherLanguage
)

func (f fieldSet) kind(name, lang string) fieldKind {
	in := func(list []string) bool {
		for _, s := range list {
			if s == name {
				return true
			}
		}
		return false
	}
	if name == "Type" || name == "Comment" || name == "QueryLanguage" || in(f.both) {
		return fieldAllowed
	}
	own, other := f.jsonPath, f.jsonata
	if lang == langJSONata {
		own, other = other, own
	}
	switch {
	case in(own):
		return fieldAllowed
	case in(other):
		return fieldOtherLanguage
	}
	return fieldUnknown
}

// stateFields is the field table of each state type, from the Amazon States Language
// specification and AWS's JSONata additions
// (https://docs.aws.amazon.com/step-functions/latest/dg/statemachine-structure.html,
// https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html).
// AWS accepts TimeoutSeconds only on Task and Retry/Catch only on Task, Parallel and
// Map ("Field 'TimeoutSeconds' is not supported" at /States/<map>, measured).
func stateFields(typ string) (fieldSet, bool) {
	switch typ {
	case "Pass":
		return fieldSet{
			both:     []string{"Next", "End", "Assign"},
			jsonPath: []string{"InputPath", "OutputPath", "Parameters", "Result", "ResultPath"},
			jsonata:  []string{"Output"},
		}, true
	case "Task":
		return fieldSet{
			both: []string{"Next", "End", "Assign", "Resource", "TimeoutSeconds", "HeartbeatSeconds",
				"Retry", "Catch", "Credentials"},
			jsonPath: []string{"InputPath", "OutputPath", "Parameters", "ResultSelector", "ResultPath",
				"TimeoutSecondsPath", "HeartbeatSecondsPath"},
			jsonata: []string{"Arguments", "Output"},
		}, true
	case "Choice":
		return fieldSet{
			both:     []string{"Choices", "Default", "Assign"},
			jsonPath: []string{"InputPath", "OutputPath"},
			jsonata:  []string{"Output"},
		}, true
	case "Wait":
		return fieldSet{
			both:     []string{"Next", "End", "Assign", "Seconds", "Timestamp"},
			jsonPath: []string{"InputPath", "OutputPath", "SecondsPath", "TimestampPath"},
			jsonata:  []string{"Output"},
		}, true
	case "Succeed":
		return fieldSet{
			jsonPath: []string{"InputPath", "OutputPath"},
			jsonata:  []string{"Output"},
		}, true
	case "Fail":
		return fieldSet{
			both:     []string{"Error", "Cause"},
			jsonPath: []string{"ErrorPath", "CausePath"},
		}, true
	case "Parallel":
		return fieldSet{
			both:     []string{"Next", "End", "Assign", "Branches", "Retry", "Catch"},
			jsonPath: []string{"InputPath", "OutputPath", "Parameters", "ResultSelector", "ResultPath"},
			jsonata:  []string{"Arguments", "Output"},
		}, true
	case "Map":
		return fieldSet{
			both: []string{"Next", "End", "Assign", "ItemProcessor", "Iterator", "ItemSelector",
				"MaxConcurrency", "ToleratedFailurePercentage", "ToleratedFailureCount", "Label",
				"ItemReader", "ItemBatcher", "ResultWriter", "Retry", "Catch"},
			jsonPath: []string{"InputPath", "OutputPath", "ItemsPath", "Parameters", "ResultSelector",
				"ResultPath", "MaxConcurrencyPath", "ToleratedFailurePercentagePath",
				"ToleratedFailureCountPath"},
			jsonata: []string{"Items", "Output"},
		}, true
	}
	return fieldSet{}, false
}

// stateTypesText lists the valid values of Type, in AWS's order, for messages.
const stateTypesText = "[Task, Wait, Pass, Succeed, Fail, Choice, Parallel, Map]"

// checkFields reports the fields obj has that fs does not accept in lang.
func (c *checker) checkFields(obj interface {
	Keys() []string
}, at string, fs fieldSet, lang string) {
	for _, k := range obj.Keys() {
		switch fs.kind(k, lang) {
		case fieldUnknown:
			c.schema(at, "Field '%s' is not supported", k)
		case fieldOtherLanguage:
			other := langJSONPath
			if lang == langJSONPath {
				other = langJSONata
			}
			c.schema(at, "The QueryLanguage is set to '%s', but field '%s' is only supported for the '%s' QueryLanguage", lang, k, other)
		}
	}
}
