"""Fuzz tests: every loader meets malformed input with a located ``ParscoreError`` and nothing else."""
