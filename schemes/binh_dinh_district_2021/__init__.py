"""Scheme plug-in package for vn.binh-dinh.district.2021: data only (scheme.toml, examples/)."""
