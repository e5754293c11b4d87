"""The build's one step beyond pyproject.toml: the papers go into the package.

``rubrics/`` and ``answer_keys/`` stay at the top of the repository, where papers are written;
the wheel carries a copy of both as ``grader/papers/``, so an installed ``grade`` can grade
without the repository. An editable install reads them from the repository instead.
"""
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
PAPERS = ("rubrics", "answer_keys")


class BuildWithPapers(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        target = Path(self.build_lib) / "grader" / "papers"
        shutil.rmtree(target, ignore_errors=True)  # no paper removed from the repository survives a rebuild
        for name in PAPERS:
            shutil.copytree(HERE / name, target / name, ignore=shutil.ignore_patterns("__pycache__", ".*"))


setup(cmdclass={"build_py": BuildWithPapers})
