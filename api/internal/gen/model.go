package main

import (
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
)

// model is the part of a botocore service-2.json the generator reads.
type model struct {
	Metadata struct {
		Protocol     string `json:"protocol"`
		JSONVersion  string `json:"jsonVersion"`
		TargetPrefix string `json:"targetPrefix"`
		ServiceID    string `json:"serviceId"`
		APIVersion   string `json:"apiVersion"`
	} `json:"metadata"`
	Operations orderedMap[operation] `json:"operations"`
	Shapes     orderedMap[shape]     `json:"shapes"`
}

type operation struct {
	Name   string    `json:"name"`
	Input  *shapeRef `json:"input"`
	Output *shapeRef `json:"output"`
}

type shapeRef struct {
	Shape string `json:"shape"`
}

type shape struct {
	Type      string             `json:"type"`
	Members   orderedMap[member] `json:"members"`
	Required  []string           `json:"required"`
	Member    *shapeRef          `json:"member"`
	Key       *shapeRef          `json:"key"`
	Value     *shapeRef          `json:"value"`
	Enum      []string           `json:"enum"`
	Pattern   *string            `json:"pattern"`
	Min       *json.Number       `json:"min"`
	Max       *json.Number       `json:"max"`
	Sensitive bool               `json:"sensitive"`
	Exception bool               `json:"exception"`
	Document  bool               `json:"document"`
	Doc       string             `json:"documentation"`
}

type member struct {
	Shape string `json:"shape"`
}

// orderedMap is a JSON object that remembers its key order, because the
// generated code keeps the model's member and operation order.
type orderedMap[T any] struct {
	Keys   []string
	Values map[string]T
}

func (m *orderedMap[T]) UnmarshalJSON(b []byte) error {
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return fmt.Errorf("read object: %w", err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return fmt.Errorf("want object, got %v", tok)
	}
	m.Values = map[string]T{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return fmt.Errorf("read key: %w", err)
		}
		key, _ := tok.(string)
		var v T
		if err := dec.Decode(&v); err != nil {
			return fmt.Errorf("decode %s: %w", key, err)
		}
		m.Keys = append(m.Keys, key)
		m.Values[key] = v
	}
	return nil
}

// loadModel reads a service-2.json, gzip-compressed or not (botocore ships
// both, depending on the release).
func loadModel(path string) (*model, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open model: %w", err)
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(path, ".gz") {
		gz, err := gzip.NewReader(f)
		if err != nil {
			return nil, fmt.Errorf("gunzip model: %w", err)
		}
		defer gz.Close()
		r = gz
	}
	var m model
	if err := json.NewDecoder(r).Decode(&m); err != nil {
		return nil, fmt.Errorf("decode model %s: %w", path, err)
	}
	return &m, nil
}
