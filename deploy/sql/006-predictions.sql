-- Model quality (cluster mode): the compact record of each prediction a model with a quality config served, kept until
-- expires_at for the ground-truth join (any silo's label finds any silo's prediction). labelled marks the first label.
CREATE TABLE IF NOT EXISTS cluster_predictions
(
    model           text             NOT NULL,
    request_id      text             NOT NULL,
    version         text             NOT NULL,
    segment         text             NULL,
    predicted_class integer          NOT NULL,
    confidence      real             NOT NULL,
    predicted_value double precision NOT NULL,
    served_at       timestamptz      NOT NULL,
    expires_at      timestamptz      NOT NULL,
    labelled        boolean          NOT NULL DEFAULT false,
    PRIMARY KEY (model, request_id)
);

CREATE INDEX IF NOT EXISTS cluster_predictions_expiry ON cluster_predictions (expires_at);
