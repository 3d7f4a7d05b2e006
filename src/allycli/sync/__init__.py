"""Sync through a PostgreSQL hub: the hub model, the cipher, the exchange with the journal."""
