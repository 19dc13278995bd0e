-- The back-office outbox view (server/domain/platform/outbox.ts) lists every outbox kind in one
-- summary, exports included: the platform role may read what that summary and an opened export
-- show (the report, its format and parameters, attempts, error, file name and size), as it already
-- reads every mail. The file's contents stay in file storage, and nothing here is writable.
GRANT SELECT (report, format, params, attempts, error, filename, size, finished_at) ON report_exports TO paksa_platform;
