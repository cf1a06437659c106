-- Times are Unix microseconds (0: unset). Documents are BLOBs kept byte for byte.

CREATE TABLE records (
	kind    TEXT    NOT NULL,
	key     TEXT    NOT NULL,
	parent  TEXT    NOT NULL,
	sort    TEXT    NOT NULL,
	version INTEGER NOT NULL,
	data    BLOB,
	PRIMARY KEY (kind, key)
) WITHOUT ROWID;

CREATE INDEX records_parent ON records (kind, parent, sort, key);
CREATE INDEX records_sort ON records (kind, sort, key);

CREATE TABLE executions (
	arn               TEXT    NOT NULL PRIMARY KEY,
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

CREATE INDEX executions_start ON executions (start_time, arn);
CREATE INDEX executions_state_machine ON executions (state_machine_arn, start_time, arn);
CREATE INDEX executions_version ON executions (version_arn, start_time, arn);
CREATE INDEX executions_alias ON executions (alias_arn, start_time, arn);
CREATE INDEX executions_map_run ON executions (map_run_arn, start_time, arn);

CREATE TABLE history (
	execution_arn     TEXT    NOT NULL,
	id                INTEGER NOT NULL,
	previous_event_id INTEGER NOT NULL,
	ts                INTEGER NOT NULL,
	type              TEXT    NOT NULL,
	details           BLOB,
	PRIMARY KEY (execution_arn, id)
) WITHOUT ROWID;

CREATE TABLE timers (
	execution_arn TEXT    NOT NULL,
	id            TEXT    NOT NULL,
	kind          TEXT    NOT NULL,
	fire_at       INTEGER NOT NULL,
	data          BLOB,
	owner         TEXT    NOT NULL,
	lease_until   INTEGER NOT NULL,
	PRIMARY KEY (execution_arn, id)
) WITHOUT ROWID;

CREATE INDEX timers_fire_at ON timers (fire_at);

CREATE TABLE tasks (
	execution_arn TEXT    NOT NULL,
	id            TEXT    NOT NULL,
	kind          TEXT    NOT NULL,
	resource      TEXT    NOT NULL,
	token         TEXT,
	state         TEXT    NOT NULL,
	input         BLOB,
	worker_name   TEXT    NOT NULL,
	created_at    INTEGER NOT NULL,
	started_at    INTEGER NOT NULL,
	owner         TEXT    NOT NULL,
	lease_until   INTEGER NOT NULL,
	version       INTEGER NOT NULL,
	PRIMARY KEY (execution_arn, id)
);

-- An empty token is stored as NULL so only real tokens must be unique.
CREATE UNIQUE INDEX tasks_token ON tasks (token) WHERE token IS NOT NULL;
CREATE INDEX tasks_claim ON tasks (kind, state, resource, created_at);
