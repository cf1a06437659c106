package web

// graphView is what the graph partial draws: the laid-out definition and, on an
// execution's page, the outcome of each state entered.
type graphView struct {
	Diagram  Diagram
	Outcomes map[string]string // state name to outcome; nil on a state machine's page
	Err      string            // why there is no drawing
}

// maxDrawnStates bounds the states drawn; past it the page shows the definition only,
// since a drawing that large is unreadable and slow to lay out.
const maxDrawnStates = 500

// newGraphView lays out a definition for drawing.
func newGraphView(definition string, outcomes map[string]string) graphView {
	g, err := ParseGraph(definition)
	if err != nil {
		return graphView{Err: "The definition could not be drawn: " + err.Error()}
	}
	if n := countStates(g); n > maxDrawnStates {
		return graphView{Err: "The definition has too many states to draw."}
	}
	return graphView{Diagram: LayoutGraph(g), Outcomes: outcomes}
}

func countStates(g *Graph) int {
	n := len(g.Nodes)
	for _, node := range g.Nodes {
		for _, c := range node.Children {
			n += countStates(c)
		}
	}
	return n
}
