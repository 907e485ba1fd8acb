"""Qt item models over the workstation's data."""
