"""Scheme plug-in package for vn.son-la.phu-yen.commune.2022: data only (scheme.toml, examples/)."""
