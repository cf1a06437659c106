package postgres

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"stepline/store"
)

const recordCols = `kind, key, parent, sort, version, data`

func scanRecord(s scanner) (store.Record, error) {
	var r store.Record
	err := s.Scan(&r.Kind, &r.Key, &r.Parent, &r.Sort, &r.Version, &r.Data)
	r.Data = blob(r.Data)
	return r, err
}

// guardResult reads a guarded write written as
// WITH u AS (... RETURNING 1) SELECT (SELECT count(*) FROM u), EXISTS (...):
// nil when it changed a row, else ErrConflict if the row exists, ErrNotFound if not.
func guardResult(row pgx.Row, what string) error {
	var n int64
	var exists bool
	if err := row.Scan(&n, &exists); err != nil {
		return fmt.Errorf("postgres: %s: %w", what, err)
	}
	switch {
	case n > 0:
		return nil
	case exists:
		return store.ErrConflict
	default:
		return store.ErrNotFound
	}
}

// RecordDelete implements store.Store.
func (db *DB) RecordDelete(ctx context.Context, kind, key string, expectVersion int64) error {
	return guardResult(db.pool.QueryRow(ctx, `
		WITH u AS (DELETE FROM records WHERE kind = $1 AND key = $2 AND ($3::bigint = 0 OR version = $3::bigint) RETURNING 1)
		SELECT (SELECT count(*) FROM u), EXISTS (SELECT 1 FROM records WHERE kind = $1 AND key = $2)`,
		kind, key, expectVersion), "record delete")
}

// RecordGet implements store.Store.
func (db *DB) RecordGet(ctx context.Context, kind, key string) (store.Record, error) {
	r, err := scanRecord(db.pool.QueryRow(ctx, `SELECT `+recordCols+` FROM records WHERE kind = $1 AND key = $2`, kind, key))
	if err != nil {
		return store.Record{}, notFound(err, "record get")
	}
	return r, nil
}

// RecordList implements store.Store.
func (db *DB) RecordList(ctx context.Context, p store.RecordListParams) ([]store.Record, error) {
	var q strings.Builder
	args := []any{p.Kind}
	q.WriteString(`SELECT ` + recordCols + ` FROM records WHERE kind = $1`)
	if !p.AnyParent {
		args = append(args, p.Parent)
		fmt.Fprintf(&q, ` AND parent = $%d`, len(args))
	}
	if p.Prefix != "" {
		args = append(args, p.Prefix)
		fmt.Fprintf(&q, ` AND sort >= $%[1]d AND starts_with(sort, $%[1]d)`, len(args))
	}
	if p.AfterSort != "" || p.AfterKey != "" {
		op := ">"
		if p.Descending {
			op = "<"
		}
		args = append(args, p.AfterSort, p.AfterKey)
		fmt.Fprintf(&q, ` AND (sort, key) %s ($%d, $%d)`, op, len(args)-1, len(args))
	}
	if p.Descending {
		q.WriteString(` ORDER BY sort DESC, key DESC`)
	} else {
		q.WriteString(` ORDER BY sort, key`)
	}
	args = append(args, limit(p.Limit))
	fmt.Fprintf(&q, ` LIMIT $%d`, len(args))
	rows, err := db.pool.Query(ctx, q.String(), args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: record list: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.Record, error) { return scanRecord(r) })
	if err != nil {
		return nil, fmt.Errorf("postgres: record list: %w", err)
	}
	return out, nil
}

// RecordPut implements store.Store.
func (db *DB) RecordPut(ctx context.Context, r store.Record) (store.Record, error) {
	if r.Version < 0 {
		return store.Record{}, fmt.Errorf("postgres: record put: negative version %d", r.Version)
	}
	r.Data = blob(r.Data)
	if r.Version == 0 {
		tag, err := db.pool.Exec(ctx, `INSERT INTO records (`+recordCols+`) VALUES ($1, $2, $3, $4, 1, $5)
			ON CONFLICT DO NOTHING`, r.Kind, r.Key, r.Parent, r.Sort, r.Data)
		if err != nil {
			return store.Record{}, fmt.Errorf("postgres: record put: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return store.Record{}, store.ErrExists
		}
		r.Version = 1
		return r, nil
	}
	err := guardResult(db.pool.QueryRow(ctx, `
		WITH u AS (UPDATE records SET parent = $3, sort = $4, version = version + 1, data = $5
			WHERE kind = $1 AND key = $2 AND version = $6 RETURNING 1)
		SELECT (SELECT count(*) FROM u), EXISTS (SELECT 1 FROM records WHERE kind = $1 AND key = $2)`,
		r.Kind, r.Key, r.Parent, r.Sort, r.Data, r.Version), "record put")
	if err != nil {
		return store.Record{}, err
	}
	r.Version++
	return r, nil
}
