"""Email: rendered into the outbox inside the use case's transaction, delivered by a worker."""
