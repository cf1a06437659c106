package web

import (
	"math"
	"testing"

	"stepline/sfn/samples"
)

// FuzzLayout feeds arbitrary definitions to the parser and the layout: neither may
// panic, and every coordinate of a drawing must be a finite number inside it.
func FuzzLayout(f *testing.F) {
	all, _ := samples.All()
	for _, t := range all {
		f.Add(t.Definition)
	}
	f.Add(`{"StartAt":"A","States":{"A":{"Type":"Choice","Choices":[{"Next":"A"},{"Next":5}],"Default":"A"}}}`)
	f.Add(`{"StartAt":"M","States":{"M":{"Type":"Map","Iterator":{"StartAt":"X","States":{"X":{"Type":"Pass","Next":"X"}}},"End":true}}}`)
	f.Add(`{"States":{"":{"Type":""}}}`)
	f.Fuzz(func(t *testing.T, def string) {
		g, err := ParseGraph(def)
		if err != nil {
			return
		}
		if countStates(g) > maxDrawnStates {
			return
		}
		d := LayoutGraph(g)
		for _, b := range d.Boxes {
			for _, v := range []float64{b.X, b.Y, b.W, b.H} {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					t.Fatalf("box %q has a non-finite coordinate", b.Name)
				}
			}
			if b.X < 0 || b.Y < 0 || b.X+b.W > d.Width+0.01 || b.Y+b.H > d.Height+0.01 {
				t.Fatalf("box %q outside the drawing", b.Name)
			}
		}
		for _, e := range d.Edges {
			for _, p := range e.Points {
				if math.IsNaN(p.X) || math.IsNaN(p.Y) || math.IsInf(p.X, 0) || math.IsInf(p.Y, 0) {
					t.Fatal("edge with a non-finite point")
				}
			}
		}
	})
}
