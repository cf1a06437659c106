package asl

func (r *run) execMap(f *frame, n *node) {
	r.failFrame(f, *r.runtimeFailure(f, "Map is not supported yet"))
}

func (r *run) iterationDone(p, k *frame) {}
