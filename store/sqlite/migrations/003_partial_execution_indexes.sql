-- Most executions are started without a version, an alias or a map run, yet each
-- start wrote an entry for the empty value into three indexes (three more WAL pages
-- per commit). Those indexes now hold only executions that have the value; the list
-- query names the condition so SQLite can use them.
DROP INDEX executions_version;
DROP INDEX executions_alias;
DROP INDEX executions_map_run;
CREATE INDEX executions_version ON executions (version_arn, start_time, arn) WHERE version_arn != '';
CREATE INDEX executions_alias ON executions (alias_arn, start_time, arn) WHERE alias_arn != '';
CREATE INDEX executions_map_run ON executions (map_run_arn, start_time, arn) WHERE map_run_arn != '';
