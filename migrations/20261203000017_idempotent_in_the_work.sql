-- An idempotency key is now claimed and completed in the same transaction as the work it
-- guards, and keeps the work's result (not an HTTP answer): a crash between claiming and
-- completing can no longer leave a key stuck, no answer is too large to keep, and a server
-- function or the till's sync can replay a result as well as REST can. A second request with
-- the key waits on the first's row until the first commits or rolls back, then replays or runs.
--
-- Keys kept the old way (at most a day's) hold HTTP answers that cannot be replayed as results,
-- and unfinished ones stood for work that did not finish; they go.

DELETE FROM idempotency_keys;
ALTER TABLE idempotency_keys DROP COLUMN response_status, DROP COLUMN response_body, ADD COLUMN result jsonb;
