package jsonata

import (
	"math"
	"regexp"
	"strings"
	"time"
)

// dtMatcher reads one part of a timestamp laid out by a picture.
type dtMatcher struct {
	regex     string
	parse     func(string) float64
	component byte
}

// dateTimeMatchers builds, for each part of a picture, the regex that reads it and
// the function that turns the text read into the component's value.
func dateTimeMatchers(parts []dtPart) ([]dtMatcher, error) {
	out := make([]dtMatcher, 0, len(parts))
	for i := range parts {
		p := &parts[i]
		var m dtMatcher
		switch {
		case p.isLiteral:
			m.regex = regexp.QuoteMeta(p.literal)
		case p.component == 'Z' || p.component == 'z':
			var sep string
			if p.intFmt.regular {
				sep = p.intFmt.regularSep.character
			}
			if p.component == 'z' {
				m.regex = "GMT"
			}
			m.regex += "[-+][0-9]+"
			if sep != "" {
				m.regex += regexp.QuoteMeta(sep) + "[0-9]+"
			}
			z := p.component == 'z'
			m.parse = func(v string) float64 {
				if z {
					v = v[min(3, len(v)):]
				}
				var oh, om int
				if sep != "" {
					i := strings.Index(v, sep)
					oh, _ = jsParseInt(v[:i])
					om, _ = jsParseInt(v[i+len(sep):])
				} else if len(v)-1 <= 2 {
					oh, _ = jsParseInt(v)
				} else {
					oh, _ = jsParseInt(v[:3])
					om, _ = jsParseInt(v[3:])
				}
				return float64(oh*60 + om)
			}
		case p.intFmt != nil:
			f := *p.intFmt
			f.n = 0
			if strings.IndexByte("YMD", p.component) >= 0 && p.n > 0 {
				f.n = p.n
			}
			im, err := integerMatcher(&f)
			if err != nil {
				return nil, err
			}
			m.regex, m.parse = im.regex, im.parse
		default:
			m.regex = "[a-zA-Z]+"
			lookup := map[string]float64{}
			switch p.component {
			case 'M', 'x':
				for i, name := range monthNames {
					if p.widthMax > 0 {
						name = name[:min(p.widthMax, len(name))]
					}
					lookup[name] = float64(i + 1)
				}
			case 'F':
				for i, name := range dayNames[1:] {
					if p.widthMax > 0 {
						name = name[:min(p.widthMax, len(name))]
					}
					lookup[name] = float64(i + 1)
				}
			case 'P':
				lookup = map[string]float64{"am": 0, "AM": 0, "pm": 1, "PM": 1}
			default:
				return nil, withInfo("D3133", errInfo{value: string(p.component), hasValue: true})
			}
			m.parse = func(v string) float64 {
				if n, ok := lookup[v]; ok {
					return n
				}
				return math.NaN()
			}
		}
		m.component = p.component
		out = append(out, m)
	}
	return out, nil
}

// parseDateTime reads a timestamp laid out by picture; components the picture
// leaves out before the first one it has come from now, those after default to
// their minimum (jsonata-js's parseDateTime).
func parseDateTime(timestamp, picture string, now time.Time) (any, error) {
	parts, err := analyseDateTimePicture(picture)
	if err != nil {
		return nil, err
	}
	matchers, err := dateTimeMatchers(parts)
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	b.WriteString("(?i)^")
	for _, m := range matchers {
		b.WriteString("(" + m.regex + ")")
	}
	b.WriteString("$")
	re, err := regexp.Compile(b.String())
	if err != nil {
		return undefinedValue{}, nil
	}
	info := re.FindStringSubmatch(timestamp)
	if info == nil {
		return undefinedValue{}, nil
	}
	components := map[byte]float64{}
	for i := 1; i < len(info); i++ {
		if m := matchers[i-1]; m.parse != nil {
			components[m.component] = m.parse(info[i])
		}
	}
	if len(components) == 0 {
		return undefinedValue{}, nil
	}
	// The masks below (from jsonata-js) recognise which calendar the picture
	// used from the components present, in the order YXMxWwdD and PHhmsf:
	// year-month-day, year-day of year, or the ISO week forms (not supported,
	// D3136); and a 24-hour or 12-hour clock.
	const dmA, dmB, dmC, dmD = 161, 130, 84, 72
	const tmA, tmB = 23, 47
	mask := 0
	shift := func(part byte) {
		mask <<= 1
		if v, ok := components[part]; ok && v != 0 && !math.IsNaN(v) {
			mask++
		}
	}
	isType := func(t int) bool { return (^t&mask) == 0 && (t&mask) != 0 }
	for _, c := range []byte("YXMxWwdD") {
		shift(c)
	}
	dateA := isType(dmA)
	dateB := !dateA && isType(dmB)
	dateC := isType(dmC)
	dateD := !dateC && isType(dmD)
	mask = 0
	for _, c := range []byte("PHhmsf") {
		shift(c)
	}
	timeA := isType(tmA)
	timeB := !timeA && isType(tmB)
	dateComps := "YMD"
	switch {
	case dateB:
		dateComps = "YD"
	case dateC:
		dateComps = "XxwF"
	case dateD:
		dateComps = "XWF"
	}
	timeComps := "Hmsf"
	if timeB {
		timeComps = "Phmsf"
	}
	nowT := now.UTC()
	startSpecified, endSpecified := false, false
	for _, part := range []byte(dateComps + timeComps) {
		if _, ok := components[part]; !ok {
			if startSpecified {
				if strings.IndexByte("MDd", part) >= 0 {
					components[part] = 1
				} else {
					components[part] = 0
				}
				endSpecified = true
			} else {
				v := dateFragment(nowT, part)
				switch t := v.(type) {
				case float64:
					components[part] = t
				case string:
					if t == "pm" {
						components[part] = 1
					} else {
						components[part] = 0
					}
				}
			}
			continue
		}
		startSpecified = true
		if endSpecified {
			return nil, newErr("D3136", 0, "")
		}
	}
	if components['M'] > 0 {
		components['M']--
	} else {
		components['M'] = 0
	}
	if dateB {
		firstJan := dateUTC(components['Y'], 0, 1, 0, 0, 0, 0)
		derived := msTime(firstJan + (components['d']-1)*millisInADay)
		components['M'] = float64(int(derived.Month()) - 1)
		components['D'] = float64(derived.Day())
	}
	if dateC || dateD {
		return nil, newErr("D3136", 0, "")
	}
	if timeB {
		h := components['h']
		if h == 12 {
			h = 0
		}
		if components['P'] == 1 {
			h += 12
		}
		components['H'] = h
	}
	millis := dateUTC(components['Y'], components['M'], components['D'], components['H'], components['m'], components['s'], components['f'])
	if z, ok := components['Z']; ok && z != 0 {
		millis -= z * 60 * 1000
	} else if z, ok := components['z']; ok && z != 0 {
		millis -= z * 60 * 1000
	}
	return millis, nil
}
