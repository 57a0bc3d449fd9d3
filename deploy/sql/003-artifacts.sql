-- Content-addressed model artifacts (cluster mode): any silo can load any version by its SHA-256.
CREATE TABLE IF NOT EXISTS cluster_artifacts
(
    sha256     char(64)    NOT NULL PRIMARY KEY,
    size_bytes bigint      NOT NULL,
    content    bytea       NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
