-- The same logical schema as store/sqlite. Text columns compare byte-wise (COLLATE "C")
-- so orders and prefixes match SQLite's and Go's. Documents are bytea, kept byte for
-- byte (jsonb would reorder keys). An unset time is stored as the zero time
-- (0001-01-01 UTC), so it sorts first and counts as long past, as in SQLite.

CREATE TABLE records (
	kind    text COLLATE "C" NOT NULL,
	key     text COLLATE "C" NOT NULL,
	parent  text COLLATE "C" NOT NULL,
	sort    text COLLATE "C" NOT NULL,
	version bigint NOT NULL,
	data    bytea,
	PRIMARY KEY (kind, key)
);

CREATE INDEX records_parent ON records (kind, parent, sort, key);
CREATE INDEX records_sort ON records (kind, sort, key);

CREATE TABLE executions (
	arn               text COLLATE "C" NOT NULL PRIMARY KEY,
	state_machine_arn text COLLATE "C" NOT NULL,
	version_arn       text COLLATE "C" NOT NULL,
	alias_arn         text COLLATE "C" NOT NULL,
	map_run_arn       text COLLATE "C" NOT NULL,
	name              text NOT NULL,
	status            text NOT NULL,
	start_time        timestamptz NOT NULL,
	stop_time         timestamptz NOT NULL,
	next_event_id     bigint NOT NULL,
	data              bytea,
	snapshot          bytea
);

CREATE INDEX executions_start ON executions (start_time, arn);
CREATE INDEX executions_state_machine ON executions (state_machine_arn, start_time, arn);
CREATE INDEX executions_version ON executions (version_arn, start_time, arn);
CREATE INDEX executions_alias ON executions (alias_arn, start_time, arn);
CREATE INDEX executions_map_run ON executions (map_run_arn, start_time, arn);

CREATE TABLE history (
	execution_arn     text COLLATE "C" NOT NULL,
	id                bigint NOT NULL,
	previous_event_id bigint NOT NULL,
	ts                timestamptz NOT NULL,
	type              text NOT NULL,
	details           bytea,
	PRIMARY KEY (execution_arn, id)
);

CREATE TABLE timers (
	execution_arn text COLLATE "C" NOT NULL,
	id            text COLLATE "C" NOT NULL,
	kind          text NOT NULL,
	fire_at       timestamptz NOT NULL,
	data          bytea,
	owner         text NOT NULL,
	lease_until   timestamptz NOT NULL,
	PRIMARY KEY (execution_arn, id)
);

CREATE INDEX timers_fire_at ON timers (fire_at);

CREATE TABLE tasks (
	execution_arn text COLLATE "C" NOT NULL,
	id            text COLLATE "C" NOT NULL,
	kind          text NOT NULL,
	resource      text NOT NULL,
	token         text,
	state         text NOT NULL,
	input         bytea,
	worker_name   text NOT NULL,
	created_at    timestamptz NOT NULL,
	started_at    timestamptz NOT NULL,
	owner         text NOT NULL,
	lease_until   timestamptz NOT NULL,
	version       bigint NOT NULL,
	PRIMARY KEY (execution_arn, id)
);

-- An empty token is stored as NULL so only real tokens must be unique.
CREATE UNIQUE INDEX tasks_token ON tasks (token);
CREATE INDEX tasks_claim ON tasks (kind, state, resource, created_at);
