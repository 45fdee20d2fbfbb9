"""Orchestration: load → call the domain core → persist → audit. The only layer that commits."""
