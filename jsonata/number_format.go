package jsonata

import (
	"math"
	"strconv"
	"strings"

	"stepline/jsonvalue"
)

// $formatNumber follows XPath's fn:format-number as jsonata-js 2.0.6 implements
// it: a picture of up to two sub-pictures (positive;negative) with mandatory
// (0) and optional (#) digits, grouping and decimal separators, percent or
// per-mille, and an optional exponent. The options object may rename any of the
// special characters.

// numberFormatProps are the decimal-format properties, by their XPath names.
type numberFormatProps struct {
	decimalSep, groupingSep, exponentSep, minusSign, percent, perMille string
	zeroDigit, digit, patternSep                                       string
}

// set overrides one property from $formatNumber's options.
func (p *numberFormatProps) set(key string, v string) {
	switch key {
	case "decimal-separator":
		p.decimalSep = v
	case "grouping-separator":
		p.groupingSep = v
	case "exponent-separator":
		p.exponentSep = v
	case "minus-sign":
		p.minusSign = v
	case "percent":
		p.percent = v
	case "per-mille":
		p.perMille = v
	case "zero-digit":
		p.zeroDigit = v
	case "digit":
		p.digit = v
	case "pattern-separator":
		p.patternSep = v
	}
}

// subPicture is one analysed sub-picture.
type subPicture struct {
	prefix, suffix, active, mantissa, integer, fractional, picture string
	exponent                                                       *string
}

type numberPicture struct {
	integerGroups    []int
	regularGrouping  int
	minIntegerSize   int
	scalingFactor    int
	prefix, suffix   string
	fractionalGroups []int
	minFractionSize  int
	maxFractionSize  int
	minExponentSize  int
	picture          string
}

type numberFormatter struct {
	props   numberFormatProps
	digits  []string // the decimal digit family, zero first
	actives []string
}

// isDigit reports whether ch is in the decimal digit family.
func (nf *numberFormatter) isDigit(ch string) bool {
	for _, d := range nf.digits {
		if d == ch {
			return true
		}
	}
	return false
}

// isActive reports whether ch is an active character of the picture.
func (nf *numberFormatter) isActive(ch string) bool {
	for _, a := range nf.actives {
		if a == ch {
			return true
		}
	}
	return false
}

// chars splits s into its characters.
func chars(s string) []string {
	out := make([]string, 0, len(s))
	for _, r := range s {
		out = append(out, string(r))
	}
	return out
}

// split divides a sub-picture into prefix, integer, fraction, exponent and suffix.
func (nf *numberFormatter) split(sub string) subPicture {
	cs := chars(sub)
	prefix, suffix := sub, ""
	for i, ch := range cs {
		if nf.isActive(ch) && ch != nf.props.exponentSep {
			prefix = strings.Join(cs[:i], "")
			break
		}
	}
	found := false
	for i := len(cs) - 1; i >= 0; i-- {
		if nf.isActive(cs[i]) && cs[i] != nf.props.exponentSep {
			suffix = strings.Join(cs[i+1:], "")
			found = true
			break
		}
	}
	if !found {
		suffix = ""
	}
	p := subPicture{prefix: prefix, suffix: suffix, picture: sub}
	if len(prefix) <= len(sub)-len(suffix) {
		p.active = sub[len(prefix) : len(sub)-len(suffix)]
	}
	expPos := -1
	if i := strings.Index(sub[len(prefix):], nf.props.exponentSep); i >= 0 && nf.props.exponentSep != "" {
		expPos = i + len(prefix)
	}
	if expPos == -1 || expPos > len(sub)-len(suffix) {
		p.mantissa = p.active
	} else {
		// jsonata-js slices the active part with an offset into the whole
		// sub-picture; copy that.
		p.mantissa = p.active[:min(expPos, len(p.active))]
		e := ""
		if expPos+1 <= len(p.active) {
			e = p.active[expPos+1:]
		}
		p.exponent = &e
	}
	if d := strings.Index(p.mantissa, nf.props.decimalSep); d == -1 {
		p.integer = p.mantissa
		p.fractional = suffix
	} else {
		p.integer = p.mantissa[:d]
		p.fractional = p.mantissa[d+len(nf.props.decimalSep):]
	}
	return p
}

// validate applies XPath's rules for a well-formed sub-picture (D3081 to D3093).
func (nf *numberFormatter) validate(p subPicture) error {
	props := &nf.props
	sub := p.picture
	code := ""
	decimalPos := strings.Index(sub, props.decimalSep)
	if decimalPos != strings.LastIndex(sub, props.decimalSep) {
		code = "D3081"
	}
	if strings.Index(sub, props.percent) != strings.LastIndex(sub, props.percent) {
		code = "D3082"
	}
	if strings.Index(sub, props.perMille) != strings.LastIndex(sub, props.perMille) {
		code = "D3083"
	}
	if strings.Contains(sub, props.percent) && strings.Contains(sub, props.perMille) {
		code = "D3084"
	}
	valid := false
	for _, ch := range chars(p.mantissa) {
		if nf.isDigit(ch) || ch == props.digit {
			valid = true
			break
		}
	}
	if !valid {
		code = "D3085"
	}
	for _, ch := range chars(p.active) {
		if !nf.isActive(ch) {
			code = "D3086"
		}
	}
	if decimalPos != -1 {
		before := sub[:decimalPos]
		after := sub[decimalPos+len(props.decimalSep):]
		if strings.HasSuffix(before, props.groupingSep) || strings.HasPrefix(after, props.groupingSep) {
			code = "D3087"
		}
	} else if strings.HasSuffix(p.integer, props.groupingSep) && p.integer != "" {
		code = "D3088"
	}
	if strings.Contains(sub, props.groupingSep+props.groupingSep) {
		code = "D3089"
	}
	if i := strings.Index(p.integer, props.digit); i != -1 {
		for _, ch := range chars(p.integer[:i]) {
			if nf.isDigit(ch) {
				code = "D3090"
			}
		}
	}
	if i := strings.LastIndex(p.fractional, props.digit); i != -1 {
		for _, ch := range chars(p.fractional[i:]) {
			if nf.isDigit(ch) {
				code = "D3091"
			}
		}
	}
	if p.exponent != nil {
		if len(*p.exponent) > 0 && (strings.Contains(sub, props.percent) || strings.Contains(sub, props.perMille)) {
			code = "D3092"
		}
		bad := len(*p.exponent) == 0
		for _, ch := range chars(*p.exponent) {
			if !nf.isDigit(ch) {
				bad = true
			}
		}
		if bad {
			code = "D3093"
		}
	}
	if code != "" {
		return newErr(code, 0, "")
	}
	return nil
}

// groupingPositions counts, for each grouping separator, the digits to its right
// (or left, for the fractional part).
func (nf *numberFormatter) groupingPositions(p subPicture, part string, toLeft bool) []int {
	var positions []int
	sep := nf.props.groupingSep
	pos := strings.Index(part, sep)
	for pos != -1 {
		var side string
		if toLeft {
			side = part[:pos]
		} else {
			side = part[pos:]
		}
		n := 0
		for _, ch := range chars(side) {
			if nf.isDigit(ch) || ch == nf.props.digit {
				n++
			}
		}
		positions = append(positions, n)
		// jsonata-js looks for the next separator in the integer part even
		// when analysing the fractional part.
		next := -1
		if pos+1 <= len(p.integer) {
			if i := strings.Index(p.integer[pos+1:], sep); i >= 0 {
				next = pos + 1 + i
			}
		}
		if next >= len(part) {
			next = -1
		}
		pos = next
	}
	return positions
}

// countDigits counts the mandatory (and optionally the optional) digits in s.
func (nf *numberFormatter) countDigits(s string, withOptional bool) int {
	n := 0
	for _, ch := range chars(s) {
		if nf.isDigit(ch) || (withOptional && ch == nf.props.digit) {
			n++
		}
	}
	return n
}

// analyse derives the sizes and grouping a sub-picture asks for.
func (nf *numberFormatter) analyse(p subPicture) numberPicture {
	np := numberPicture{prefix: p.prefix, suffix: p.suffix, picture: p.picture}
	np.integerGroups = nf.groupingPositions(p, p.integer, false)
	np.regularGrouping = regularPositions(np.integerGroups)
	np.fractionalGroups = nf.groupingPositions(p, p.fractional, true)
	np.minIntegerSize = nf.countDigits(p.integer, false)
	np.scalingFactor = np.minIntegerSize
	np.minFractionSize = nf.countDigits(p.fractional, false)
	np.maxFractionSize = nf.countDigits(p.fractional, true)
	exponent := p.exponent != nil
	if np.minIntegerSize == 0 && np.maxFractionSize == 0 {
		if exponent {
			np.minFractionSize, np.maxFractionSize = 1, 1
		} else {
			np.minIntegerSize = 1
		}
	}
	if exponent && np.minIntegerSize == 0 && strings.Contains(p.integer, nf.props.digit) {
		np.minIntegerSize = 1
	}
	if np.minIntegerSize == 0 && np.minFractionSize == 0 {
		np.minFractionSize = 1
	}
	if exponent {
		np.minExponentSize = nf.countDigits(*p.exponent, false)
	}
	return np
}

// regularPositions is the interval of evenly repeating grouping positions, or 0.
func regularPositions(indexes []int) int {
	if len(indexes) == 0 {
		return 0
	}
	gcd := func(a, b int) int {
		for b != 0 {
			a, b = b, a%b
		}
		return a
	}
	factor := indexes[0]
	for _, i := range indexes[1:] {
		factor = gcd(factor, i)
	}
	for i := 1; i <= len(indexes); i++ {
		found := false
		for _, x := range indexes {
			if x == i*factor {
				found = true
			}
		}
		if !found {
			return 0
		}
	}
	return factor
}

// fnFormatNumber is $formatNumber: it analyses the picture (errors D3080 to D3093
// for malformed ones) and formats the value with the positive or negative sub-picture.
func fnFormatNumber(_ call, args []any) (any, error) {
	value, ok := toFloat(arg(args, 0))
	if !ok {
		return undefinedValue{}, nil
	}
	picture, _ := arg(args, 1).(string)
	nf := &numberFormatter{props: numberFormatProps{
		decimalSep: ".", groupingSep: ",", exponentSep: "e", minusSign: "-",
		percent: "%", perMille: "\u2030", zeroDigit: "0", digit: "#", patternSep: ";",
	}}
	if o, ok := arg(args, 2).(*jsonvalue.Object); ok {
		o.Range(func(k string, v any) bool {
			if s, ok := v.(string); ok {
				nf.props.set(k, s)
			}
			return true
		})
	}
	zero := []rune(nf.props.zeroDigit + "0")[0]
	for i := rune(0); i < 10; i++ {
		nf.digits = append(nf.digits, string(zero+i))
	}
	nf.actives = append(append([]string{}, nf.digits...), nf.props.decimalSep, nf.props.exponentSep, nf.props.groupingSep, nf.props.digit, nf.props.patternSep)
	subs := strings.Split(picture, nf.props.patternSep)
	if len(subs) > 2 {
		return nil, newErr("D3080", 0, "")
	}
	parts := make([]subPicture, len(subs))
	for i, s := range subs {
		parts[i] = nf.split(s)
		if err := nf.validate(parts[i]); err != nil {
			return nil, err
		}
	}
	pics := make([]numberPicture, len(parts))
	for i, p := range parts {
		pics[i] = nf.analyse(p)
	}
	if len(pics) == 1 {
		neg := pics[0]
		neg.prefix = nf.props.minusSign + neg.prefix
		pics = append(pics, neg)
	}
	pic := pics[0]
	if value < 0 {
		pic = pics[1]
	}
	return nf.format(value, pic), nil
}

// format writes value by an analysed sub-picture.
func (nf *numberFormatter) format(value float64, pic numberPicture) string {
	props := &nf.props
	adjusted := value
	if strings.Contains(pic.picture, props.percent) {
		adjusted = value * 100
	} else if strings.Contains(pic.picture, props.perMille) {
		adjusted = value * 1000
	}
	mantissa := adjusted
	hasExponent := pic.minExponentSize != 0
	exponent := 0
	if hasExponent {
		maxM := math.Pow(10, float64(pic.scalingFactor))
		minM := math.Pow(10, float64(pic.scalingFactor-1))
		// jsonata-js loops forever on zero or a negative mantissa; stop instead.
		for i := 0; math.Abs(mantissa) < minM && mantissa != 0 && i < 400; i++ {
			mantissa *= 10
			exponent--
		}
		for i := 0; math.Abs(mantissa) > maxM && i < 400; i++ {
			mantissa /= 10
			exponent++
		}
	}
	r, _ := fnRound(call{}, []any{mantissa, float64(pic.maxFractionSize)})
	rounded, _ := r.(float64)
	zd := props.zeroDigit
	makeString := func(v float64, dp int) string {
		s := strconv.FormatFloat(math.Abs(v), 'f', dp, 64)
		if math.Abs(v) >= 1e21 {
			s = jsNumberString(math.Abs(v)) // toFixed switches to exponent form
		}
		if zd != "0" {
			var b strings.Builder
			for _, c := range s {
				if c >= '0' && c <= '9' {
					b.WriteString(nf.digits[c-'0'])
				} else {
					b.WriteRune(c)
				}
			}
			s = b.String()
		}
		return s
	}
	// Work on characters: the digit family and separators may be any Unicode
	// characters, and the zero padding is trimmed and re-added to the sizes the
	// picture asks for.
	cs := chars(makeString(rounded, pic.maxFractionSize))
	dot := indexOf(cs, ".")
	if dot == -1 {
		cs = append(cs, props.decimalSep)
	} else {
		cs[dot] = props.decimalSep
	}
	for len(cs) > 0 && cs[0] == zd {
		cs = cs[1:]
	}
	for len(cs) > 0 && cs[len(cs)-1] == zd {
		cs = cs[:len(cs)-1]
	}
	dec := indexOf(cs, props.decimalSep)
	padLeft := pic.minIntegerSize - dec
	padRight := pic.minFractionSize - (len(cs) - dec - 1)
	if padLeft > 0 {
		cs = append(repeatChars(zd, padLeft), cs...)
	}
	if padRight > 0 {
		cs = append(cs, repeatChars(zd, padRight)...)
	}
	dec = indexOf(cs, props.decimalSep)
	insert := func(at int) {
		// String.prototype.slice counts a negative index from the end.
		if at < 0 {
			at += len(cs)
		}
		at = max(0, min(at, len(cs)))
		cs = append(cs[:at], append([]string{props.groupingSep}, cs[at:]...)...)
	}
	if pic.regularGrouping > 0 {
		groups := (dec - 1) / pic.regularGrouping
		for g := 1; g <= groups; g++ {
			insert(dec - g*pic.regularGrouping)
		}
	} else {
		for _, pos := range pic.integerGroups {
			insert(dec - pos)
			dec++
		}
	}
	dec = indexOf(cs, props.decimalSep)
	for _, pos := range pic.fractionalGroups {
		insert(pos + dec + 1)
	}
	dec = indexOf(cs, props.decimalSep)
	if !strings.Contains(pic.picture, props.decimalSep) || dec == len(cs)-1 {
		cs = cs[:len(cs)-1]
	}
	out := strings.Join(cs, "")
	if hasExponent {
		e := makeString(float64(exponent), 0)
		if pad := pic.minExponentSize - len(chars(e)); pad > 0 {
			e = strings.Repeat(zd, pad) + e
		}
		sign := ""
		if exponent < 0 {
			sign = props.minusSign
		}
		out += props.exponentSep + sign + e
	}
	return pic.prefix + out + pic.suffix
}

// indexOf is the index of s in cs, or -1.
func indexOf(cs []string, s string) int {
	for i, c := range cs {
		if c == s {
			return i
		}
	}
	return -1
}

// repeatChars is n copies of s.
func repeatChars(s string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = s
	}
	return out
}
