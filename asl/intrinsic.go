package asl

// intrinsic evaluates an intrinsic function call in a ".$" field.
func (r *run) intrinsic(f *frame, expr string, input any, key string, ctx func() any) (any, *failure) {
	return nil, r.runtimeFailure(f, "Intrinsic functions are not supported yet: "+expr)
}
