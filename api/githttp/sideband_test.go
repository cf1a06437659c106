package githttp_test

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestPushPrintsServerMessages(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.mustCreate(t, "talk")
	a := b.mustClone(t, "talk")
	c1 := MustCommitFile(t, a, "a.txt", "one\n")
	out := MustGit(t, a, "push", "origin", "main")
	require.Contains(t, out, "remote: stepline: refs/heads/main is now "+c1[:12])
	require.Contains(t, out, "main -> main")

	MustGit(t, a, "push", "origin", "main:refs/heads/gone")
	out = MustGit(t, a, "push", "origin", ":refs/heads/gone")
	require.Contains(t, out, "remote: stepline: deleted refs/heads/gone")
	require.Contains(t, out, "[deleted]")

	// A refused update: the server's reason and its advice both reach the client.
	out, err := git(t, a, "push", "origin", "main:refs/heads/main/sub")
	require.Error(t, err)
	require.Contains(t, out, "remote: stepline: refs/heads/main/sub not updated")
	require.Contains(t, out, "[remote rejected]")
}
