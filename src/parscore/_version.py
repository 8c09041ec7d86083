"""The parscore version, recorded in every result's provenance."""

__version__ = "0.1.0"
