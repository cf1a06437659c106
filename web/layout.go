package web

import (
	"cmp"
	"math"
	"slices"
)

// This file lays a Graph out as a Diagram: a pure function from states and
// transitions to boxes and polylines, so it can be tested without a browser. It is a
// small layered layout in the manner of Sugiyama: states get rows by longest path from
// the start (loops are set aside as back edges), transitions that skip rows get
// invisible waypoints so they keep a lane of their own, rows are ordered by the
// position of their predecessors, and Parallel and Map states are drawn as groups
// holding the layouts of their branches.

// Diagram is a laid-out state machine: every box and edge in absolute coordinates,
// groups before what they hold so an SVG painted in order shows nesting.
type Diagram struct {
	Width, Height float64
	Boxes         []DiagramBox
	Edges         []DiagramEdge
}

// Box kinds.
const (
	BoxState  = "state"  // a state that holds no other
	BoxGroup  = "group"  // a Parallel or Map state, holding branches
	BoxBranch = "branch" // one branch (or a Map's processor) inside a group
	BoxStart  = "start"  // the Start marker
	BoxEnd    = "end"    // the End marker
)

// DiagramBox is one rectangle of the drawing.
type DiagramBox struct {
	Kind       string // a Box constant
	Name       string // the state's name (empty for branches)
	Type       string // the ASL Type
	Label      string // the name as drawn, shortened when long
	X, Y, W, H float64
}

// DiagramEdge is one transition, drawn as a polyline ending in an arrow.
type DiagramEdge struct {
	Kind   string // an Edge constant
	From   string // the source state's name; empty for the Start marker
	To     string // the target state's name; empty for the End marker
	Back   bool   // goes to an earlier row (a loop); drawn around the right side
	Points []Point
	Labels []DiagramLabel
}

// DiagramLabel is a text drawn beside an edge, anchored at its middle.
type DiagramLabel struct {
	Text string
	X, Y float64
}

// Point is a position in the drawing.
type Point struct{ X, Y float64 }

// Layout dimensions, in SVG user units (CSS pixels at 100%).
const (
	nodeH       = 48.0
	nodeMinW    = 150.0
	nodeMaxName = 32 // runes of a name drawn before it is shortened
	nameCharW   = 7.6
	labelCharW  = 6.2
	markerW     = 72.0
	markerH     = 30.0
	rowGap      = 72.0
	colGap      = 28.0
	groupHead   = 44.0
	groupPad    = 14.0
	branchGap   = 18.0
	margin      = 16.0
	laneGap     = 14.0
	labelLineH  = 13.0
)

// node is a box or a waypoint while the layout is computed.
type node struct {
	kind  string
	name  string
	typ   string
	w, h  float64
	slot  float64 // width reserved in the row: the box or the labels above it
	rank  int
	order float64 // sort key within the row
	x, y  float64 // top left
	dummy bool
	subs  []Diagram // a group's branches, laid out in their own coordinates
}

func (n *node) cx() float64 { return n.x + n.w/2 }

// edge is a transition while the layout is computed; chain is the list of nodes it
// runs through, waypoints included.
type edge struct {
	from, to int
	kind     string
	labels   []string
	back     bool
	chain    []int
}

// LayoutGraph lays g out. The result depends on g alone.
func LayoutGraph(g *Graph) Diagram {
	if g == nil {
		return Diagram{}
	}
	nodes, edges := layoutNodes(g)
	classifyBack(nodes, edges)
	rankNodes(nodes, edges)
	edges, nodes = addWaypoints(nodes, edges)
	rowY := placeRows(nodes, edges)
	return flatten(nodes, edges, rowY)
}

// layoutNodes makes the nodes (Start, the states, End) and merges transitions that
// join the same two states, so one line carries all their labels.
func layoutNodes(g *Graph) ([]*node, []*edge) {
	var nodes []*node
	index := map[string]int{}
	add := func(n *node) int {
		nodes = append(nodes, n)
		n.order = float64(len(nodes))
		return len(nodes) - 1
	}
	start := -1
	if g.Top {
		start = add(&node{kind: BoxStart, name: "Start", w: markerW, h: markerH})
	}
	for _, gn := range g.Nodes {
		index[gn.Name] = add(stateNode(gn))
	}
	end := -1
	if g.Top {
		end = add(&node{kind: BoxEnd, name: "End", w: markerW, h: markerH})
	}
	var edges []*edge
	byPair := map[[2]int]*edge{}
	link := func(from, to int, kind, label string) {
		if e, ok := byPair[[2]int{from, to}]; ok {
			if label != "" {
				e.labels = append(e.labels, label)
			}
			return
		}
		e := &edge{from: from, to: to, kind: kind}
		if label != "" {
			e.labels = []string{label}
		}
		byPair[[2]int{from, to}] = e
		edges = append(edges, e)
	}
	if i, ok := index[g.StartAt]; ok && start >= 0 {
		link(start, i, EdgeNext, "")
	}
	for _, ge := range g.Edges {
		f, ok1 := index[ge.From]
		t, ok2 := index[ge.To]
		if ok1 && ok2 {
			link(f, t, ge.Kind, ge.Label)
		}
	}
	if end >= 0 {
		for _, gn := range g.Nodes {
			if gn.Terminal {
				link(index[gn.Name], end, EdgeNext, "")
			}
		}
	}
	return nodes, edges
}

// stateNode sizes a state's box; a group's size comes from its branches' layouts.
func stateNode(gn GraphNode) *node {
	n := &node{kind: BoxState, name: gn.Name, typ: gn.Type, h: nodeH}
	n.w = max(nodeMinW, float64(len([]rune(truncate(gn.Name, nodeMaxName))))*nameCharW+32)
	if len(gn.Children) == 0 {
		return n
	}
	n.kind = BoxGroup
	inner, tallest := 0.0, 0.0
	for i, child := range gn.Children {
		d := LayoutGraph(child)
		n.subs = append(n.subs, d)
		if i > 0 {
			inner += branchGap
		}
		inner += d.Width
		tallest = max(tallest, d.Height)
	}
	n.w = max(n.w, inner+2*groupPad)
	n.h = groupHead + tallest + groupPad
	return n
}

// classifyBack marks the edges that close a loop, found by a depth-first walk from the
// first node (Start, or the StartAt state) and then from any node not yet reached.
func classifyBack(nodes []*node, edges []*edge) {
	out := make([][]*edge, len(nodes))
	for _, e := range edges {
		out[e.from] = append(out[e.from], e)
	}
	const (
		unseen = iota
		onStack
		done
	)
	state := make([]int, len(nodes))
	// An explicit stack: a deep chain of states must not exhaust the goroutine stack.
	type frame struct{ n, next int }
	for root := range nodes {
		if state[root] != unseen {
			continue
		}
		stack := []frame{{n: root}}
		state[root] = onStack
		for len(stack) > 0 {
			top := &stack[len(stack)-1]
			if top.next == len(out[top.n]) {
				state[top.n] = done
				stack = stack[:len(stack)-1]
				continue
			}
			e := out[top.n][top.next]
			top.next++
			switch state[e.to] {
			case onStack:
				e.back = true
			case unseen:
				state[e.to] = onStack
				stack = append(stack, frame{n: e.to})
			}
		}
	}
}

// rankNodes gives each node the length of the longest forward path to it; End goes
// below everything.
func rankNodes(nodes []*node, edges []*edge) {
	indeg := make([]int, len(nodes))
	out := make([][]*edge, len(nodes))
	for _, e := range edges {
		if !e.back {
			indeg[e.to]++
			out[e.from] = append(out[e.from], e)
		}
	}
	var queue []int
	for i := range nodes {
		if indeg[i] == 0 {
			queue = append(queue, i)
		}
	}
	maxRank := -1 // of the nodes other than End
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		if nodes[n].kind != BoxEnd {
			maxRank = max(maxRank, nodes[n].rank)
		}
		for _, e := range out[n] {
			nodes[e.to].rank = max(nodes[e.to].rank, nodes[n].rank+1)
			if indeg[e.to]--; indeg[e.to] == 0 {
				queue = append(queue, e.to)
			}
		}
	}
	for _, n := range nodes {
		if n.kind == BoxEnd {
			n.rank = maxRank + 1
		}
	}
}

// addWaypoints gives each forward edge that skips rows one invisible node per row it
// crosses, so rows keep a lane free for it, and reserves room above each target for
// the labels of the edges arriving there.
func addWaypoints(nodes []*node, edges []*edge) ([]*edge, []*node) {
	for _, n := range nodes {
		n.slot = n.w
	}
	for _, e := range edges {
		e.chain = []int{e.from}
		if !e.back {
			src := nodes[e.from]
			for r := src.rank + 1; r < nodes[e.to].rank; r++ {
				nodes = append(nodes, &node{dummy: true, rank: r, w: 0, slot: 8, order: src.order + 0.5})
				e.chain = append(e.chain, len(nodes)-1)
			}
			t := nodes[e.to]
			for _, l := range e.labels {
				t.slot = max(t.slot, float64(len([]rune(l)))*labelCharW+8)
			}
		}
		e.chain = append(e.chain, e.to)
	}
	return edges, nodes
}

// placeRows sets every node's position and returns the top of each row.
func placeRows(nodes []*node, edges []*edge) []float64 {
	rows := map[int][]*node{}
	maxRank := 0
	for _, n := range nodes {
		rows[n.rank] = append(rows[n.rank], n)
		maxRank = max(maxRank, n.rank)
	}
	preds := make(map[*node][]*node, len(nodes))
	for _, e := range edges {
		if e.back {
			continue
		}
		for i := 1; i < len(e.chain); i++ {
			to := nodes[e.chain[i]]
			preds[to] = append(preds[to], nodes[e.chain[i-1]])
		}
	}
	rowY := make([]float64, maxRank+2)
	y := 0.0
	for r := 0; r <= maxRank; r++ {
		row := rows[r]
		h := 0.0
		for _, n := range row {
			h = max(h, n.h)
		}
		for _, n := range row {
			n.order = barycenter(n, preds[n])
		}
		slices.SortStableFunc(row, func(a, b *node) int { return cmp.Compare(a.order, b.order) })
		spreadRow(row)
		for _, n := range row {
			n.y = y + (h-n.h)/2
			if n.dummy {
				n.y, n.h = y, h
			}
		}
		rowY[r] = y
		y += h + rowGap
		rowY[r+1] = y
	}
	return rowY
}

// barycenter is where a node would like to be: under the middle of its
// predecessors, or where its order puts it when it has none.
func barycenter(n *node, preds []*node) float64 {
	if len(preds) == 0 {
		return n.order * 1e-3 // before any placed node, in the walk's order
	}
	sum := 0.0
	for _, p := range preds {
		sum += p.cx()
	}
	return sum / float64(len(preds))
}

// spreadRow places a sorted row at its nodes' wished centres, pushing right whatever
// would overlap, then shifts the row back by the mean push of its states so a fan of
// children stays centred under its parent.
func spreadRow(row []*node) {
	right := -1e18
	shift, counted := 0.0, 0
	for _, n := range row {
		want := n.order - n.slot/2
		left := max(want, right+colGap)
		if right == -1e18 {
			left = want
		}
		// Waypoints give way: only states count towards the shift, so a state keeps
		// its place under its parent and a passing line moves aside instead.
		if !n.dummy {
			shift += left - want
			counted++
		}
		n.x = left + (n.slot-n.w)/2
		right = left + n.slot
	}
	if counted == 0 {
		return
	}
	shift /= float64(counted)
	for _, n := range row {
		n.x -= shift
	}
}

// flatten turns the placed nodes into a Diagram with its origin at the top left
// margin, routing forward edges as vertical lines with elbows in the gaps between
// rows and loops around the right side.
func flatten(nodes []*node, edges []*edge, rowY []float64) Diagram {
	minX, maxX, maxY := 1e18, -1e18, 0.0
	for _, n := range nodes {
		minX = min(minX, n.x-(n.slot-n.w)/2)
		maxX = max(maxX, n.x+n.w+(n.slot-n.w)/2)
		maxY = max(maxY, n.y+n.h)
	}
	if len(nodes) == 0 {
		return Diagram{}
	}
	dx := margin - minX
	for _, n := range nodes {
		n.x += dx
		n.y += margin
	}
	maxX += dx
	var d Diagram
	for _, n := range nodes {
		if !n.dummy {
			d.appendNode(n)
		}
	}
	lane := maxX + laneGap
	for _, e := range edges {
		if e.back {
			de, width := backEdge(nodes[e.from], nodes[e.to], e, lane)
			lane += laneGap + width
			d.Edges = append(d.Edges, de)
			continue
		}
		d.Edges = append(d.Edges, forwardEdge(nodes, e, rowY))
	}
	d.Width = max(maxX, lane-laneGap) + margin
	d.Height = maxY + 2*margin
	return d
}

// appendNode adds a node's box and, for a group, its branches and their contents.
func (d *Diagram) appendNode(n *node) {
	d.Boxes = append(d.Boxes, DiagramBox{Kind: n.kind, Name: n.name, Type: n.typ,
		Label: truncate(n.name, nodeMaxName), X: n.x, Y: n.y, W: n.w, H: n.h})
	if n.kind != BoxGroup {
		return
	}
	inner := 0.0
	for i, s := range n.subs {
		if i > 0 {
			inner += branchGap
		}
		inner += s.Width
	}
	// Branches are centred in the group, which may be wider than they are for its name.
	x := n.x + (n.w-inner)/2
	y := n.y + groupHead
	tallest := n.h - groupHead - groupPad
	for _, s := range n.subs {
		d.Boxes = append(d.Boxes, DiagramBox{Kind: BoxBranch, Type: n.typ, X: x, Y: y, W: s.Width, H: tallest})
		for _, b := range s.Boxes {
			b.X += x
			b.Y += y
			d.Boxes = append(d.Boxes, b)
		}
		for _, e := range s.Edges {
			e.Points = slices.Clone(e.Points)
			for i := range e.Points {
				e.Points[i].X += x
				e.Points[i].Y += y
			}
			e.Labels = slices.Clone(e.Labels)
			for i := range e.Labels {
				e.Labels[i].X += x
				e.Labels[i].Y += y
			}
			d.Edges = append(d.Edges, e)
		}
		x += s.Width + branchGap
	}
}

// forwardEdge routes an edge down through its waypoints, with a horizontal elbow in
// the middle of each gap between rows.
func forwardEdge(nodes []*node, e *edge, rowY []float64) DiagramEdge {
	src := nodes[e.chain[0]]
	pts := []Point{{src.cx(), src.y + src.h}}
	for i := 1; i < len(e.chain); i++ {
		n := nodes[e.chain[i]]
		mid := rowY[n.rank] - rowGap/2 + margin
		prevX := pts[len(pts)-1].X
		if math.Abs(prevX-n.cx()) > 0.5 {
			pts = append(pts, Point{prevX, mid}, Point{n.cx(), mid})
		}
		pts = append(pts, Point{n.cx(), n.y})
		if n.dummy {
			pts = append(pts, Point{n.cx(), n.y + n.h})
		}
	}
	dst := nodes[e.to]
	de := DiagramEdge{Kind: e.kind, From: stateName(src), To: stateName(dst), Points: pts}
	// Labels stack upwards from just above the target, centred on the line.
	for i, l := range e.labels {
		de.Labels = append(de.Labels, DiagramLabel{Text: l, X: dst.cx(), Y: dst.y - 10 - float64(len(e.labels)-1-i)*labelLineH})
	}
	return de
}

// backEdge routes a loop out of the source's right side, up a lane right of the
// drawing, and into the target's right side. It returns the width its labels take.
func backEdge(src, dst *node, e *edge, lane float64) (DiagramEdge, float64) {
	sy, ty := src.y+src.h/2, dst.y+dst.h/2
	if src == dst {
		sy, ty = sy+8, sy-8
	}
	de := DiagramEdge{Kind: e.kind, From: stateName(src), To: stateName(dst), Back: true, Points: []Point{
		{src.x + src.w, sy}, {lane, sy}, {lane, ty}, {dst.x + dst.w, ty},
	}}
	width := 0.0
	for i, l := range e.labels {
		w := float64(len([]rune(l))) * labelCharW
		de.Labels = append(de.Labels, DiagramLabel{Text: l, X: lane + 6 + w/2, Y: (sy+ty)/2 + float64(i)*labelLineH})
		width = max(width, w+6)
	}
	return de, width
}

// stateName is the name of the state a node draws, or "" for a marker.
func stateName(n *node) string {
	if n.kind == BoxStart || n.kind == BoxEnd {
		return ""
	}
	return n.name
}
