package asl

func (r *run) execParallel(f *frame, n *node) {
	r.failFrame(f, *r.runtimeFailure(f, "Parallel is not supported yet"))
}

func (r *run) branchDone(p, k *frame) {}
