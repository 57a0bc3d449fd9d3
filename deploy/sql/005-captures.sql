-- Prediction capture (cluster mode): sampled requests with their inputs and outputs, one row per record,
-- written in batches by each silo's capture writer (binary COPY) and pruned by day once expires_on is reached.
CREATE TABLE IF NOT EXISTS cluster_captures
(
    seq          bigserial   NOT NULL PRIMARY KEY,
    request_id   text        NOT NULL,
    trace_id     char(32)    NULL,
    model        text        NOT NULL,
    version      text        NOT NULL,
    completed_at timestamptz NOT NULL,
    expires_on   date        NOT NULL,
    record       text        NOT NULL
);

CREATE INDEX IF NOT EXISTS cluster_captures_model_time ON cluster_captures (model, completed_at);
CREATE INDEX IF NOT EXISTS cluster_captures_expiry ON cluster_captures (expires_on);
