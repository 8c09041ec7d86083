"""Scheme plug-in package for vn.dak-nong.krong-no.commune.2022: data only (scheme.toml, examples/)."""
