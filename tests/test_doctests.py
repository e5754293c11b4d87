"""The examples in module docstrings are tests too."""
import doctest

import pytest

import grader.alike
import grader.checks.service
import grader.console
import grader.flags
import grader.hashjoin
import grader.model
import grader.names
import grader.read.pillow
import grader.read.service
import grader.records.images
import grader.records.service
import grader.records.tables
import grader.report.diff
import grader.samples.classprints
import grader.text
import grader.upgrade
import grader.values


@pytest.mark.parametrize("module", [grader.text, grader.values, grader.console, grader.names,
                                    grader.flags, grader.checks.service, grader.read.service, grader.model,
                                    grader.records.tables, grader.records.images, grader.records.service,
                                    grader.read.pillow, grader.alike, grader.hashjoin, grader.samples.classprints,
                                    grader.report.diff, grader.upgrade])
def test_docstring_examples(module):
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0
