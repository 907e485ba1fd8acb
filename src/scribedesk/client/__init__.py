"""The workstation's side of the service: API client, audio cache, outbox."""
