package asl

import (
	"testing"

	"github.com/stretchr/testify/require"

	"stepline/jsonvalue"
)

func TestQuickPassChain(t *testing.T) {
	t.Parallel()
	m, err := Parse(`{"StartAt":"A","States":{"A":{"Type":"Pass","Result":{"x":1},"ResultPath":"$.r","Next":"B"},"B":{"Type":"Wait","Seconds":5,"Next":"C"},"C":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}}`)
	require.NoError(t, err)
	sc, err := parseScript("task C succeed {\"ok\":true}")
	require.NoError(t, err)
	res := runHarness(t, m, testInfo(), jsonvalue.MustParse(`{"in":1}`), sc, true)
	t.Log(formatHistory(res.events))
	require.NotNil(t, res.close)
	require.Equal(t, "SUCCEEDED", res.close.Status)
}
