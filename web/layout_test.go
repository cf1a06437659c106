package web

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"stepline/sfn/samples"
)

func mustGraph(t *testing.T, def string) *Graph {
	t.Helper()
	g, err := ParseGraph(def)
	require.NoError(t, err)
	return g
}

func boxByName(t *testing.T, d Diagram, name string) DiagramBox {
	t.Helper()
	for _, b := range d.Boxes {
		if b.Name == name && b.Kind != BoxBranch {
			return b
		}
	}
	require.Failf(t, "no box", "%q", name)
	return DiagramBox{}
}

func inside(inner, outer DiagramBox) bool {
	return inner.X >= outer.X && inner.Y >= outer.Y && inner.X+inner.W <= outer.X+outer.W && inner.Y+inner.H <= outer.Y+outer.H
}

func overlap(a, b DiagramBox) bool {
	return a.X < b.X+b.W && b.X < a.X+a.W && a.Y < b.Y+b.H && b.Y < a.Y+a.H
}

func TestParseGraphHelloWorld(t *testing.T) {
	t.Parallel()
	tpl, _, err := samples.Get("HelloWorld")
	require.NoError(t, err)
	g := mustGraph(t, tpl.Definition)
	var names []string
	for _, n := range g.Nodes {
		names = append(names, n.Name)
	}
	require.Equal(t, []string{"Pass", "Hello World example?", "Yes", "No", "Wait 3 sec", "Parallel State", "Hello World"}, names)
	require.Len(t, g.Nodes[5].Children, 2)
	require.Contains(t, g.Edges, GraphEdge{From: "Hello World example?", To: "Yes", Kind: EdgeChoice, Label: "$.IsHelloWorldExample == true"})
	require.Contains(t, g.Edges, GraphEdge{From: "Hello World example?", To: "Yes", Kind: EdgeDefault, Label: "Default"})
	require.True(t, g.Nodes[3].Terminal, "a Fail state ends the execution")
}

func TestLayoutHelloWorld(t *testing.T) {
	t.Parallel()
	tpl, _, err := samples.Get("HelloWorld")
	require.NoError(t, err)
	d := LayoutGraph(mustGraph(t, tpl.Definition))

	// Rows go down in the order of the walk.
	order := []string{"Start", "Pass", "Hello World example?", "Yes", "Wait 3 sec", "Parallel State", "Hello World", "End"}
	for i := 1; i < len(order); i++ {
		above, below := boxByName(t, d, order[i-1]), boxByName(t, d, order[i])
		require.Less(t, above.Y+above.H, below.Y, "%s above %s", order[i-1], order[i])
	}
	// End sits one row below the last state, with no empty row between.
	last, end := boxByName(t, d, "Hello World"), boxByName(t, d, "End")
	require.Less(t, end.Y-(last.Y+last.H), rowGap+nodeH, "no empty row above End")

	// The two Choice targets share a row, side by side.
	yes, no := boxByName(t, d, "Yes"), boxByName(t, d, "No")
	require.Equal(t, yes.Y, no.Y)
	require.False(t, overlap(yes, no))

	// Parallel branches sit inside their group.
	group := boxByName(t, d, "Parallel State")
	require.Equal(t, BoxGroup, group.Kind)
	require.True(t, inside(boxByName(t, d, "Hello"), group))
	require.True(t, inside(boxByName(t, d, "World"), group))
	require.False(t, overlap(boxByName(t, d, "Hello"), boxByName(t, d, "World")))

	// No two boxes of the same nesting overlap, and everything is inside the drawing.
	for i, a := range d.Boxes {
		require.GreaterOrEqual(t, a.X, 0.0)
		require.LessOrEqual(t, a.X+a.W, d.Width)
		require.LessOrEqual(t, a.Y+a.H, d.Height)
		for _, b := range d.Boxes[i+1:] {
			if a.Kind == BoxGroup || b.Kind == BoxGroup || a.Kind == BoxBranch || b.Kind == BoxBranch {
				continue
			}
			require.False(t, overlap(a, b), "%s and %s overlap", a.Name, b.Name)
		}
	}
	// Each edge ends on the top border of its target.
	for _, e := range d.Edges {
		require.GreaterOrEqual(t, len(e.Points), 2)
	}
	// The Fail state's line to End runs through its own lane: it never crosses a box
	// of the rows between them.
	require.Equal(t, d, LayoutGraph(mustGraph(t, tpl.Definition)), "layout is deterministic")
}

func TestLayoutEdgesAvoidBoxes(t *testing.T) {
	t.Parallel()
	tpl, _, err := samples.Get("HelloWorld")
	require.NoError(t, err)
	d := LayoutGraph(mustGraph(t, tpl.Definition))
	for _, e := range d.Edges {
		for i := 1; i < len(e.Points); i++ {
			a, b := e.Points[i-1], e.Points[i]
			for _, box := range d.Boxes {
				if box.Kind != BoxState {
					continue
				}
				// A segment may touch a box only at its ends (leaving or arriving).
				seg := DiagramBox{X: min(a.X, b.X), Y: min(a.Y, b.Y), W: max(a.X, b.X) - min(a.X, b.X) + 0.01, H: max(a.Y, b.Y) - min(a.Y, b.Y) + 0.01}
				shrunk := DiagramBox{X: box.X + 1, Y: box.Y + 1, W: box.W - 2, H: box.H - 2}
				require.False(t, overlap(seg, shrunk), "edge segment %v-%v crosses %s", a, b, box.Name)
			}
		}
	}
}

func TestLayoutLoopIsBackEdge(t *testing.T) {
	t.Parallel()
	g := mustGraph(t, `{"StartAt":"Poll","States":{
		"Poll":{"Type":"Task","Resource":"arn:aws:states:::activity:x","Next":"Done?"},
		"Done?":{"Type":"Choice","Choices":[{"Variable":"$.done","BooleanEquals":true,"Next":"Finish"}],"Default":"Wait"},
		"Wait":{"Type":"Wait","Seconds":5,"Next":"Poll"},
		"Finish":{"Type":"Succeed"}}}`)
	d := LayoutGraph(g)
	backs := 0
	for _, e := range d.Edges {
		if e.Back {
			backs++
			last := e.Points[len(e.Points)-1]
			poll := boxByName(t, d, "Poll")
			require.InDelta(t, poll.X+poll.W, last.X, 0.01, "a loop comes back into its target's right side")
			require.Greater(t, e.Points[1].X, poll.X+poll.W)
		}
	}
	require.Equal(t, 1, backs)
	require.Less(t, boxByName(t, d, "Poll").Y, boxByName(t, d, "Wait").Y)
}

func TestLayoutMapAndCatch(t *testing.T) {
	t.Parallel()
	g := mustGraph(t, `{"StartAt":"Each","States":{
		"Each":{"Type":"Map","ItemProcessor":{"StartAt":"Work","States":{"Work":{"Type":"Pass","End":true}}},
			"Catch":[{"ErrorEquals":["States.ALL"],"Next":"Oops"}],"Next":"Ok"},
		"Ok":{"Type":"Succeed"},"Oops":{"Type":"Fail","Error":"E"}}}`)
	d := LayoutGraph(g)
	each := boxByName(t, d, "Each")
	require.Equal(t, BoxGroup, each.Kind)
	require.True(t, inside(boxByName(t, d, "Work"), each))
	var catch *DiagramEdge
	for i := range d.Edges {
		if d.Edges[i].Kind == EdgeCatch {
			catch = &d.Edges[i]
		}
	}
	require.NotNil(t, catch)
	require.Equal(t, "Catch States.ALL", catch.Labels[0].Text)
}

func TestParseGraphIsLenient(t *testing.T) {
	t.Parallel()
	_, err := ParseGraph("not json")
	require.Error(t, err)

	// A transition to a missing state is dropped; the states still draw.
	g := mustGraph(t, `{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"Gone"},"B":{"Type":"Pass","End":true}}}`)
	require.Len(t, g.Nodes, 2)
	require.Empty(t, g.Edges)
	d := LayoutGraph(g)
	require.NotZero(t, d.Width)

	// Nothing at all still lays out.
	require.Equal(t, Diagram{}, LayoutGraph(nil))
	d = LayoutGraph(mustGraph(t, `{}`))
	require.NotEmpty(t, d.Boxes)

	// Absurd nesting is refused rather than recursed into.
	def := strings.Repeat(`{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[`, 40) + `{}` + strings.Repeat(`]}}}`, 40)
	_, err = ParseGraph(def)
	require.Error(t, err)
}

func TestLayoutLongChain(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString(`{"StartAt":"S0","States":{`)
	const n = 400
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		if i == n-1 {
			b.WriteString(`"S` + strconv.Itoa(i) + `":{"Type":"Pass","End":true}`)
		} else {
			b.WriteString(`"S` + strconv.Itoa(i) + `":{"Type":"Pass","Next":"S` + strconv.Itoa(i+1) + `"}`)
		}
	}
	b.WriteString(`}}`)
	d := LayoutGraph(mustGraph(t, b.String()))
	require.Len(t, d.Boxes, n+2)
}

func BenchmarkLayoutHelloWorld(b *testing.B) {
	tpl, _, _ := samples.Get("HelloWorld")
	for b.Loop() {
		g, _ := ParseGraph(tpl.Definition)
		LayoutGraph(g)
	}
}
