package jsonata

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Date/time pictures for $fromMillis, $toMillis and $now, from XPath's
// fn:format-dateTime as jsonata-js 2.0.6 implements it: markers such as [Y0001],
// [M01], [D1o], [FNn], [H01], [m01], [s01], [f001], [Z01:01t] between literals.

var (
	dayNames   = []string{"", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
	monthNames = []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
)

const millisInADay = 1000 * 60 * 60 * 24

const iso8601Picture = "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]"

// defaultPresentation is the presentation a date/time component gets when its
// marker gives none ([M] is [M1], [F] is [FNn]...).
func defaultPresentation(component byte) (string, bool) {
	switch component {
	case 'Y', 'M', 'D', 'd', 'W', 'w', 'X', 'x', 'H', 'h', 'f':
		return "1", true
	case 'F', 'P', 'C', 'E':
		return "n", true
	case 'm', 's':
		return "01", true
	case 'Z', 'z':
		return "01:01", true
	}
	return "", false
}

// dtPart is a literal or a marker of a date/time picture.
type dtPart struct {
	literal       string
	isLiteral     bool
	component     byte
	presentation1 string
	presentation2 byte
	widthMin      int // -1 when absent
	widthMax      int // -1 when absent
	names         letterCase
	hasNames      bool
	intFmt        *intFormat
	n             int
}

// jsParseInt is parseInt(s, 10), with ok=false for NaN.
func jsParseInt(s string) (int, bool) {
	s = strings.TrimLeft(s, " \t\n\r")
	neg := false
	if strings.HasPrefix(s, "-") || strings.HasPrefix(s, "+") {
		neg = s[0] == '-'
		s = s[1:]
	}
	v, ok := leadingInt(s)
	if neg {
		v = -v
	}
	return v, ok
}

// analyseDateTimePicture splits a date/time picture into literals and markers.
// [[ and ]] are literal brackets; a marker is [component presentation,width],
// with whitespace inside ignored.
func analyseDateTimePicture(picture string) ([]dtPart, error) {
	var parts []dtPart
	addLiteral := func(start, end int) {
		if end > start {
			parts = append(parts, dtPart{isLiteral: true, literal: strings.ReplaceAll(picture[start:end], "]]", "]")})
		}
	}
	start, pos := 0, 0
	for pos < len(picture) {
		if picture[pos] != '[' {
			pos++
			continue
		}
		if pos+1 < len(picture) && picture[pos+1] == '[' {
			addLiteral(start, pos)
			parts = append(parts, dtPart{isLiteral: true, literal: "["})
			pos += 2
			start = pos
			continue
		}
		addLiteral(start, pos)
		start = pos
		end := strings.IndexByte(picture[start:], ']')
		if end < 0 {
			return nil, newErr("D3135", 0, "")
		}
		pos = start + end
		marker := strings.Join(strings.Fields(picture[start+1:pos]), "")
		def := dtPart{widthMin: -1, widthMax: -1}
		if marker != "" {
			def.component = marker[0]
		}
		var presMod string
		if comma := strings.LastIndexByte(marker, ','); comma >= 0 {
			widthMod := marker[comma+1:]
			minS, maxS := widthMod, "*"
			if dash := strings.IndexByte(widthMod, '-'); dash >= 0 {
				minS, maxS = widthMod[:dash], widthMod[dash+1:]
			}
			if minS != "*" {
				if v, ok := jsParseInt(minS); ok {
					def.widthMin = v
				}
			}
			if maxS != "*" {
				if v, ok := jsParseInt(maxS); ok {
					def.widthMax = v
				}
			}
			presMod = marker[min(1, len(marker)):comma]
		} else if marker != "" {
			presMod = marker[1:]
		}
		switch {
		case len(presMod) == 1:
			def.presentation1 = presMod
		case len(presMod) > 1:
			last := presMod[len(presMod)-1]
			if strings.IndexByte("atco", last) >= 0 {
				def.presentation2 = last
				def.presentation1 = presMod[:len(presMod)-1]
			} else {
				def.presentation1 = presMod
			}
		default:
			p, ok := defaultPresentation(def.component)
			if !ok {
				return nil, withInfo("D3132", errInfo{value: string(def.component), hasValue: true})
			}
			def.presentation1 = p
		}
		switch {
		case strings.HasPrefix(def.presentation1, "n"):
			def.hasNames, def.names = true, caseLower
		case strings.HasPrefix(def.presentation1, "N"):
			def.hasNames, def.names = true, caseUpper
			if len(def.presentation1) > 1 && def.presentation1[1] == 'n' {
				def.names = caseTitle
			}
		case strings.IndexByte("YMDdFWwXxHhmsf", def.component) >= 0 && def.component != 0:
			pattern := def.presentation1
			if def.presentation2 != 0 {
				pattern += ";" + string(def.presentation2)
			}
			f, err := analyseIntegerPicture(pattern)
			if err != nil {
				return nil, err
			}
			def.intFmt = f
			if def.widthMin >= 0 && f.mandatoryDigits < def.widthMin {
				f.mandatoryDigits = def.widthMin
			}
			if strings.IndexByte("YMD", def.component) >= 0 {
				def.n = -1
				if def.widthMax >= 0 {
					def.n = def.widthMax
					f.mandatoryDigits = def.n
				} else if w := f.mandatoryDigits + f.optionalDigits; w >= 2 {
					def.n = w
				}
			}
		}
		if def.component == 'Z' || def.component == 'z' {
			f, err := analyseIntegerPicture(def.presentation1)
			if err != nil {
				return nil, err
			}
			def.intFmt = f
		}
		parts = append(parts, def)
		start = pos + 1
		pos++
	}
	addLiteral(start, pos)
	return parts, nil
}

// dateUTC is JavaScript's Date.UTC, including its mapping of years 0-99 to 1900-1999.
func dateUTC(y, mon, d, h, mi, s, ms float64) float64 {
	for _, v := range []float64{y, mon, d, h, mi, s, ms} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return math.NaN()
		}
	}
	if y >= 0 && y <= 99 {
		y += 1900
	}
	t := time.Date(int(y), time.Month(int(mon)+1), int(d), int(h), int(mi), int(s), int(ms)*1e6, time.UTC)
	return float64(t.UnixMilli())
}

// msTime converts milliseconds since the epoch to a UTC time.
func msTime(ms float64) time.Time { return time.UnixMilli(int64(ms)).UTC() }

// startOfFirstWeek is the Monday starting week 1 of a month or year by the ISO
// rule: the week containing its first Thursday.
func startOfFirstWeek(year, month int) float64 {
	jan1 := dateUTC(float64(year), float64(month), 1, 0, 0, 0, 0)
	day := int(msTime(jan1).Weekday())
	if day == 0 {
		day = 7
	}
	if day > 4 {
		return jan1 + float64(8-day)*millisInADay
	}
	return jan1 - float64(day-1)*millisInADay
}

// nextMonth is the month after (year, zero-based month).
func nextMonth(y, m int) (int, int) {
	if m == 11 {
		return y + 1, 0
	}
	return y, m + 1
}

// previousMonth is the month before (year, zero-based month).
func previousMonth(y, m int) (int, int) {
	if m == 0 {
		return y - 1, 11
	}
	return y, m - 1
}

// deltaWeeks counts weeks from start to end, one-based.
func deltaWeeks(start, end float64) float64 { return (end-start)/(millisInADay*7) + 1 }

// dateFragment returns a component of a date: a number, or a string for P, C and E.
func dateFragment(t time.Time, component byte) any {
	y, mon, d := t.Year(), int(t.Month())-1, t.Day()
	switch component {
	case 'Y':
		return float64(y)
	case 'M':
		return float64(mon + 1)
	case 'D':
		return float64(d)
	case 'd':
		return float64(t.YearDay())
	case 'F':
		wd := int(t.Weekday())
		if wd == 0 {
			wd = 7
		}
		return float64(wd)
	case 'W':
		start := startOfFirstWeek(y, 0)
		today := dateUTC(float64(y), float64(mon), float64(d), 0, 0, 0, 0)
		week := deltaWeeks(start, today)
		if week > 52 {
			if today >= startOfFirstWeek(y+1, 0) {
				week = 1
			}
		} else if week < 1 {
			week = deltaWeeks(startOfFirstWeek(y-1, 0), today)
		}
		return math.Floor(week)
	case 'w':
		start := startOfFirstWeek(y, mon)
		today := dateUTC(float64(y), float64(mon), float64(d), 0, 0, 0, 0)
		week := deltaWeeks(start, today)
		if week > 4 {
			ny, nm := nextMonth(y, mon)
			if today >= startOfFirstWeek(ny, nm) {
				week = 1
			}
		} else if week < 1 {
			py, pm := previousMonth(y, mon)
			week = deltaWeeks(startOfFirstWeek(py, pm), today)
		}
		return math.Floor(week)
	case 'X':
		now := float64(t.UnixMilli())
		switch {
		case now < startOfFirstWeek(y, 0):
			return float64(y - 1)
		case now >= startOfFirstWeek(y+1, 0):
			return float64(y + 1)
		}
		return float64(y)
	case 'x':
		now := float64(t.UnixMilli())
		ny, nm := nextMonth(y, mon)
		switch {
		case now < startOfFirstWeek(y, mon):
			_, pm := previousMonth(y, mon)
			return float64(pm + 1)
		case now >= startOfFirstWeek(ny, nm):
			return float64(nm + 1)
		}
		return float64(mon + 1)
	case 'H':
		return float64(t.Hour())
	case 'h':
		h := t.Hour() % 12
		if h == 0 {
			h = 12
		}
		return float64(h)
	case 'P':
		if t.Hour() >= 12 {
			return "pm"
		}
		return "am"
	case 'm':
		return float64(t.Minute())
	case 's':
		return float64(t.Second())
	case 'f':
		return float64(t.Nanosecond() / 1e6)
	case 'C', 'E':
		return "ISO"
	}
	return undefinedValue{}
}

// formatDateTime writes millis by picture (ISO 8601 when absent) in timezone, an
// offset written ±HHMM that jsonata-js reads with parseInt.
func formatDateTime(millis float64, picture any, timezone any) (string, error) {
	offsetHours, offsetMinutes := 0, 0
	if tz, ok := timezone.(string); ok {
		if offset, ok := jsParseInt(tz); ok {
			offsetHours = int(math.Floor(float64(offset) / 100))
			offsetMinutes = offset % 100
		}
	}
	pic, ok := picture.(string)
	if !ok {
		pic = iso8601Picture
	}
	parts, err := analyseDateTimePicture(pic)
	if err != nil {
		return "", err
	}
	// Formatting in a timezone is formatting the shifted instant in UTC.
	offsetMillis := float64((60*offsetHours + offsetMinutes) * 60 * 1000)
	t := msTime(millis + offsetMillis)
	var b strings.Builder
	for i := range parts {
		p := &parts[i]
		if p.isLiteral {
			b.WriteString(p.literal)
			continue
		}
		s, err := formatComponent(t, p, offsetHours, offsetMinutes)
		if err != nil {
			return "", err
		}
		b.WriteString(s)
	}
	return b.String(), nil
}

// formatComponent writes one marker's component of t.
func formatComponent(t time.Time, p *dtPart, offsetHours, offsetMinutes int) (string, error) {
	value := dateFragment(t, p.component)
	switch {
	case strings.IndexByte("YMDdFWwXxHhms", p.component) >= 0:
		num, _ := value.(float64)
		if p.component == 'Y' && p.n != -1 && p.intFmt != nil {
			num = math.Mod(num, math.Pow(10, float64(p.n)))
		}
		if p.hasNames {
			var name string
			switch p.component {
			case 'M', 'x':
				name = monthNames[int(num)-1]
			case 'F':
				name = dayNames[int(num)]
			default:
				return "", withInfo("D3133", errInfo{value: string(p.component), hasValue: true})
			}
			switch p.names {
			case caseUpper:
				name = strings.ToUpper(name)
			case caseLower:
				name = strings.ToLower(name)
			}
			if p.widthMax >= 0 && len(name) > p.widthMax {
				name = name[:p.widthMax]
			}
			return name, nil
		}
		if p.intFmt == nil {
			return "", nil
		}
		return formatIntegerValue(num, p.intFmt)
	case p.component == 'f':
		num, _ := value.(float64)
		if p.intFmt == nil {
			return jsNumberString(num), nil
		}
		return formatIntegerValue(num, p.intFmt)
	case p.component == 'Z' || p.component == 'z':
		offset := offsetHours*100 + offsetMinutes
		var s string
		var err error
		if p.intFmt.regular {
			s, err = formatIntegerValue(float64(offset), p.intFmt)
		} else {
			switch p.intFmt.mandatoryDigits {
			case 1, 2:
				s, err = formatIntegerValue(float64(offsetHours), p.intFmt)
				if err == nil && offsetMinutes != 0 {
					s += ":" + leftPad(strconv.Itoa(offsetMinutes), 2)
				}
			case 3, 4:
				s, err = formatIntegerValue(float64(offset), p.intFmt)
			default:
				return "", withInfo("D3134", errInfo{value: float64(p.intFmt.mandatoryDigits), hasValue: true})
			}
		}
		if err != nil {
			return "", err
		}
		if offset >= 0 {
			s = "+" + s
		}
		if p.component == 'z' {
			s = "GMT" + s
		}
		if offset == 0 && p.presentation2 == 't' {
			s = "Z"
		}
		return s, nil
	case p.component == 'P':
		s, _ := value.(string)
		if p.hasNames && p.names == caseUpper {
			s = strings.ToUpper(s)
		}
		return s, nil
	}
	switch v := value.(type) {
	case string:
		return v, nil
	case float64:
		return jsNumberString(v), nil
	}
	return "undefined", nil
}

// leftPad pads s with zeros to n characters.
func leftPad(s string, n int) string {
	if len(s) >= n {
		return s
	}
	return strings.Repeat("0", n-len(s)) + s
}

// fromMillis formats milliseconds for $fromMillis and $now.
func fromMillis(ms float64, picture, tz any) (any, error) {
	return formatDateTime(ms, picture, tz)
}

// fnFromMillis is $fromMillis: milliseconds since the epoch formatted by a picture
// (ISO 8601 by default) in an optional timezone such as "-0500".
func fnFromMillis(_ call, args []any) (any, error) {
	ms, ok := toFloat(arg(args, 0))
	if !ok {
		return undefinedValue{}, nil
	}
	return fromMillis(ms, arg(args, 1), arg(args, 2))
}

// fnToMillis is $toMillis: an ISO 8601 timestamp (D3110 otherwise), or one laid
// out by a picture, as milliseconds since the epoch.
func fnToMillis(c call, args []any) (any, error) {
	s, ok := arg(args, 0).(string)
	if !ok {
		return undefinedValue{}, nil
	}
	picture, ok := arg(args, 1).(string)
	if !ok {
		if !iso8601.MatchString(s) {
			return nil, valErr("D3110", s)
		}
		return parseISO(s), nil
	}
	return parseDateTime(s, picture, c.ev.now())
}

var (
	iso8601   = regexp.MustCompile(`^\d{4}(-[01]\d)*(-[0-3]\d)*(T[0-2]\d:[0-5]\d:[0-5]\d)*(\.\d+)?([+-][0-2]\d:?[0-5]\d|Z)?$`)
	isoFields = regexp.MustCompile(`^(\d{4})(?:-(\d\d)(?:-(\d\d)(?:T(\d\d):(\d\d)(?::(\d\d)(?:\.(\d+))?)?)?)?)?(Z|[+-]\d\d:?\d\d)?$`)
)

// parseISO is Date.parse for the ISO 8601 forms the D3110 check lets through; a
// string JavaScript cannot read either gives NaN. Times without an offset are read
// as UTC.
func parseISO(s string) any {
	m := isoFields.FindStringSubmatch(s)
	if m == nil {
		return math.NaN()
	}
	num := func(i int, def int) int {
		if m[i] == "" {
			return def
		}
		v, _ := strconv.Atoi(m[i])
		return v
	}
	y, mon, d := num(1, 0), num(2, 1), num(3, 1)
	h, mi, sec := num(4, 0), num(5, 0), num(6, 0)
	if mon < 1 || mon > 12 || d < 1 || d > 31 || h > 24 || mi > 59 || sec > 59 {
		return math.NaN()
	}
	ms := 0
	if m[7] != "" {
		frac := (m[7] + "00")[:3]
		ms, _ = strconv.Atoi(frac)
	}
	t := time.Date(y, time.Month(mon), d, h, mi, sec, ms*1e6, time.UTC)
	if t.Day() != d {
		return math.NaN()
	}
	result := float64(t.UnixMilli())
	if tz := m[8]; tz != "" && tz != "Z" {
		sign := 1.0
		if tz[0] == '-' {
			sign = -1
		}
		tz = strings.ReplaceAll(tz[1:], ":", "")
		oh, _ := strconv.Atoi(tz[:2])
		om, _ := strconv.Atoi(tz[2:])
		result -= sign * float64(oh*60+om) * 60000
	}
	return result
}
