-- History becomes an append-only table in insertion order, found through a compact
-- (execution_seq, id) index. Keyed by (execution_arn, id), every transition inserted
-- into the middle of the tree and SQLite rebalanced three leaves at almost every
-- insert: about four WAL pages per transition. Now the rows go to the last page and
-- only the small index entry lands in the middle. Executions get an explicit integer
-- key for that index (an implicit rowid could change on VACUUM).

CREATE TABLE executions_new (
	seq               INTEGER PRIMARY KEY,
	arn               TEXT    NOT NULL UNIQUE,
	state_machine_arn TEXT    NOT NULL,
	version_arn       TEXT    NOT NULL,
	alias_arn         TEXT    NOT NULL,
	map_run_arn       TEXT    NOT NULL,
	name              TEXT    NOT NULL,
	status            TEXT    NOT NULL,
	start_time        INTEGER NOT NULL,
	stop_time         INTEGER NOT NULL,
	next_event_id     INTEGER NOT NULL,
	data              BLOB,
	snapshot          BLOB
);

INSERT INTO executions_new (arn, state_machine_arn, version_arn, alias_arn, map_run_arn, name, status,
	start_time, stop_time, next_event_id, data, snapshot)
SELECT arn, state_machine_arn, version_arn, alias_arn, map_run_arn, name, status,
	start_time, stop_time, next_event_id, data, snapshot
FROM executions ORDER BY start_time, arn;

DROP TABLE executions;
ALTER TABLE executions_new RENAME TO executions;

CREATE INDEX executions_start ON executions (start_time, arn);
CREATE INDEX executions_state_machine ON executions (state_machine_arn, start_time, arn);
CREATE INDEX executions_version ON executions (version_arn, start_time, arn);
CREATE INDEX executions_alias ON executions (alias_arn, start_time, arn);
CREATE INDEX executions_map_run ON executions (map_run_arn, start_time, arn);

CREATE TABLE history_new (
	seq               INTEGER PRIMARY KEY,
	execution_seq     INTEGER NOT NULL,
	id                INTEGER NOT NULL,
	previous_event_id INTEGER NOT NULL,
	ts                INTEGER NOT NULL,
	type              TEXT    NOT NULL,
	details           BLOB
);

INSERT INTO history_new (execution_seq, id, previous_event_id, ts, type, details)
SELECT e.seq, h.id, h.previous_event_id, h.ts, h.type, h.details
FROM history h JOIN executions e ON e.arn = h.execution_arn
ORDER BY e.seq, h.id;

DROP TABLE history;
ALTER TABLE history_new RENAME TO history;

CREATE UNIQUE INDEX history_execution ON history (execution_seq, id);
