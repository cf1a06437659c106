package sfn

import (
	"unicode"
	"unicode/utf8"

	"stepline"
)

// nameMaxLen is the Name shape's limit in AWS's model.
const nameMaxLen = 80

// ValidName reports whether name is a valid state machine, activity or execution name.
// AWS's rule (API_CreateStateMachine, "name"): 1–80 characters, none of them
// whitespace, brackets < > { } [ ], wildcards ? *, special characters
// " # % \ ^ | ~ ` $ & , ; : /, control characters (U+0000–001F, U+007F–009F), or the
// non-characters U+FFFE–FFFF and surrogates. Non-ASCII letters are allowed.
func ValidName(name string) bool {
	if name == "" || !utf8.ValidString(name) || utf8.RuneCountInString(name) > nameMaxLen {
		return false
	}
	for _, r := range name {
		switch {
		case r <= 0x1f, r >= 0x7f && r <= 0x9f:
			return false
		case r == 0xfffe, r == 0xffff, r >= 0xd800 && r <= 0xdfff, r == 0x10ffff:
			return false
		case unicode.IsSpace(r):
			return false
		}
		switch r {
		case '<', '>', '{', '}', '[', ']', '?', '*', '"', '#', '%', '\\', '^', '|', '~', '`', '$', '&', ',', ';', ':', '/':
			return false
		}
	}
	return true
}

// checkName returns AWS's InvalidName error for a bad name.
func checkName(name string) error {
	if !ValidName(name) {
		return stepline.Errorf("InvalidName", "Invalid Name: '%s'", name)
	}
	return nil
}

// aliasNamePattern is the alias name pattern from AWS's model, quoted in its message.
const aliasNamePattern = `^(?=.*[a-zA-Z_\-\.])[a-zA-Z0-9_\-\.]+$`

// ValidAliasName reports whether name fits the CharacterRestrictedName shape
// ^(?=.*[a-zA-Z_\-\.])[a-zA-Z0-9_\-\.]+$ (at most 80): letters, digits, "_", "-", "."
// and not digits only, so an alias can never be mistaken for a version number.
func ValidAliasName(name string) bool {
	if name == "" || len(name) > nameMaxLen {
		return false
	}
	nonDigit := false
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c >= '0' && c <= '9':
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '_', c == '-', c == '.':
			nonDigit = true
		default:
			return false
		}
	}
	return nonDigit
}

// checkAliasName returns AWS's model-constraint ValidationException for a bad alias name.
func checkAliasName(name string) error {
	if len(name) > nameMaxLen {
		return validationf("1 validation error detected: Value '%s' at 'name' failed to satisfy constraint: "+
			"Member must have length less than or equal to 80", name)
	}
	if !ValidAliasName(name) {
		return validationf("1 validation error detected: Value '%s' at 'name' failed to satisfy constraint: "+
			"Member must satisfy regular expression pattern: %s", name, aliasNamePattern)
	}
	return nil
}

// validationf returns a ValidationException.
func validationf(format string, args ...any) *stepline.Error {
	return stepline.Errorf("ValidationException", format, args...)
}
