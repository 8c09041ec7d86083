"""Scheme plug-in package for vn.dak-nong.district.2023: data only (scheme.toml, examples/)."""
