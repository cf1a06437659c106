package jsonata

func fnToMillis(_ *call, args []any) (any, error)         { return undefinedValue{}, nil }
func fnFromMillis(_ *call, args []any) (any, error)       { return fromMillis(0, nil, nil) }
func fromMillis(ms float64, picture, tz any) (any, error) { return undefinedValue{}, nil }
