package awsjson_test

import (
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"

	"stepline/api/awsjson"
)

// TestValidatorMessageOrder replays violations whose order AWS recorded:
// within a member, messages come out of a Java HashSet.
func TestValidatorMessageOrder(t *testing.T) {
	t.Parallel()
	pw := regexp.MustCompile(`\A(?:[^\s]+.*[^\s]+)\z`)
	code := regexp.MustCompile(`\A(?:[^\s]+)\z`)

	// Cognito ConfirmForgotPassword with an empty code.
	var v awsjson.Validator
	v.Pattern("confirmationCode", "", false, `[\S]+`, code)
	v.StringLen("confirmationCode", "", false, 1, -1)
	require.EqualError(t, v.Err(), "ValidationException: 2 validation errors detected: "+
		"Value '' at 'confirmationCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\S]+; "+
		"Value '' at 'confirmationCode' failed to satisfy constraint: Member must have length greater than or equal to 1")

	// Cognito SignUp with a short password: length before pattern.
	v = awsjson.Validator{}
	v.Pattern("password", "x", true, `^[\S]+.*[\S]+$`, pw)
	v.StringLen("password", "x", true, 6, -1)
	require.EqualError(t, v.Err(), "ValidationException: 2 validation errors detected: "+
		"Value at 'password' failed to satisfy constraint: Member must have length greater than or equal to 6; "+
		"Value at 'password' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[\\S]+.*[\\S]+$")
}

func TestValidatorElements(t *testing.T) {
	t.Parallel()
	var elems awsjson.Validator
	elems.Enum("", "GetConnection", false, "[GET_THING_CONNECTIVITY_DATA]", false)
	var v awsjson.Validator
	v.Elements("includeSocketInformation", awsjson.ListString([]string{"GetConnection"}), false, &elems,
		"Member must satisfy constraint: [Member must satisfy enum value set: [GET_THING_CONNECTIVITY_DATA]]")
	require.EqualError(t, v.Err(), "ValidationException: 1 validation error detected: Value '[GetConnection]' at 'includeSocketInformation' "+
		"failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [GET_THING_CONNECTIVITY_DATA]]")
}

func TestValidatorNull(t *testing.T) {
	t.Parallel()
	var v awsjson.Validator
	v.Null("stateMachineArn", false)
	v.Null("definition", true)
	require.EqualError(t, v.Err(), "ValidationException: 2 validation errors detected: "+
		"Value null at 'stateMachineArn' failed to satisfy constraint: Member must not be null; "+
		"Value at 'definition' failed to satisfy constraint: Member must not be null")
}

func TestValidatorListsAtMostTen(t *testing.T) {
	t.Parallel()
	var v awsjson.Validator
	for i := range 12 {
		v.Null(awsjson.ListPath("items", i), false)
	}
	err := v.Err()
	require.ErrorContains(t, err, "10 validation errors detected: Value null at 'items.1.member'")
	require.NotContains(t, err.Error(), "items.11.member")
}
