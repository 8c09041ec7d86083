"""Scheme plug-in package for vn.dong-thap.district.2021: data only (scheme.toml, examples/)."""
