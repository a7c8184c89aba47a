"""The build compiles the catalogs: every ``src/gvia/locale/<lang>/LC_MESSAGES/*.po`` gets its
``.mo`` (build output, not in git) before the package is built or installed, editable or not,
so a plain ``pip install`` gives a gvia that starts. Everything else is in pyproject.toml."""

import importlib.util
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


def compile_catalogs() -> None:
    # gvia is not importable while it is being built: load the compiler (Babel only) by its path
    spec = importlib.util.spec_from_file_location("gvia_locale_build", HERE / "src/gvia/locale/build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for mo in module.compile_catalogs():
        print(f"compiled {mo.relative_to(HERE)}")


class BuildPyWithCatalogs(build_py):
    def run(self):
        compile_catalogs()
        super().run()


setup(cmdclass={"build_py": BuildPyWithCatalogs})
