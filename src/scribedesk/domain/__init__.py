"""Pure rules and data shared by the workstation and the service (standard library only)."""
