-- Audit log (cluster mode): every administrative change, who made it, and the state before and after.
CREATE TABLE IF NOT EXISTS cluster_audit
(
    id           bigserial   NOT NULL PRIMARY KEY,
    at           timestamptz NOT NULL DEFAULT now(),
    actor        text        NOT NULL,
    action       text        NOT NULL,
    model        text        NULL,
    before_state text        NULL,
    after_state  text        NULL
);

CREATE INDEX IF NOT EXISTS cluster_audit_model ON cluster_audit (model, id);
