package jsonata

func fnFormatNumber(_ *call, args []any) (any, error) { return undefinedValue{}, nil }
