package sfn

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"

	"stepline/asl"
	"stepline/store"
)

// kindExecDefinition holds the definitions executions run, keyed by the SHA-256 of
// their text: an execution names its definition instead of carrying it, so a
// transition rewrites a few hundred bytes rather than the whole definition, and the
// many executions of one definition share one record. Records are immutable and never
// deleted (a definition is small next to the histories that use it).
const kindExecDefinition = "execdef"

// definitions finds the parsed definition of an execution by its key, remembering
// which keys are stored and which are parsed.
type definitions struct {
	mu     sync.Mutex
	stored map[string]bool         // guarded by mu: keys known to be in the store
	parsed map[string]*asl.Machine // guarded by mu
}

// definitionsCacheMax bounds both maps; they are emptied when full (see machineCache).
const definitionsCacheMax = 4096

func newDefinitions() *definitions {
	return &definitions{stored: make(map[string]bool), parsed: make(map[string]*asl.Machine)}
}

// definitionKey is the key of a definition text.
func definitionKey(def string) string {
	sum := sha256.Sum256([]byte(def))
	return hex.EncodeToString(sum[:])
}

// save stores a definition (once per process and key) and returns its key; m is its
// parse, kept for the executions that follow.
func (d *definitions) save(ctx context.Context, st store.Store, smARN, def string, m *asl.Machine) (string, error) {
	key := definitionKey(def)
	d.mu.Lock()
	known := d.stored[key]
	d.mu.Unlock()
	if !known {
		_, err := st.RecordPut(ctx, store.Record{Kind: kindExecDefinition, Key: key, Parent: smARN, Data: []byte(def)})
		if err != nil && !errors.Is(err, store.ErrExists) {
			return "", fmt.Errorf("store definition: %w", err)
		}
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(d.stored) >= definitionsCacheMax {
		clear(d.stored)
	}
	d.stored[key] = true
	if m != nil {
		if len(d.parsed) >= definitionsCacheMax {
			clear(d.parsed)
		}
		d.parsed[key] = m
	}
	return key, nil
}

// text returns a stored definition.
func (d *definitions) text(ctx context.Context, st store.Store, key string) (string, error) {
	rec, err := st.RecordGet(ctx, kindExecDefinition, key)
	if err != nil {
		return "", fmt.Errorf("load definition %s: %w", key, err)
	}
	return string(rec.Data), nil
}

// machine returns the parsed definition of key.
func (d *definitions) machine(ctx context.Context, st store.Store, key string) (*asl.Machine, error) {
	d.mu.Lock()
	m := d.parsed[key]
	d.mu.Unlock()
	if m != nil {
		return m, nil
	}
	def, err := d.text(ctx, st, key)
	if err != nil {
		return nil, err
	}
	m, err = asl.Parse(def)
	if err != nil {
		return nil, fmt.Errorf("parse stored definition %s: %w", key, err)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(d.parsed) >= definitionsCacheMax {
		clear(d.parsed)
	}
	d.parsed[key] = m
	return m, nil
}

// loadState returns an execution's interpreter state and the machine it runs.
func (e *engine) loadState(ctx context.Context, ex store.Execution, doc *execDoc) (*asl.State, *asl.Machine, error) {
	st, err := asl.UnmarshalState(ex.Snapshot)
	if err != nil {
		return nil, nil, fmt.Errorf("decode state of %s: %w", ex.ARN, err)
	}
	m, err := e.defs.machine(ctx, e.s.store, doc.DefinitionKey)
	if err != nil {
		return nil, nil, err
	}
	return st, m, nil
}
