"""Property tests: invariants of parscore checked on drawn schemes and assessments."""
