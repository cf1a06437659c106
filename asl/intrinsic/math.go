package intrinsic

import (
	"math"

	"stepline/jsonvalue"
)

// evalMathAdd is States.MathAdd(a, b). Each operand is first rounded as Java's
// Math.round does (half up: 2.5 is 3, -2.5 is -2), then the integers are added.
func evalMathAdd(c *Call, _ *Env, args []any) (any, error) {
	var sum int64
	for i := range 2 {
		f, ok := jsonvalue.Float(args[i])
		if !ok || !jsonvalue.IsNumber(args[i]) {
			return nil, c.fail("the operands must be numbers, but got %s", jsonvalue.MarshalString(args[i]))
		}
		r := math.Floor(f + 0.5)
		if math.IsNaN(r) || r < math.MinInt32 || r > math.MaxInt32 {
			return nil, c.fail("the operand %s is outside the integer range", jsonvalue.MarshalString(args[i]))
		}
		sum += int64(r)
	}
	return sum, nil
}

// evalMathRandom is States.MathRandom(start, end[, seed]): an integer in [start, end).
// Without a seed it draws from the execution's random source; with one it is the value
// java.util.Random seeded so would give, the same on every run.
func evalMathRandom(c *Call, env *Env, args []any) (any, error) {
	start, err := c.argInt(args, 0, "start")
	if err != nil {
		return nil, err
	}
	end, err := c.argInt(args, 1, "end")
	if err != nil {
		return nil, err
	}
	if start < math.MinInt32 || end > math.MaxInt32 || start > math.MaxInt32 || end < math.MinInt32 {
		return nil, c.fail("start and end must be within the integer range")
	}
	if end <= start {
		return nil, c.fail("the end (%d) must be greater than the start (%d)", end, start)
	}
	bound := end - start
	if len(args) == 3 {
		seed, err := c.argInt(args, 2, "seed")
		if err != nil {
			return nil, err
		}
		return start + int64(newJavaRandom(seed).nextInt(int32(bound))), nil
	}
	return start + int64(env.rand()%uint64(bound)), nil
}

// javaRandom is java.util.Random's linear congruential generator, so that a seeded
// States.MathRandom gives the number a JVM would.
type javaRandom struct{ seed int64 }

const (
	javaMultiplier = 0x5DEECE66D
	javaMask       = (1 << 48) - 1
)

func newJavaRandom(seed int64) *javaRandom {
	return &javaRandom{seed: (seed ^ javaMultiplier) & javaMask}
}

func (r *javaRandom) next(bits uint) int32 {
	r.seed = (r.seed*javaMultiplier + 0xB) & javaMask
	return int32(uint64(r.seed) >> (48 - bits))
}

// nextInt is Random.nextInt(bound). Like Java int arithmetic, a bound computed as
// end-start may wrap negative; it then yields 0 instead of throwing.
func (r *javaRandom) nextInt(bound int32) int32 {
	if bound <= 0 {
		return 0
	}
	if bound&(-bound) == bound {
		return int32((int64(bound) * int64(r.next(31))) >> 31)
	}
	for {
		bits := r.next(31)
		val := bits % bound
		if bits-val+(bound-1) >= 0 {
			return val
		}
	}
}
