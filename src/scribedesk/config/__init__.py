"""Typed settings and the workstation's folders."""
