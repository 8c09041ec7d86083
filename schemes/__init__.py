"""The schemes that ship with parscore, registered as ``parscore.schemes`` plug-ins.

Each is registered in parscore's own package metadata exactly as a third
party's plug-in would be in its own; see ``docs/how-to/write-a-scheme-plugin.md``.
"""

from parscore import Example, SchemePackage

krong_no_2022 = SchemePackage(
    package=__name__,
    scheme="krong_no_2022/scheme.toml",
    examples=(
        Example(
            name="seed 000: Krông Nô communes, appraised points 2022",
            assessments="krong_no_2022/assessments.toml",
            published="krong_no_2022/published.toml",
        ),
    ),
)
