"""The examples in module docstrings are tests too."""
import doctest

import pytest

import grader.checks.service
import grader.console
import grader.flags
import grader.model
import grader.names
import grader.read.service
import grader.read.values
import grader.report.diff
import grader.text


@pytest.mark.parametrize("module", [grader.text, grader.read.values, grader.console, grader.names,
                                    grader.flags, grader.checks.service, grader.read.service, grader.model,
                                    grader.report.diff])
def test_docstring_examples(module):
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0
