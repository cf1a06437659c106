package jsonata

func fnFormatNumber(_ *call, args []any) (any, error)  { return undefinedValue{}, nil }
func fnFormatInteger(_ *call, args []any) (any, error) { return undefinedValue{}, nil }
func fnParseInteger(_ *call, args []any) (any, error)  { return undefinedValue{}, nil }
