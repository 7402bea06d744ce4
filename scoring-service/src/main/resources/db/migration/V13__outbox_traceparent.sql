-- Issue 16: the W3C traceparent of the span that wrote an outbox row (null with tracing off); the relay sends it as
-- the AMQP application property "traceparent", so one trace follows a change through the broker to its consumers.
alter table outbox_message add column traceparent text;
