package sqlite

import (
	"context"
	"fmt"
	"strings"

	"stepline/store"
)

const recordCols = `kind, key, parent, sort, version, data`

func scanRecord(s scanner) (store.Record, error) {
	var r store.Record
	err := s.Scan(&r.Kind, &r.Key, &r.Parent, &r.Sort, &r.Version, &r.Data)
	r.Data = blob(r.Data)
	return r, err
}

// RecordDelete implements store.Store.
func (db *DB) RecordDelete(ctx context.Context, kind, key string, expectVersion int64) error {
	return db.write1(ctx, false, func(w *wtx) error {
		n, err := w.exec(`DELETE FROM records WHERE kind = ?1 AND key = ?2 AND (?3 = 0 OR version = ?3)`,
			kind, key, expectVersion)
		if err != nil || n == 1 {
			return err
		}
		return refuse(w.recordMissing(kind, key))
	})
}

// recordMissing tells why a guarded write to a record changed nothing.
func (w *wtx) recordMissing(kind, key string) error {
	found, err := w.exists(`SELECT 1 FROM records WHERE kind = ? AND key = ?`, kind, key)
	switch {
	case err != nil:
		return err
	case found:
		return store.ErrConflict
	default:
		return store.ErrNotFound
	}
}

// RecordGet implements store.Store.
func (db *DB) RecordGet(ctx context.Context, kind, key string) (store.Record, error) {
	st, err := db.rstmt(`SELECT ` + recordCols + ` FROM records WHERE kind = ? AND key = ?`)
	if err != nil {
		return store.Record{}, err
	}
	r, err := scanRecord(st.QueryRowContext(ctx, kind, key))
	if err != nil {
		return store.Record{}, notFound(err, "record get")
	}
	return r, nil
}

// RecordList implements store.Store.
func (db *DB) RecordList(ctx context.Context, p store.RecordListParams) ([]store.Record, error) {
	var q strings.Builder
	q.WriteString(`SELECT ` + recordCols + ` FROM records WHERE kind = ?1`)
	if !p.AnyParent {
		q.WriteString(` AND parent = ?2`)
	}
	if p.Prefix != "" {
		// substr and length count characters alike, so this is a byte-exact prefix test.
		q.WriteString(` AND sort >= ?3 AND substr(sort, 1, length(?3)) = ?3`)
	}
	cursor := p.AfterSort != "" || p.AfterKey != ""
	order := ` ORDER BY sort, key`
	if p.Descending {
		order = ` ORDER BY sort DESC, key DESC`
		if cursor {
			q.WriteString(` AND (sort, key) < (?4, ?5)`)
		}
	} else if cursor {
		q.WriteString(` AND (sort, key) > (?4, ?5)`)
	}
	q.WriteString(order + ` LIMIT ?6`)
	rows, err := db.read.QueryContext(ctx, q.String(), p.Kind, p.Parent, p.Prefix, p.AfterSort, p.AfterKey, limit(p.Limit))
	if err != nil {
		return nil, fmt.Errorf("sqlite: record list: %w", err)
	}
	defer rows.Close()
	var out []store.Record
	for rows.Next() {
		r, err := scanRecord(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: record list: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: record list: %w", err)
	}
	return out, nil
}

// RecordPut implements store.Store.
func (db *DB) RecordPut(ctx context.Context, r store.Record) (store.Record, error) {
	if r.Version < 0 {
		return store.Record{}, fmt.Errorf("sqlite: record put: negative version %d", r.Version)
	}
	r.Data = blob(r.Data)
	err := db.write1(ctx, false, func(w *wtx) error {
		if r.Version == 0 {
			n, err := w.exec(`INSERT INTO records (`+recordCols+`) VALUES (?, ?, ?, ?, 1, ?) ON CONFLICT DO NOTHING`,
				r.Kind, r.Key, r.Parent, r.Sort, r.Data)
			if err != nil || n == 1 {
				return err
			}
			return refuse(store.ErrExists)
		}
		n, err := w.exec(`UPDATE records SET parent = ?, sort = ?, version = version + 1, data = ?
			WHERE kind = ? AND key = ? AND version = ?`, r.Parent, r.Sort, r.Data, r.Kind, r.Key, r.Version)
		if err != nil || n == 1 {
			return err
		}
		return refuse(w.recordMissing(r.Kind, r.Key))
	})
	if err != nil {
		return store.Record{}, err
	}
	r.Version++
	return r, nil
}
