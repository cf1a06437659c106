package asl

import (
	"math"

	"stepline/asl/intrinsic"
	"stepline/jsonata"
	"stepline/jsonvalue"
)

// stepFunctions returns the functions Step Functions adds to JSONata
// (https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html):
// $partition, $range, $hash, $random, $uuid and $parse. The random ones draw from the
// execution's seeded source so that replays give the same values.
func (r *run) stepFunctions() map[string]jsonata.Func {
	return map[string]jsonata.Func{
		"partition": fnPartition,
		"range":     fnRange,
		"hash":      fnHash,
		"parse":     fnParse,
		"uuid": func(args []any) (any, bool, error) {
			return r.s.uuid(), true, nil
		},
		"random": func(args []any) (any, bool, error) {
			if len(args) > 0 && args[0] != nil {
				seed, _ := jsonvalue.Float(args[0])
				tmp := State{rng: math.Float64bits(seed)}
				return tmp.float64(), true, nil
			}
			return r.s.float64(), true, nil
		},
	}
}

func funcError(code, msg string) error { return &jsonata.Error{Code: code, Message: msg} }

// fnPartition is $partition(array, size): chunks of size, the last one shorter.
func fnPartition(args []any) (any, bool, error) {
	if len(args) != 2 {
		return nil, false, funcError("T0410", "$partition expects an array and a size")
	}
	arr, ok := args[0].([]any)
	size, ok2 := jsonvalue.Int(args[1])
	if !ok || !ok2 || size <= 0 {
		return nil, false, funcError("T0410", "$partition expects an array and a positive size")
	}
	out := []any{}
	for i := 0; i < len(arr); i += int(size) {
		end := min(i+int(size), len(arr))
		out = append(out, append([]any(nil), arr[i:end]...))
	}
	return out, true, nil
}

// fnRange is $range(start, end, step): inclusive of end, step may be negative, and
// capped at 1000 items like States.ArrayRange.
func fnRange(args []any) (any, bool, error) {
	if len(args) != 3 {
		return nil, false, funcError("T0410", "$range expects start, end and step")
	}
	start, ok1 := jsonvalue.Int(args[0])
	end, ok2 := jsonvalue.Int(args[1])
	step, ok3 := jsonvalue.Int(args[2])
	if !ok1 || !ok2 || !ok3 || step == 0 {
		return nil, false, funcError("T0410", "$range expects integers and a non-zero step")
	}
	out := []any{}
	for i := start; (step > 0 && i <= end) || (step < 0 && i >= end); i += step {
		out = append(out, float64(i))
		if len(out) > 1000 {
			return nil, false, funcError("D3001", "$range produces more than 1000 items")
		}
	}
	return out, true, nil
}

func fnHash(args []any) (any, bool, error) {
	if len(args) != 2 {
		return nil, false, funcError("T0410", "$hash expects data and an algorithm")
	}
	data, ok := args[0].(string)
	alg, ok2 := args[1].(string)
	if !ok || !ok2 {
		return nil, false, funcError("T0410", "$hash expects strings")
	}
	digest, ok := intrinsic.HashHex(data, alg)
	if !ok {
		return nil, false, funcError("T0410", "unsupported hash algorithm "+alg)
	}
	return digest, true, nil
}

// fnParse is $parse(text): Step Functions' replacement for $eval, which it removes.
func fnParse(args []any) (any, bool, error) {
	if len(args) != 1 {
		return nil, false, funcError("T0410", "$parse expects one string")
	}
	s, ok := args[0].(string)
	if !ok {
		return nil, false, funcError("T0410", "$parse expects a string")
	}
	v, err := jsonvalue.ParseString(s)
	if err != nil {
		return nil, false, funcError("D3140", "Malformed JSON: "+err.Error())
	}
	return v, true, nil
}
