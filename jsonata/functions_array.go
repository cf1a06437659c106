package jsonata

// fnZip is $zip: tuples of the items at each index, as long as the shortest array.
func fnZip(_ call, args []any) (any, error) {
	result := []any{}
	if len(args) == 0 {
		return result, nil
	}
	n := -1
	lists := make([][]any, len(args))
	for i, a := range args {
		items, ok := arrayItems(a)
		if !ok {
			items = nil
		}
		lists[i] = items
		if n < 0 || len(items) < n {
			n = len(items)
		}
	}
	for i := 0; i < n; i++ {
		t := make([]any, len(lists))
		for j, l := range lists {
			t[j] = l[i]
		}
		result = append(result, t)
	}
	return result, nil
}

// fnAppend is $append: the concatenation of two values, either of which may be a single value.
func fnAppend(_ call, args []any) (any, error) {
	return appendValues(arg(args, 0), arg(args, 1)), nil
}

// fnReverse is $reverse: a reversed copy (the input is never modified).
func fnReverse(_ call, args []any) (any, error) {
	a := arg(args, 0)
	items, ok := arrayItems(a)
	if !ok || len(items) <= 1 {
		return a, nil
	}
	out := make([]any, len(items))
	for i, v := range items {
		out[len(items)-1-i] = v
	}
	return out, nil
}

// fnShuffle is $shuffle, an inside-out Fisher-Yates shuffle with the evaluation's
// random source (seeded from Env.Now, so the package stays deterministic).
func fnShuffle(c call, args []any) (any, error) {
	a := arg(args, 0)
	items, ok := arrayItems(a)
	if !ok || len(items) <= 1 {
		return a, nil
	}
	out := make([]any, len(items))
	rng := c.ev.random()
	for i, v := range items {
		j := rng.IntN(i + 1)
		if i != j {
			out[i] = out[j]
		}
		out[j] = v
	}
	return out, nil
}

// fnDistinct is $distinct: items compared by deep equality, first occurrences kept in
// order. A non-array is returned as it is.
func fnDistinct(_ call, args []any) (any, error) {
	a := arg(args, 0)
	items, ok := arrayItems(a)
	if !ok || len(items) <= 1 {
		return a, nil
	}
	results := make([]any, 0, len(items))
	for _, v := range items {
		found := false
		for _, r := range results {
			if deepEqual(v, r) {
				found = true
				break
			}
		}
		if !found {
			results = append(results, v)
		}
	}
	if isSequence(a) {
		return &array{items: results, seq: true}, nil
	}
	return results, nil
}
