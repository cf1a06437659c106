package repos_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"stepline"
)

// requireCode checks that err is a *stepline.Error with code.
func requireCode(t *testing.T, err error, code string) {
	t.Helper()
	var se *stepline.Error
	require.True(t, errors.As(err, &se), "want %s, got %v", code, err)
	require.Equal(t, code, se.Code, se.Message)
}
