package validate

import "time"

// validTimestamp reports whether s is an RFC 3339 date-time with an uppercase T and
// a Z or numeric offset, with a real calendar date and time (AWS rejects
// 2016-13-05T21:29:29Z, 2016-12-05T25:29:29Z and a missing zone).
func validTimestamp(s string) bool {
	if len(s) < len("2006-01-02T15:04:05Z") || s[10] != 'T' {
		return false
	}
	for _, layout := range []string{time.RFC3339Nano, time.RFC3339} {
		if _, err := time.Parse(layout, s); err == nil {
			// time.Parse accepts a lowercase z; the specification wants "Z".
			last := s[len(s)-1]
			return last != 'z'
		}
	}
	return false
}
