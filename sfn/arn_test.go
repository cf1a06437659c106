package sfn

import (
	"testing"

	"github.com/stretchr/testify/require"

	"stepline"
)

func TestParseARN(t *testing.T) {
	t.Parallel()
	t.Run("Version", func(t *testing.T) {
		t.Parallel()
		a, err := ParseARN("arn:aws:states:us-east-1:000000000000:stateMachine:Hello:3")
		require.NoError(t, err)
		require.True(t, a.IsVersion())
		require.False(t, a.IsAlias())
		require.Equal(t, "arn:aws:states:us-east-1:000000000000:stateMachine:Hello", a.Base())
	})
	t.Run("Alias", func(t *testing.T) {
		t.Parallel()
		a, err := ParseARN("arn:aws:states:us-east-1:000000000000:stateMachine:Hello:prod")
		require.NoError(t, err)
		require.True(t, a.IsAlias())
		require.Equal(t, "prod", a.Qualifier)
	})
	t.Run("Label", func(t *testing.T) {
		t.Parallel()
		a, err := ParseARN("arn:aws:states:us-east-1:000000000000:stateMachine:Hello/Map")
		require.NoError(t, err)
		require.Equal(t, "Hello", a.Name)
		require.Equal(t, "Map", a.Label)
	})
	t.Run("InvalidPrefix", func(t *testing.T) {
		t.Parallel()
		_, err := ParseARN("not_a_valid_arn")
		require.Equal(t, "Invalid Arn: 'Invalid ARN prefix: not_a_valid_arn'", err.(*stepline.Error).Message)
	})
	t.Run("WrongType", func(t *testing.T) {
		t.Parallel()
		_, err := parseStateMachineARN("arn:aws:states:us-east-1:000000000000:activity:A")
		require.Equal(t, "Invalid Arn: 'Resource type not valid in this context: activity'", err.(*stepline.Error).Message)
	})
}

func FuzzParseARN(f *testing.F) {
	f.Add("arn:aws:states:us-east-1:000000000000:stateMachine:Hello:3")
	f.Add("arn:aws:states:us-east-1:000000000000:express:a:b:c")
	f.Add("arn::::::")
	f.Fuzz(func(t *testing.T, s string) {
		a, err := ParseARN(s)
		if err != nil {
			var e *stepline.Error
			require.ErrorAs(t, err, &e)
			return
		}
		require.NotEmpty(t, a.Name)
	})
}
