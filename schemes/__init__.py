"""The schemes that ship with parscore, each a ``parscore.schemes`` plug-in package.

Every sub-package holds a ``scheme.toml`` and its worked examples in
``examples/<name>/``, and is registered in parscore's own metadata exactly as
a province's plug-in registers in its own (see the how-to guide on writing a
scheme plug-in).
"""
