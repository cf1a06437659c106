package jsonata

import (
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Integer pictures for $formatInteger, $parseInteger and date/time components,
// from XPath's fn:format-integer as jsonata-js implements it: decimal digit
// patterns with grouping separators, letters (a, A), roman numerals (i, I) and
// words (w, W, Ww), with an optional ordinal modifier (;o).

var (
	fewWords     = []string{"Zero", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten", "Eleven", "Twelve", "Thirteen", "Fourteen", "Fifteen", "Sixteen", "Seventeen", "Eighteen", "Nineteen"}
	ordinalWords = []string{"Zeroth", "First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth", "Ninth", "Tenth", "Eleventh", "Twelfth", "Thirteenth", "Fourteenth", "Fifteenth", "Sixteenth", "Seventeenth", "Eighteenth", "Nineteenth"}
	decadeWords  = []string{"Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty", "Ninety", "Hundred"}
	magnitudes   = []string{"Thousand", "Million", "Billion", "Trillion"}
)

// numberToWords writes a number in English words, as XPath's "w" format does:
// "one hundred and twenty-three", ordinals ending in "th", "first" and so on.
func numberToWords(value float64, ordinal bool) string {
	var lookup func(num float64, prev, ord bool) string
	lookup = func(num float64, prev, ord bool) string {
		words := ""
		switch {
		case num <= 19:
			if prev {
				words = " and "
			}
			if ord {
				words += ordinalWords[int(num)]
			} else {
				words += fewWords[int(num)]
			}
		case num < 100:
			tens := int(num) / 10
			rem := int(num) % 10
			if prev {
				words = " and "
			}
			words += decadeWords[tens-2]
			if rem > 0 {
				words += "-" + lookup(float64(rem), false, ord)
			} else if ord {
				words = words[:len(words)-1] + "ieth"
			}
		case num < 1000:
			hundreds := int(num) / 100
			rem := int(num) % 100
			if prev {
				words = ", "
			}
			words += fewWords[hundreds] + " Hundred"
			if rem > 0 {
				words += lookup(float64(rem), true, ord)
			} else if ord {
				words += "th"
			}
		default:
			mag := int(math.Floor(math.Log10(num) / 3))
			if mag > len(magnitudes) {
				mag = len(magnitudes)
			}
			factor := math.Pow(10, float64(mag*3))
			mant := math.Floor(num / factor)
			rem := num - mant*factor
			if prev {
				words = ", "
			}
			words += lookup(mant, false, false) + " " + magnitudes[mag-1]
			if rem > 0 {
				words += lookup(rem, true, ord)
			} else if ord {
				words += "th"
			}
		}
		return words
	}
	return lookup(value, false, ordinal)
}

// wordValues maps each number word (lower case) to its value.
func wordValues() map[string]float64 {
	m := map[string]float64{}
	for i, w := range fewWords {
		m[strings.ToLower(w)] = float64(i)
	}
	for i, w := range ordinalWords {
		m[strings.ToLower(w)] = float64(i)
	}
	for i, w := range decadeWords {
		lw := strings.ToLower(w)
		m[lw] = float64((i + 2) * 10)
		m[lw[:len(lw)-1]+"ieth"] = m[lw]
	}
	m["hundredth"] = 100
	for i, w := range magnitudes {
		lw := strings.ToLower(w)
		v := math.Pow(10, float64((i+1)*3))
		m[lw] = v
		m[lw+"th"] = v
	}
	return m
}

var wordSplit = regexp.MustCompile(`,\s|\sand\s|[\s\\-]`)

// wordsToNumber reads what numberToWords writes.
func wordsToNumber(text string) float64 {
	values := wordValues()
	segs := []float64{0}
	for _, part := range wordSplit.Split(text, -1) {
		v, ok := values[part]
		if !ok {
			v = math.NaN()
		}
		top := segs[len(segs)-1]
		segs = segs[:len(segs)-1]
		if v < 100 {
			if top >= 1000 {
				segs = append(segs, top)
				top = 0
			}
			segs = append(segs, top+v)
		} else {
			segs = append(segs, top*v)
		}
	}
	total := 0.0
	for _, s := range segs {
		total += s
	}
	return total
}

var romanNumerals = []struct {
	v int
	s string
}{{1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"}, {100, "c"}, {90, "xc"}, {50, "l"}, {40, "xl"}, {10, "x"}, {9, "ix"}, {5, "v"}, {4, "iv"}, {1, "i"}}

// decimalToRoman writes lower-case roman numerals.
func decimalToRoman(value int) string {
	var b strings.Builder
	for value > 0 {
		for _, n := range romanNumerals {
			if value >= n.v {
				b.WriteString(n.s)
				value -= n.v
				break
			}
		}
	}
	return b.String()
}

// romanToDecimal reads upper-case roman numerals, subtractive forms included.
func romanToDecimal(roman string) float64 {
	vals := map[byte]int{'M': 1000, 'D': 500, 'C': 100, 'L': 50, 'X': 10, 'V': 5, 'I': 1}
	decimal, max := 0, 1
	for i := len(roman) - 1; i >= 0; i-- {
		v, ok := vals[roman[i]]
		if !ok {
			return math.NaN() // undefined arithmetic in jsonata-js
		}
		if v < max {
			decimal -= v
		} else {
			max = v
			decimal += v
		}
	}
	return float64(decimal)
}

// decimalToLetters writes a, b, ... z, aa, ab: the "a" format.
func decimalToLetters(value float64, a byte) string {
	var letters []byte
	for value > 0 {
		letters = append([]byte{byte(math.Mod(value-1, 26)) + a}, letters...)
		value = math.Floor((value - 1) / 26)
	}
	return string(letters)
}

// lettersToDecimal reads what decimalToLetters writes.
func lettersToDecimal(letters string, a byte) float64 {
	d := 0.0
	for i := 0; i < len(letters); i++ {
		d += float64(int(letters[len(letters)-i-1])-int(a)+1) * math.Pow(26, float64(i))
	}
	return d
}

type intPrimary int

const (
	fmtDecimal intPrimary = iota
	fmtLetters
	fmtRoman
	fmtWords
	fmtSequence
)

type letterCase int

const (
	caseLower letterCase = iota
	caseUpper
	caseTitle
)

type groupSep struct {
	position  int
	character string
}

// intFormat is an analysed integer picture.
type intFormat struct {
	primary         intPrimary
	lcase           letterCase
	ordinal         bool
	zeroCode        rune
	mandatoryDigits int
	optionalDigits  int
	regular         bool
	regularSep      groupSep
	separators      []groupSep
	token           string
	n               int // fixed width when parsing a date component
}

var decimalGroups = []rune{0x30, 0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6, 0x0D66, 0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10}

// analyseIntegerPicture reads an integer picture: a format token (A, a, I, i, W, w,
// Ww or a decimal digit pattern with optional # digits and grouping separators)
// and an optional ;o for ordinals. Digits from different Unicode decimal groups
// are D3131.
func analyseIntegerPicture(picture string) (*intFormat, error) {
	f := &intFormat{primary: fmtDecimal, lcase: caseLower}
	primary := picture
	if semi := strings.LastIndexByte(picture, ';'); semi >= 0 {
		primary = picture[:semi]
		if strings.HasPrefix(picture[semi+1:], "o") {
			f.ordinal = true
		}
	}
	switch primary {
	case "A":
		f.lcase, f.primary = caseUpper, fmtLetters
		return f, nil
	case "a":
		f.primary = fmtLetters
		return f, nil
	case "I":
		f.lcase, f.primary = caseUpper, fmtRoman
		return f, nil
	case "i":
		f.primary = fmtRoman
		return f, nil
	case "W":
		f.lcase, f.primary = caseUpper, fmtWords
		return f, nil
	case "Ww":
		f.lcase, f.primary = caseTitle, fmtWords
		return f, nil
	case "w":
		f.primary = fmtWords
		return f, nil
	}
	// Scan right to left so each grouping separator's position counts the
	// digits to its right.
	var zero rune = -1
	pos := 0
	var seps []groupSep
	runes := []rune(primary)
	for i := len(runes) - 1; i >= 0; i-- {
		cp := runes[i]
		digit := false
		for _, g := range decimalGroups {
			if cp >= g && cp <= g+9 {
				digit = true
				f.mandatoryDigits++
				pos++
				if zero < 0 {
					zero = g
				} else if g != zero {
					return nil, newErr("D3131", 0, "")
				}
				break
			}
		}
		if digit {
			continue
		}
		if cp == '#' {
			pos++
			f.optionalDigits++
		} else {
			seps = append(seps, groupSep{position: pos, character: string(cp)})
		}
	}
	if f.mandatoryDigits == 0 {
		f.primary = fmtSequence
		f.token = primary
		return f, nil
	}
	f.zeroCode = zero
	if r := regularRepeat(seps); r > 0 {
		f.regular = true
		f.regularSep = groupSep{position: r, character: seps[0].character}
	} else {
		f.separators = seps
	}
	return f, nil
}

// regularRepeat returns the interval of grouping separators that repeat evenly
// ("#,###" groups every 3 digits however long the number), or 0.
func regularRepeat(seps []groupSep) int {
	if len(seps) == 0 {
		return 0
	}
	for _, s := range seps[1:] {
		if s.character != seps[0].character {
			return 0
		}
	}
	gcd := func(a, b int) int {
		for b != 0 {
			a, b = b, a%b
		}
		return a
	}
	factor := seps[0].position
	for _, s := range seps[1:] {
		factor = gcd(factor, s.position)
	}
	if factor == 0 {
		return 0
	}
	for i := 1; i <= len(seps); i++ {
		found := false
		for _, s := range seps {
			if s.position == i*factor {
				found = true
				break
			}
		}
		if !found {
			return 0
		}
	}
	return factor
}

// insertAt inserts sep before the rune at position pos (counted in runes).
func insertAt(s string, pos int, sep string) string {
	r := []rune(s)
	if pos < 0 {
		pos = 0
	}
	if pos > len(r) {
		pos = len(r)
	}
	return string(r[:pos]) + sep + string(r[pos:])
}

// formatIntegerValue writes value in an analysed integer format.
func formatIntegerValue(value float64, f *intFormat) (string, error) {
	negative := value < 0
	value = math.Abs(value)
	// Roman numerals and zero padding grow with the value or the picture; bound
	// them so that one expression cannot exhaust memory.
	if (f.primary == fmtRoman && value > maxStringLength) || f.mandatoryDigits > maxStringLength {
		return "", valErr("D1001", value)
	}
	var out string
	switch f.primary {
	case fmtLetters:
		a := byte('a')
		if f.lcase == caseUpper {
			a = 'A'
		}
		out = decimalToLetters(value, a)
	case fmtRoman:
		out = decimalToRoman(int(value))
		if f.lcase == caseUpper {
			out = strings.ToUpper(out)
		}
	case fmtWords:
		out = numberToWords(value, f.ordinal)
		switch f.lcase {
		case caseUpper:
			out = strings.ToUpper(out)
		case caseLower:
			out = strings.ToLower(out)
		}
	case fmtDecimal:
		out = strconv.FormatFloat(value, 'f', -1, 64)
		if value >= 1e21 {
			out = jsNumberString(value)
		}
		if pad := f.mandatoryDigits - len(out); pad > 0 {
			out = strings.Repeat("0", pad) + out
		}
		if f.zeroCode != '0' {
			var b strings.Builder
			for _, r := range out {
				b.WriteRune(r + f.zeroCode - '0')
			}
			out = b.String()
		}
		n := utf8.RuneCountInString(out)
		if f.regular {
			groups := (n - 1) / f.regularSep.position
			for i := groups; i > 0; i-- {
				out = insertAt(out, utf8.RuneCountInString(out)-i*f.regularSep.position, f.regularSep.character)
			}
		} else {
			for i := len(f.separators) - 1; i >= 0; i-- {
				s := f.separators[i]
				out = insertAt(out, utf8.RuneCountInString(out)-s.position, s.character)
			}
		}
		if f.ordinal {
			out += ordinalSuffix(out)
		}
	case fmtSequence:
		return "", withInfo("D3130", errInfo{value: f.token, hasValue: true})
	}
	if negative {
		out = "-" + out
	}
	return out, nil
}

// ordinalSuffix is st, nd, rd or th for the digits of a number.
func ordinalSuffix(s string) string {
	if s == "" {
		return "th"
	}
	last := s[len(s)-1]
	suffix := ""
	switch last {
	case '1':
		suffix = "st"
	case '2':
		suffix = "nd"
	case '3':
		suffix = "rd"
	}
	if suffix == "" || (len(s) > 1 && s[len(s)-2] == '1') {
		suffix = "th"
	}
	return suffix
}

// fnFormatInteger is $formatInteger: the value (rounded down) in a picture's format.
func fnFormatInteger(_ call, args []any) (any, error) {
	v, ok := toFloat(arg(args, 0))
	if !ok {
		return undefinedValue{}, nil
	}
	picture, _ := arg(args, 1).(string)
	f, err := analyseIntegerPicture(picture)
	if err != nil {
		return nil, err
	}
	return formatIntegerValue(math.Floor(v), f)
}

// intMatcher is the regex and parser for reading an integer in a picture's format.
type intMatcher struct {
	regex string
	parse func(string) float64
}

// integerMatcher builds the regex and the parser that read an integer written in
// format f, for $parseInteger and date/time parsing.
func integerMatcher(f *intFormat) (*intMatcher, error) {
	upper := f.lcase == caseUpper
	occurrences := "+"
	if f.n > 0 {
		if f.optionalDigits == 0 {
			occurrences = "{" + strconv.Itoa(f.n) + "}"
		} else {
			occurrences = "{" + strconv.Itoa(f.n-f.optionalDigits) + "," + strconv.Itoa(f.n) + "}"
		}
	}
	switch f.primary {
	case fmtLetters:
		a := byte('a')
		re := "[a-z]+"
		if upper {
			a, re = 'A', "[A-Z]+"
		}
		return &intMatcher{regex: re, parse: func(s string) float64 { return lettersToDecimal(s, a) }}, nil
	case fmtRoman:
		re := "[mdclxvi]+"
		if upper {
			re = "[MDCLXVI]+"
		}
		return &intMatcher{regex: re, parse: func(s string) float64 { return romanToDecimal(strings.ToUpper(s)) }}, nil
	case fmtWords:
		words := wordValues()
		keys := make([]string, 0, len(words))
		for k := range words {
			keys = append(keys, k)
		}
		// Longer words first, so that "seventeen" is not read as "seven".
		sort.Slice(keys, func(i, j int) bool {
			return len(keys[i]) > len(keys[j]) || len(keys[i]) == len(keys[j]) && keys[i] < keys[j]
		})
		re := "(?:" + strings.Join(append(keys, "and", `[\-, ]`), "|") + ")+"
		return &intMatcher{regex: re, parse: func(s string) float64 { return wordsToNumber(strings.ToLower(s)) }}, nil
	case fmtDecimal:
		re := "[0-9]" + occurrences
		if f.ordinal {
			re += "(?:th|st|nd|rd)"
		}
		return &intMatcher{regex: re, parse: func(s string) float64 {
			digits := s
			if f.ordinal && len(digits) >= 2 {
				digits = digits[:len(digits)-2]
			}
			if f.regular {
				digits = strings.ReplaceAll(digits, ",", "")
			} else {
				for _, sep := range f.separators {
					digits = strings.ReplaceAll(digits, sep.character, "")
				}
			}
			if f.zeroCode != '0' {
				var b strings.Builder
				for _, r := range digits {
					b.WriteRune(r - f.zeroCode + '0')
				}
				digits = b.String()
			}
			v, ok := jsParseInt(digits)
			if !ok {
				return math.NaN()
			}
			return float64(v)
		}}, nil
	}
	return nil, withInfo("D3130", errInfo{value: f.token, hasValue: true})
}

// fnParseInteger is $parseInteger, the inverse of $formatInteger.
func fnParseInteger(_ call, args []any) (any, error) {
	s, ok := arg(args, 0).(string)
	if !ok {
		return undefinedValue{}, nil
	}
	picture, _ := arg(args, 1).(string)
	f, err := analyseIntegerPicture(picture)
	if err != nil {
		return nil, err
	}
	m, err := integerMatcher(f)
	if err != nil {
		return nil, err
	}
	return m.parse(s), nil
}
