"""The service's database: engine factory, tables and migrations."""
