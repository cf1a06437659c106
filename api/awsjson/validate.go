package awsjson

import (
	"cmp"
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"

	"stepline"
)

// Validator collects model-constraint violations the way AWS's request
// validation reports them: every violation, each as "Value '<v>' at '<path>'
// failed to satisfy constraint: <rule>", joined with "; " under "N
// validation error(s) detected: ". The generated Validate methods of the
// wire types drive it, visiting members in the order AWS reports them; the
// zero value is ready to use.
type Validator struct {
	entries []violation
}

// maxViolations is the most violations one ValidationException lists.
const maxViolations = 10

// violation is one failed constraint.
type violation struct {
	path, rule string
	msg        string // the whole "Value ... failed to satisfy constraint: ..." text
}

// Path joins a member name onto the path of its parent structure.
func Path(parent, member string) string {
	if parent == "" {
		return member
	}
	return parent + "." + member
}

// ListPath is the path of the i-th (0-based) element of a list member; AWS
// counts from 1 and inserts ".member" ('routingConfiguration.1.member').
func ListPath(list string, i int) string {
	return list + "." + strconv.Itoa(i+1) + ".member"
}

// Null reports a required member that is absent or JSON null.
func (v *Validator) Null(path string, sensitive bool) {
	v.add(path, "", sensitive, "Member must not be null")
}

// add records one violation. A sensitive member's value is left out of the
// message, as AWS does ("Value at 'password' failed to satisfy ..."), and a
// missing one is "Value null".
func (v *Validator) add(path, value string, sensitive bool, rule string) {
	var msg string
	switch {
	case sensitive:
		msg = "Value at '" + path + "' failed to satisfy constraint: " + rule
	case rule == "Member must not be null":
		msg = "Value null at '" + path + "' failed to satisfy constraint: " + rule
	default:
		msg = "Value '" + value + "' at '" + path + "' failed to satisfy constraint: " + rule
	}
	v.entries = append(v.entries, violation{path: path, rule: rule, msg: msg})
}

// Elements reports the scalar elements of a list or map that broke their
// shape's constraints, collected in elems, the way AWS does: once, at the
// collection, with rule listing every constraint of the element shape
// (precomputed by the generator): "Value '[a, b]' at 'tagKeys' failed to
// satisfy constraint: Member must satisfy constraint: [Member must have
// length less than or equal to 128, Member must have length greater than or
// equal to 1]".
func (v *Validator) Elements(path, value string, sensitive bool, elems *Validator, rule string) {
	if len(elems.entries) > 0 {
		v.add(path, value, sensitive, rule)
	}
}

// StringLen checks a string's length in UTF-16 code units, the unit Java's
// String.length counts and so the one AWS's limits are written in. A
// negative bound means none.
func (v *Validator) StringLen(path, s string, sensitive bool, minLen, maxLen int) {
	n := utf16Len(s)
	v.length(path, s, sensitive, n, minLen, maxLen)
}

// BlobLen checks a blob's length in bytes.
func (v *Validator) BlobLen(path string, b []byte, sensitive bool, minLen, maxLen int) {
	v.length(path, fmt.Sprintf("java.nio.HeapByteBuffer[pos=0 lim=%d cap=%d]", len(b), len(b)), sensitive, len(b), minLen, maxLen)
}

// CollectionLen checks the number of elements of a list or entries of a map;
// value is the collection as AWS prints it.
func (v *Validator) CollectionLen(path, value string, sensitive bool, n, minLen, maxLen int) {
	v.length(path, value, sensitive, n, minLen, maxLen)
}

func (v *Validator) length(path, value string, sensitive bool, n, minLen, maxLen int) {
	switch {
	case minLen >= 0 && n < minLen:
		v.add(path, value, sensitive, "Member must have length greater than or equal to "+strconv.Itoa(minLen))
	case maxLen >= 0 && n > maxLen:
		v.add(path, value, sensitive, "Member must have length less than or equal to "+strconv.Itoa(maxLen))
	}
}

// Pattern checks s against a model pattern. The model's patterns are Java
// regular expressions matched against the whole value; res are their RE2
// translations, all of which must match (a lookahead becomes a second
// expression). pattern is the model's text, quoted in the message.
func (v *Validator) Pattern(path, s string, sensitive bool, pattern string, res ...*regexp.Regexp) {
	for _, re := range res {
		if !re.MatchString(s) {
			v.add(path, s, sensitive, "Member must satisfy regular expression pattern: "+pattern)
			return
		}
	}
}

// Enum reports a value outside an enum; ok says whether s is one of the
// values, set is the list as AWS prints it ("[SUCCEEDED, TIMED_OUT, ...]"),
// precomputed by the generator.
func (v *Validator) Enum(path, s string, sensitive bool, set string, ok bool) {
	if !ok {
		v.add(path, s, sensitive, "Member must satisfy enum value set: "+set)
	}
}

// IntRange checks an integer against the model's min and max; hasMin and
// hasMax say which bounds the model sets.
func (v *Validator) IntRange(path string, n int64, sensitive bool, hasMin bool, minV int64, hasMax bool, maxV int64) {
	value := strconv.FormatInt(n, 10)
	switch {
	case hasMin && n < minV:
		v.add(path, value, sensitive, "Member must have value greater than or equal to "+strconv.FormatInt(minV, 10))
	case hasMax && n > maxV:
		v.add(path, value, sensitive, "Member must have value less than or equal to "+strconv.FormatInt(maxV, 10))
	}
}

// FloatRange checks a floating-point member against the model's bounds,
// printed as the model writes them (minText, maxText).
func (v *Validator) FloatRange(path string, f float64, sensitive bool, hasMin bool, minV float64, minText string, hasMax bool, maxV float64, maxText string) {
	value := javaDouble(f)
	switch {
	case hasMin && f < minV:
		v.add(path, value, sensitive, "Member must have value greater than or equal to "+minText)
	case hasMax && f > maxV:
		v.add(path, value, sensitive, "Member must have value less than or equal to "+maxText)
	}
}

// Err returns nil when nothing was reported, otherwise the ValidationException
// AWS would return for the same request.
func (v *Validator) Err() error {
	if len(v.entries) == 0 {
		return nil
	}
	msgs := make([]string, 0, len(v.entries))
	for group := range pathGroups(v.entries) {
		msgs = append(msgs, javaHashSetOrder(group)...)
	}
	// AWS stops collecting after ten violations (kinesalite,
	// validations/index.js, recorded against AWS).
	if len(msgs) > maxViolations {
		msgs = msgs[:maxViolations]
	}
	noun := "errors"
	if len(msgs) == 1 {
		noun = "error"
	}
	return &stepline.Error{
		Code:    CodeValidationException,
		Message: strconv.Itoa(len(msgs)) + " validation " + noun + " detected: " + strings.Join(msgs, "; "),
	}
}

// pathGroups yields the runs of violations of one member. The generated
// code checks a member's constraints together, so a run is one member.
func pathGroups(entries []violation) func(yield func([]violation) bool) {
	return func(yield func([]violation) bool) {
		for start := 0; start < len(entries); {
			end := start + 1
			for end < len(entries) && entries[end].path == entries[start].path {
				end++
			}
			if !yield(entries[start:end]) {
				return
			}
			start = end
		}
	}
}

// javaHashSetOrder orders the messages of one member as AWS lists them. AWS
// keeps a member's messages in a java.util.HashSet, so they come out by
// bucket, ties in the order the constraints were checked. Messages AWS
// returned (Cognito "password" and "username", Firehose "name": pattern and
// length failures in both orders) all fit it.
func javaHashSetOrder(group []violation) []string {
	msgs := make([]string, 0, len(group))
	for _, e := range group {
		if !slices.Contains(msgs, e.msg) { // a set: the same text once
			msgs = append(msgs, e.msg)
		}
	}
	return JavaHashOrder(msgs)
}

// JavaHashOrder orders strings as a default java.util.HashMap (Java 8 and
// later) iterates its keys, which is the order AWS's validation visits
// members and lists messages in: by bucket, the spread String.hashCode modulo the
// table size (16, doubled while more than 3/4 full), ties in insertion order.
func JavaHashOrder(items []string) []string {
	buckets := 16
	for float64(len(items)) > 0.75*float64(buckets) {
		buckets *= 2
	}
	bucket := func(s string) uint32 {
		h := JavaStringHash(s)
		return (h ^ h>>16) & uint32(buckets-1)
	}
	out := slices.Clone(items)
	slices.SortStableFunc(out, func(a, b string) int { return cmp.Compare(bucket(a), bucket(b)) })
	return out
}

// JavaStringHash is java.lang.String.hashCode over UTF-16 code units. AWS's
// validation keeps its members and messages in Java hash tables, so their
// order in messages follows it.
func JavaStringHash(s string) uint32 {
	var h uint32
	for _, r := range s {
		if r >= 0x10000 {
			r -= 0x10000
			h = h*31 + uint32(0xD800+(r>>10))
			h = h*31 + uint32(0xDC00+(r&0x3FF))
			continue
		}
		h = h*31 + uint32(r)
	}
	return h
}

// ListString renders a list value as AWS prints it in a message, after
// Java's List.toString ("[a, b]").
func ListString[T any](list []T) string {
	parts := make([]string, len(list))
	for i, e := range list {
		parts[i] = valueString(e)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// MapString renders a map value after Java's Map.toString ("{k=v, k2=v2}").
// AWS's maps are java.util.HashMaps, so string keys come out in hash order
// (sorted where they tie, since the request's order is gone by now).
func MapString[K cmp.Ordered, V any](m map[K]V) string {
	keys := SortedKeys(m)
	if sk, ok := any(keys).([]string); ok {
		ordered := JavaHashOrder(sk)
		keys = any(ordered).([]K)
	}
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprint(k) + "=" + valueString(m[k])
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// SortedKeys returns a map's keys in order, so messages about map entries
// come out the same on every run.
func SortedKeys[K cmp.Ordered, V any](m map[K]V) []K {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// valueString prints one element: scalars bare, structures as their JSON,
// since Go's struct printing shows pointers rather than values.
func valueString(e any) string {
	switch reflect.ValueOf(e).Kind() {
	case reflect.Struct, reflect.Pointer, reflect.Map, reflect.Slice:
		if b, err := json.Marshal(e); err == nil {
			return string(b)
		}
	}
	return fmt.Sprint(e)
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r) // invalid UTF-8 arrives as U+FFFD: one unit
	}
	return n
}

// javaDouble formats f as Java's Double.toString does for ordinary values
// ("1.0", "2.5").
func javaDouble(f float64) string {
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.ContainsAny(s, ".eE") {
		s += ".0"
	}
	return s
}
