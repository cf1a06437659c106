package asl

import "fmt"

// next64 draws from the execution's seeded random source (splitmix64), so that
// replaying the same inputs draws the same numbers.
func (s *State) next64() uint64 {
	s.rng += 0x9e3779b97f4a7c15
	z := s.rng
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// float64 returns a number in [0, 1).
func (s *State) float64() float64 { return float64(s.next64()>>11) / (1 << 53) }

// uuid returns a version 4 UUID from the seeded source.
func (s *State) uuid() string {
	a, b := s.next64(), s.next64()
	a = (a &^ (0xf << 12)) | (0x4 << 12) // version 4
	b = (b &^ (0x3 << 62)) | (0x2 << 62) // RFC 4122 variant
	return fmt.Sprintf("%08x-%04x-%04x-%04x-%012x", a>>32, (a>>16)&0xffff, a&0xffff, b>>48, b&0xffffffffffff)
}
