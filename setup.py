"""The one thing pyproject.toml cannot say: the reference drills, rubrics and JSON Schema live
at the top of the repository (`designs/`, `rubrics/`, `schema/`: one source) and ship inside the
package as `sysdesign/bundled/<folder>/` through a package-dir mapping, no copies in the tree.
Their file patterns are in pyproject.toml's package-data. `sysdesign.paths` finds them there
after `pip install`, and at the top of a source checkout."""

from setuptools import find_namespace_packages, setup

BUNDLED = {f"sysdesign.bundled.{folder}": folder for folder in ("designs", "rubrics", "schema")}

setup(
    packages=[*find_namespace_packages(include=["sysdesign", "sysdesign.*"]), *BUNDLED],
    package_dir=BUNDLED,
)
