package asl

import (
	"fmt"
	"math"

	"stepline/jsonvalue"
)

// batch groups a Map's items as ItemBatcher asks: each iteration gets
// {"BatchInput": ..., "Items": [...]} with at most MaxItemsPerBatch items and at most
// MaxInputBytesPerBatch bytes
// (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itembatcher.html).
// ItemSelector applies to each item before batching.
func (r *run) batch(f *frame, n *node, fo *fanOut, input any, states *jsonvalue.Object) *failure {
	b := n.batcher
	if b == nil {
		return nil
	}
	maxItems, fl := r.batchLimit(f, n, b, "MaxItemsPerBatch", input, states)
	if fl != nil {
		return fl
	}
	maxBytes, fl := r.batchLimit(f, n, b, "MaxInputBytesPerBatch", input, states)
	if fl != nil {
		return fl
	}
	if maxItems == 0 && maxBytes == 0 {
		maxItems = math.MaxInt32
	}
	var batchInput any
	hasInput := false
	if tmpl, ok := b.Get("BatchInput"); ok {
		hasInput = true
		if n.jsonata {
			batchInput, fl = r.evalTemplate(f, n, tmpl, states, "ItemBatcher/BatchInput")
		} else {
			batchInput, fl = r.expand(f, tmpl, input, "BatchInput", nil)
		}
		if fl != nil {
			return fl
		}
	}
	selected := make([]any, fo.items.len())
	for i := range selected {
		if selected[i], fl = r.iterationInput(f, n, fo, i, fo.items.get(i)); fl != nil {
			return fl
		}
	}
	fo.batched = true
	var batches []any
	var cur []any
	size := 0
	flush := func() {
		if len(cur) == 0 {
			return
		}
		o := jsonvalue.NewObject(2)
		if hasInput {
			o.Set("BatchInput", batchInput)
		}
		o.Set("Items", cur)
		batches = append(batches, o)
		cur, size = nil, 0
	}
	for _, item := range selected {
		itemSize := len(textOf(item)) + 1
		if len(cur) > 0 && ((maxItems > 0 && len(cur) >= maxItems) || (maxBytes > 0 && size+itemSize > maxBytes)) {
			flush()
		}
		cur = append(cur, item)
		size += itemSize
	}
	flush()
	fo.items = newLazyList(batches)
	return nil
}

// batchLimit evaluates MaxItemsPerBatch or MaxInputBytesPerBatch (or its Path form);
// 0 means no limit.
func (r *run) batchLimit(f *frame, n *node, b *jsonvalue.Object, field string, input any, states *jsonvalue.Object) (int, *failure) {
	var v any
	if states != nil {
		lit, ok := b.Get(field)
		if !ok {
			return 0, nil
		}
		var fl *failure
		if v, fl = r.evalTemplate(f, n, lit, states, "ItemBatcher/"+field); fl != nil {
			return 0, fl
		}
	} else if p := str(b, field+"Path"); p != "" {
		var fl *failure
		if v, fl = r.selectPath(f, p, input, field+"Path"); fl != nil {
			return 0, fl
		}
	} else {
		v, _ = b.Get(field)
		if v == nil {
			return 0, nil
		}
	}
	c, ok := jsonvalue.Int(v)
	if !ok || c <= 0 {
		return 0, r.runtimeFailure(f, fmt.Sprintf("field %s must be positive", field))
	}
	return int(min(c, math.MaxInt32)), nil
}
