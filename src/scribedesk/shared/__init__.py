"""Pieces with I/O that the service and the workstation both use, so they mean the same.

The Hunspell dictionary adapter (a spelling finding is the same on both sides) and the
waveform peaks over numpy (the service computes them at upload, the workstation when
they are missing). They import only the domain; every other layer may import them.
"""
