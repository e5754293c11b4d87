"""The message catalogue: every flag reason and evidence message the code can make has its
Chinese, with its fields or fewer of them, no evidence message writes its Chinese in the code,
and the compiled catalogue the grader reads is the one the .po makes."""
from __future__ import annotations

import importlib.util
import json
import re
import string
from pathlib import Path

import pytest

from grader.locale import EVIDENCE, Said, fields, match, messages, quoted, say, zh
from grader.similarity import Pair
from grader.sources import member_problem

SPEC = importlib.util.spec_from_file_location("catalogue", Path(__file__).resolve().parent.parent / "tools" / "catalogue.py")
tool = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(tool)


@pytest.fixture(scope="module")
def catalogue():
    return tool.read_catalogue()


def test_every_message_marked_in_the_code_has_its_chinese(catalogue):
    marked = tool.extracted()
    assert len([key for key in marked if key[0] is None]) >= 70
    assert len([key for key in marked if key[0] == EVIDENCE]) >= 270
    untranslated = [key for key in marked if not catalogue.get(key[1], context=key[0])
                    or not catalogue.get(key[1], context=key[0]).string]
    assert untranslated == []
    fuzzy = [m.id for m in catalogue if m.id and m.fuzzy]
    assert fuzzy == []


def test_the_catalogue_holds_no_message_the_code_no_longer_raises(catalogue):
    def held(key):
        return key[1], key[0] or ""

    assert sorted(((m.context, m.id) for m in catalogue if m.id), key=held) == sorted(tool.extracted(), key=held)


def test_an_evidence_message_is_held_with_its_context_and_a_reason_without(catalogue):
    """Each message marked inside a ``say`` call is an evidence message, looked up by its text;
    every other one a flag's reason, matched against a reason's English. An evidence message with
    few words of its own (``{label}: {problems}``) is never taken for a reason or a part of one."""
    evidence = {m.id for m in catalogue if m.context == EVIDENCE}
    assert evidence == {msgid for _, _, msgid in tool.said()}
    assert {m.context for m in catalogue if m.id} == {None, EVIDENCE}
    assert not evidence & {m.msgid for m in messages()}
    assert zh("order JY001: status shipped") == "order JY001: status shipped"


def test_each_translation_uses_only_fields_of_its_message(catalogue):
    """A translation may leave a field out (a shorter Chinese), never name one its message lacks."""
    wrong = [(m.id, m.string) for m in catalogue if m.id and not set(fields(m.string)) <= set(fields(m.id))]
    assert wrong == []


def test_each_translation_can_be_filled(catalogue):
    """Every field of a translation is a plain name with a format spec and conversion Python reads."""
    for m in catalogue:
        if m.id:
            values = {name: 1 for name in fields(m.id)}
            assert isinstance(m.string.format(**values), str), m.id


def test_no_message_is_only_fields(catalogue):
    """A message with no words of its own would match any reason."""
    bare = [m.id for m in catalogue
            if m.id and all(literal.strip() == "" for literal, _, _, _ in string.Formatter().parse(m.id))]
    assert bare == []


def test_the_compiled_catalogue_is_the_one_the_po_makes(catalogue):
    assert tool.MO.read_bytes() == tool.compiled(catalogue)
    assert len(messages()) == len([m for m in catalogue if m.id and m.context is None])


@pytest.mark.parametrize(("english", "chinese"), [
    ("holds binary data, not text in any encoding", "内容为二进制数据，不是任何编码的文本"),
    ("modified 2026-11-25T11:03:00+08:00, after the exam ended", "修改时间 2026-11-25T11:03:00+08:00，晚于考试结束时间"),
    ("does not decode fully (image file is truncated (2 bytes not processed))",
     "无法完整解码（图片文件不完整（2 字节未处理））"),
    ("not a readable xlsx workbook (BadZipFile: File is not a zip file)",
     "不是可读取的 xlsx 工作簿（BadZipFile：不是 zip 格式的文件）"),
    ("not a readable .docx document (KeyError: \"no item named 'word/document.xml'\")",
     "不是可读取的 .docx 文档（KeyError: \"no item named 'word/document.xml'\"）"),
    ("the disc image's entry ks03/../x.txt was not unpacked: a '..' part, a path outside the disc",
     "光盘映像中的条目 ks03/../x.txt 未解包：名称中含 '..' 一级，指向光盘以外"),
    ("10,000,000,000 pixels in the header, over 100,000,000: refused unread",
     "文件头标明 10,000,000,000 像素，超过上限 100,000,000：拒绝读取"),
    ("the worker process grading this candidate was killed (SIGKILL); nothing graded",
     "评分该考生的进程被终止（SIGKILL）；未评分"),
    ("3 folders stand for one user name: this one and 'a/ks01', 'b/ks01'; this folder took the roster row",
     "3 个文件夹对应同一用户名：本文件夹及 'a/ks01', 'b/ks01'；名册中的考生对应本文件夹"),
    ("an English reason no message makes", "an English reason no message makes"),
])
def test_a_reason_is_translated_with_its_values_and_the_reasons_inside_it(english, chinese):
    assert zh(english) == chinese


def test_the_similarity_reason_is_the_message_the_catalogue_holds():
    reason = Pair("ks03", "ks07", "U8 reply_02", 93, "text").reason_for("ks03")
    message, values = match(reason)
    assert message.msgid in quoted.SIMILARITY_REASONS
    assert values == {"other": "ks07", "label": "U8 reply_02", "share": "93"}
    assert zh(reason) == "与 ks07 相似（U8 reply_02，93%）"


@pytest.mark.parametrize("name", ["ks01/../../etc/passwd", "C:/ks01/x", "/abs", "ks01/./x", "ks01/\0x",
                                  "ks01/" + "n" * 300])
def test_every_reason_the_unpacking_gives_is_in_the_catalogue(name):
    problem = member_problem(name)
    found = match(problem)
    assert found is not None and found[0].msgid in quoted.UNPACKING_REASONS, problem


def test_every_flag_of_the_demo_disc_has_its_chinese_in_the_json(demo_results):
    """The demo disc raises flags from the read stage, the checks and scoring: each reason made
    from a message of the catalogue, its Chinese in the JSON beside the English."""
    seen = {}
    for path in sorted((demo_results / "candidates").glob("*.json")):
        for flag in json.loads(path.read_text(encoding="utf-8"))["flags"]:
            assert match(flag["reason"]) is not None, flag["reason"]
            assert flag["reason_zh"] == zh(flag["reason"]) != flag["reason"]
            seen[flag["code"]] = flag["reason_zh"]
    assert seen == {
        "damaged-image": "无法完整解码（图片文件不完整（2 字节未处理））",
        "duplicate-deliverable": "return 找到多份：u8_service/templates/return.txt, u8_service/templates/退货.docx；"
                                 "评分所用：u8_service/templates/return.txt",
        "extra-products": "选品表列出 6 个不同产品；前 5 个之外的 JY022 (看板!A7) 不得分",
        "guessed-encoding": "不是 UTF-8、UTF-16 或 GBK；按 Windows-1252（西欧）读取，读出的非 ASCII 字符为 é；按 Latin-1 读取结果相同",
        "image-too-large": "文件头标明 10,000,000,000 像素，超过上限 100,000,000：拒绝读取",
        "misplaced": "reply_01 位于 u8_service/reply_01.txt，应在 u8_service/replies/",
        "no-deliverables": "考生文件夹中没有任何文件",
        "no-unit-1": "没有可读的第 1 单元企业用户名；U8-02 按 U1-01 的用户名规则评分",
        "not-on-roster": "文件夹已评分，但该用户名不在名册上",
        "unit-g-for-kg": "JY003：上架模板!E2 的重量 180 是产品池 0.18 kg 的 1000 倍（疑将克填作千克）",
        "unreadable-file": "不是可读取的 xlsx 工作簿（BadZipFile：不是 zip 格式的文件）",
    }


def test_a_runaway_reason_is_shown_as_it_is_not_matched():
    reason = "could not be read (" + "x" * 5000 + ")"
    assert zh(reason) == reason
    assert zh("could not be read (ValueError: bad)") == "无法读取（ValueError: bad）"


REASON_ARGUMENT = {"Flag": 1, "flag": 1, "ReadError": 0, "Failure": 1, "MemoryLimit": 0}


def unmarked_reasons(path: Path) -> list[str]:
    """The reasons given to a flag, a read error or a failure as a bare text (a literal or an
    f-string) rather than a message of the catalogue."""
    import ast

    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        given = []
        if name in REASON_ARGUMENT and len(node.args) > REASON_ARGUMENT[name]:
            given.append(node.args[REASON_ARGUMENT[name]])
        if name == "Examined":
            given += [k.value for k in node.keywords if k.arg == "problem"]
        for value in given:
            if isinstance(value, ast.JoinedStr) or (isinstance(value, ast.Constant) and isinstance(value.value, str)):
                found.append(f"{path.name}:{node.lineno}")
    return found


def test_no_reason_is_raised_as_bare_text_outside_the_checks():
    """The checks' flags are the catalogue's quoted messages (grader/locale/quoted.py), checked on
    the demo disc above; everywhere else a reason is a message marked for the catalogue. The demo
    generator (grader/samples) raises none: its ``Failure`` is a defect it writes, not a flag."""
    package = Path(__file__).resolve().parent.parent / "grader"
    files = [p for p in sorted(package.rglob("*.py"))
             if not {"checks", "samples"} & set(p.relative_to(package).parts)]
    assert [where for path in files for where in unmarked_reasons(path)] == []


CJK = re.compile("[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
# Chinese that is data, not a message:
# - the separators the Chinese of several problems, or of a list, is joined with;
# - the brackets a key's value is shown in beside the label a candidate's template gives it (通过（pass）);
# - the sentence ends a reply's quote is cut at, Chinese full stops among them;
# - the currency signs and words a typed price may carry.
CHINESE_DATA = {"common.py": {"；"}, "listing.py": {"、"}, "orders.py": {"（", "）"},
                "service.py": {"、", r"[.!?。！？]+(?=\s)|\n"}, "freight.py": {"；"},
                "values.py": {r"^(?:\$|¥|￥|usd|cny|rmb|元)\s*|\s*(?:\$|¥|￥|usd|cny|rmb|元)$"}}


def chinese_literals(path: Path) -> list[str]:
    """The string literals of a module that hold Chinese, docstrings left out."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    return [f"{path.name}:{node.lineno}: {node.value}" for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
            and CJK.search(node.value) and node.value not in CHINESE_DATA.get(path.name, set())]


def test_no_evidence_message_writes_its_chinese_in_the_code():
    """The checks, and the scoring, freight, exhibit and value helpers whose texts evidence shows,
    say each evidence message with ``say`` from the catalogue, so a centre can correct or
    retranslate it in the .po; no Chinese is left in their code."""
    package = Path(__file__).resolve().parent.parent / "grader"
    files = [*sorted((package / "checks").glob("*.py")),
             *(package / name for name in ("score.py", "freight.py", "values.py", "read/exhibits.py"))]
    assert [found for path in files for found in chinese_literals(path)] == []


def test_every_say_is_given_a_marked_message():
    """``say`` is given its message as ``N_("...")`` itself, where the catalogue tool finds it and
    knows it for an evidence message; a message held in a variable would be said in English twice."""
    import ast

    package = Path(__file__).resolve().parent.parent / "grader"
    unmarked = []
    for path in sorted(package.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and tool.name_of(node.func) == "say":
                first = node.args[0] if node.args else None
                if not (isinstance(first, ast.Call) and tool.name_of(first.func) == "N_" and len(first.args) == 1
                        and isinstance(first.args[0], ast.Constant)):
                    unmarked.append(f"{path.relative_to(package).as_posix()}:{node.lineno}")
    assert unmarked == []


def test_an_evidence_message_is_said_in_both_languages_with_the_problems_inside_it():
    problems = [say("does not start with a letter"), say("contains the platform name {platform!r}", platform="ebay")]
    inner = Said("; ".join(p.en for p in problems), "；".join(p.zh for p in problems))
    assert say("{name} username: {problems}", name="个人账户", problems=inner) == Said(
        "个人账户 username: does not start with a letter; contains the platform name 'ebay'",
        "个人账户 用户名不符合规则：不以英文字母开头；含平台名称 'ebay'")
    assert say("{name} email is not valid: {why}", name="企业账户", why="no @") == Said(
        "企业账户 email is not valid: no @", "企业账户 邮箱格式无效")
    assert say("a message the catalogue does not hold: {n}", n=3) == Said(
        "a message the catalogue does not hold: 3", "a message the catalogue does not hold: 3")
