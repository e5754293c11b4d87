"""The console's encoding never stops a command: marks it lacks become plain ones, Chinese stays."""
from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest

from grader import console
from grader.console import printable, stream_encoding


@pytest.mark.parametrize("text, encoding, shown", [
    ("✓ ✗ › ✎ 一致", "gbk", "OK X > * 一致"),
    ("✓ ✗ › ✎ 一致", "utf-8", "✓ ✗ › ✎ 一致"),
    ("6–20 … → ¥5 −1", "gbk", "6–20 … → ￥5 -1"),
    ("6–20 … → ¥5 −1", "ascii", "6-20 ... -> CNY 5 -1"),
    ("一致 ☃ ｋｓ01", "ascii", "?? ? ks01"),
    ("☃ 一致", "gbk", "? 一致"),
])
def test_marks_the_encoding_lacks_become_plain_ones(text, encoding, shown):
    assert printable(text, encoding) == shown


def test_a_stream_naming_no_or_an_unknown_encoding_is_written_as_utf_8():
    assert stream_encoding(object()) == "utf-8"
    assert stream_encoding(type("Stream", (), {"encoding": "no-such-codec"})()) == "utf-8"
    assert stream_encoding(type("Stream", (), {"encoding": "GBK"})()) == "gbk"
    assert stream_encoding(type("Stream", (), {"encoding": "cp936"})()) == "gbk"


def test_echo_writes_to_a_strict_gbk_stream(monkeypatch):
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="gbk", errors="strict")
    monkeypatch.setattr(sys, "stdout", stream)
    console.echo("✓ 一致 › ✗")
    stream.flush()
    assert raw.getvalue().decode("gbk") == "OK 一致 > X\n"


def grade_on_a_gbk_console(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": "gbk"}
    return subprocess.run([sys.executable, "-m", "grader", *map(str, args)], capture_output=True, env=env, check=False)


def test_explain_prints_on_a_gbk_console(demo_results):
    shown = grade_on_a_gbk_console("explain", demo_results, "ks02")
    assert shown.returncode == 0, shown.stderr.decode("gbk", "replace")
    lines = shown.stdout.decode("gbk").splitlines()
    assert lines[0] == "ks02 考生02 (2026A0002): 总分 total 91.47 / 100, 合格 pass, 已评分 graded"
    assert "    X personal username: does not start with a letter" in lines
    assert ("      u1_accounts.xlsx > 个人账号 > B2   expected 应为: 6–20 letters/digits/_, "
            "starting with a letter, no platform name   found 实际: 1linxw_seller") in lines

    shown = grade_on_a_gbk_console("explain", demo_results, "ks02", "U1-02")
    assert shown.returncode == 0, shown.stderr.decode("gbk", "replace")
    marks = [line.split()[0] for line in shown.stdout.decode("gbk").splitlines() if line.startswith("    OK")]
    assert marks == ["OK"] * 4


def test_verify_prints_on_a_gbk_console(demo_disc, demo_results):
    shown = grade_on_a_gbk_console("verify", demo_disc, demo_results)
    assert shown.returncode == 0, shown.stderr.decode("gbk", "replace")
    lines = shown.stdout.decode("gbk").splitlines()
    assert [line.split(" ", 2)[:2] for line in lines] == [
        ["OK", "disc:"], ["OK", "rubric:"], ["OK", "key:"], ["OK", "overrides:"], ["OK", "results:"], ["OK", "review:"],
        ["OK", "一致:"]]
