-- Who handles a stored update: the process that stored it until claimed_until, then (it crashed, or its handling
-- failed) the first sweeper to claim it again. Several replicas' sweepers never take the same update at once.
ALTER TABLE telegram_update ADD COLUMN claimed_until TIMESTAMPTZ;
