"""The flag codes: for each code the grader can raise, its name in Chinese and English, what it
means and what the examiner does about it, in both languages.

Examiners read the reports in Chinese first, and a flag is what they act on first: every place
that shows a flag shows its Chinese name before the code and the (English) reason, and links
to the code's row in ``flags.html``. The README's flag table is ``markdown_table()`` of this
one; ``tests/test_flag_table.py`` fails when a code is raised in ``grader/`` without a row here
or in the README, or a row names a code nothing raises.

>>> KINDS["unreadable-file"].name_zh
'文件无法读取'
>>> name_zh("not-a-code")
''
>>> labelled("unreadable-file")
'文件无法读取 unreadable-file'
>>> anchor("similar-to")
'flag-similar-to'
"""
from __future__ import annotations

from typing import NamedTuple


class FlagKind(NamedTuple):
    """One flag code: where it is raised, its names, what it means and what to do."""

    code: str
    stage: str  # the stage that raises it: intake, read, check, score, pipeline, supervise
    name_zh: str
    name_en: str
    meaning_zh: str
    meaning_en: str
    action_zh: str
    action_en: str


FLAGS: tuple[FlagKind, ...] = (
    FlagKind(
        "not-on-roster", "pipeline", "不在名册", "Not on the roster",
        "文件夹已评分，但其用户名不在考生名册上。",
        "The folder was graded, but its user name is not on the roster.",
        "核对该考生是否属于本场考试：是则补入名册后重新评分，否则不计入本场成绩。",
        "Check whether the candidate sat this session: if so, add them to the roster and grade again; "
        "if not, leave the result out of the session's list."),
    FlagKind(
        "duplicate-candidate", "intake", "考生文件夹重复", "Duplicate candidate",
        "多个文件夹对应同一用户名；原因中列出其他文件夹，并说明哪一个对应名册中的考生。",
        "Several folders stand for one user name; the reason names the others and says which took "
        "the roster row.",
        "查明哪个文件夹是考生的作答；必要时移走或改名其余文件夹后重新评分。",
        "Find out which folder holds the candidate's work; move or rename the others and grade again "
        "if needed."),
    FlagKind(
        "modified-after-end", "read", "考试结束后修改", "Modified after the end",
        "文件的修改时间晚于 exam.toml 中的考试结束时间。",
        "A file's modification time is later than the exam's end in exam.toml.",
        "核对考场记录（延时、电脑时钟误差等）；如属违规，按考点规定处理。",
        "Check the session's records (extra time, a wrong clock); if it breaks the rules, act as the "
        "centre's rules say."),
    FlagKind(
        "misplaced", "read", "文件位置不符", "Misplaced",
        "交付文件不在规定位置（例如深了一层文件夹），已按找到的位置评分。",
        "A deliverable is not where the paper puts it (e.g. one folder too deep); it was graded where "
        "it was found.",
        "确认所评的文件是考生要交的那一份。",
        "Confirm that the file graded is the one the candidate meant to hand in."),
    FlagKind(
        "duplicate-deliverable", "read", "交付文件重复", "Duplicate deliverable",
        "同一交付文件找到多份；原因中列出各份及实际评分的那一份。",
        "One deliverable was found more than once; the reason lists each copy and the one graded.",
        "确认所评的是考生的最终作答；如不是，按另一份人工评分并记录改分。",
        "Confirm the copy graded is the candidate's final work; if not, grade the other by hand and "
        "record an override."),
    FlagKind(
        "unreadable-file", "read", "文件无法读取", "Unreadable file",
        "文件无法读取（空文件、文件不完整、有密码、超过大小上限、压缩炸弹等，原因中写明）；依赖它的评分点得 0 分，"
        "其余照常评分。",
        "A file could not be read (empty, truncated, password-protected, over the size cap, a zip "
        "bomb…; the reason says which); the criteria that need it score 0, the rest are graded.",
        "从原盘打开该文件核实；如实际可以读取，人工评分并记录改分。",
        "Open the file from the disc; if it can be read after all, grade it by hand and record an "
        "override."),
    FlagKind(
        "formula-without-value", "read", "公式无计算结果", "Formula without value",
        "工作簿中的公式没有保存计算结果（保存它的程序不计算公式），这些单元格按空值评分。",
        "A workbook's formulas hold no cached values (it was saved by a program that does not "
        "calculate); those cells were read as empty.",
        "用 Excel 打开该文件查看公式结果；如结果正确，人工评分并记录改分。",
        "Open the file in Excel to see the formulas' results; if they are right, grade by hand and "
        "record an override."),
    FlagKind(
        "symlink", "read", "符号链接", "Symbolic link",
        "考生文件夹中有符号链接，未跟随读取；或考生文件夹本身是链接：指向盘内文件夹时跟随读取，否则得 0 分、不读取任何文件。",
        "A symbolic link in the candidate's folder, not followed; or the candidate folder itself a "
        "link: followed when it leads to a folder inside the disc, else 0 points and nothing read.",
        "查看链接指向何处；考生的作答若在别处，取得原文件后重新评分。",
        "See where the link leads; if the candidate's work is elsewhere, obtain the files and grade "
        "again."),
    FlagKind(
        "special-file", "read", "特殊文件", "Special file",
        "考生文件夹中有非普通文件（管道、套接字或设备），未读取。",
        "The candidate's folder holds something that is not a regular file (a pipe, socket or "
        "device); it was not read.",
        "核实该条目来源；它不是考生作答，通常无需处理。",
        "Find out where it came from; it is not the candidate's work and usually needs nothing more."),
    FlagKind(
        "skipped-entry", "intake", "条目未解包", "Skipped entry",
        "光盘映像或压缩包中属于该考生文件夹的某个条目无法解包（原因中写明名称和缘由），未评分。",
        "An entry of the disc image or zip in the candidate's folder could not be unpacked (the reason "
        "gives its name and why); it was not graded.",
        "在原盘上查看该条目；如是考生作答，取出后人工评分并记录改分。",
        "Look at the entry on the original disc; if it is the candidate's work, take it out, grade "
        "it by hand and record an override."),
    FlagKind(
        "guessed-encoding", "read", "编码为推测", "Guessed encoding",
        "文本不是 UTF-8、UTF-16 或 GBK，或文件夹名不是 UTF-8，按假定的编码读取（西文按 Windows-1252，文件夹名按 "
        "GB18030，否则为推测），原因中写明所用编码；显示的文字可能有误。",
        "A text is not UTF-8, UTF-16 or GBK, or a folder name is not UTF-8, and was read in an assumed "
        "encoding the reason names (Windows-1252 for Western text, GB18030 for a folder name, else a "
        "guess); what is shown may be garbled.",
        "打开原文件核对文字；如因乱码失分，人工评分并记录改分。",
        "Open the original and check the text; if garbling cost points, grade by hand and record an "
        "override."),
    FlagKind(
        "wrong-extension", "read", "扩展名与内容不符", "Wrong extension",
        "文件的扩展名与内容不符（例如 .txt 文件实为 .docx 文档），已按内容读取。",
        "A file's extension does not match what it holds (e.g. a .txt file that is a .docx document); "
        "it was read by its content.",
        "确认所读内容是考生的作答；扩展名是否影响成绩按评分细则决定。",
        "Confirm the content read is the candidate's work; whether the extension matters is for the "
        "marking rules to say."),
    FlagKind(
        "damaged-image", "read", "图片损坏", "Damaged image",
        "所评的图片不完整、已损坏或不是图片，无法完整解码。",
        "A graded picture is truncated, corrupt or not an image, and could not be decoded in full.",
        "用看图软件打开原图核实；如图片实际完好，人工评分并记录改分。",
        "Open the picture in a viewer; if it is whole after all, grade it by hand and record an "
        "override."),
    FlagKind(
        "image-too-large", "read", "图片过大", "Image too large",
        "所评的图片像素数超过上限，未解码（防止图片炸弹）。",
        "A graded picture has more pixels than the cap and was refused unread (a guard against image "
        "bombs).",
        "在原盘上查看该图片；如属正常作答，人工评分并记录改分。",
        "Look at the picture on the disc; if it is honest work, grade it by hand and record an "
        "override."),
    FlagKind(
        "extra-products", "check", "产品数量超出", "Extra products",
        "选品表列出的产品多于规定数量，超出部分不得分。",
        "The selection board lists more products than the paper asks for; those beyond the first "
        "earn nothing.",
        "核对考生是否有意选这些产品；按评分细则决定是否改分。",
        "Check which products the candidate meant to choose; the marking rules decide whether to "
        "override."),
    FlagKind(
        "unit-g-for-kg", "check", "重量单位疑为克", "Grams for kilograms",
        "重量是产品池数值的 1000 倍：疑似以克填写了千克。",
        "A weight is 1000 times the pool's: grams typed for kilograms.",
        "核对该单元格；单位错误是否扣分按评分细则决定。",
        "Check the cell; whether the wrong unit costs points is for the marking rules to say."),
    FlagKind(
        "no-unit-1", "check", "缺少第 1 单元用户名", "No unit-1 username",
        "没有可读的第 1 单元企业用户名，店铺用户名只按用户名规则评分，未与第 1 单元比较。",
        "No readable unit-1 company username: the store username was graded on the username rule "
        "alone, not compared with unit 1.",
        "查看考生第 1 单元的作答；如有用户名，核对两者是否一致。",
        "Look at the candidate's unit 1; if it holds a username, check that the two agree."),
    FlagKind(
        "check-error", "score", "评分检查出错", "Check error",
        "某评分点的检查程序出错未能完成，该评分点得 0 分；原因中写明评分点和错误。",
        "A criterion's check failed and could not finish; the criterion scores 0. The reason names "
        "the criterion and the error.",
        "人工评该评分点并记录改分；将原因报告给评分程序维护人员。",
        "Grade the criterion by hand and record an override; report the reason to the grader's "
        "maintainers."),
    FlagKind(
        "not-graded", "score", "本单元未评分", "Not graded",
        "本版本评分程序不评该单元，该单元得 0 分。",
        "This version of the grader does not grade the unit; it scores 0.",
        "人工评该单元并记录改分。",
        "Grade the unit by hand and record overrides."),
    FlagKind(
        "no-deliverables", "score", "无交付文件", "No deliverables",
        "考生文件夹中没有任何文件。",
        "The candidate folder holds no file.",
        "核实考生是否缺考或文件未拷入光盘；如有作答，取得文件后重新评分。",
        "Check whether the candidate was absent or the files never reached the disc; if there is "
        "work, obtain it and grade again."),
    FlagKind(
        "grader-error", "pipeline", "评分程序错误", "Grader error",
        "评分程序出错，该考生评分中止，全部得 0 分；原因中写明错误。",
        "The grader failed and grading of this candidate stopped: every unit scores 0. The reason "
        "names the error.",
        "将原因报告给评分程序维护人员；修复后重新评分，或人工评分。",
        "Report the reason to the grader's maintainers; grade again once fixed, or grade by hand."),
    FlagKind(
        "similar-to", "pipeline", "与他人相似", "Similar to another",
        "作答与另一考生高度相似；原因中写明对方、单元或文件及相似度。",
        "The work is very like another candidate's; the reason names the other, the unit or file and "
        "the share.",
        "对照两份作答，按考试规定判断是否雷同。",
        "Compare the two and judge under the exam's rules whether they were copied."),
    FlagKind(
        "timeout", "supervise", "评分超时", "Timeout",
        "评分超过 --timeout 被中止，未评分（得 0 分、不缓存，下次运行重试）。",
        "Grading took longer than --timeout and was stopped; nothing graded (0 points, not cached, "
        "tried again by the next run).",
        "以更长的 --timeout 重新运行；仍超时则报告维护人员。",
        "Run again with a longer --timeout; if it still times out, report it to the maintainers."),
    FlagKind(
        "memory-limit", "supervise", "内存超限", "Memory limit",
        "评分需要的内存超过 --max-memory-mb 被中止，未评分（得 0 分、不缓存，下次运行重试）。",
        "Grading needed more memory than --max-memory-mb and was stopped; nothing graded (0 points, "
        "not cached, tried again by the next run).",
        "以更大的 --max-memory-mb 重新运行；仍超限则查看考生文件是否异常。",
        "Run again with a larger --max-memory-mb; if it still fails, look for an abnormal file in the "
        "candidate's folder."),
    FlagKind(
        "worker-died", "supervise", "评分进程中止", "Worker died",
        "评分该考生的进程被终止（例如被操作系统因内存不足杀死），未评分（得 0 分、不缓存，下次运行重试）。",
        "The process grading the candidate was killed (e.g. by the operating system's out-of-memory "
        "killer); nothing graded (0 points, not cached, tried again by the next run).",
        "重新运行；仍失败则减少并行数（--jobs）或报告维护人员。",
        "Run again; if it fails again, use fewer --jobs or report it to the maintainers."),
)

KINDS: dict[str, FlagKind] = {kind.code: kind for kind in FLAGS}


def name_zh(code: str) -> str:
    """The Chinese name of a flag code; "" for a code the table does not hold."""
    kind = KINDS.get(code)
    return kind.name_zh if kind is not None else ""


def labelled(code: str) -> str:
    """The code behind its Chinese name, as every report shows a flag: ``文件无法读取 unreadable-file``."""
    name = name_zh(code)
    return f"{name} {code}" if name else code


def anchor(code: str) -> str:
    """The id of the code's row in ``flags.html``."""
    return f"flag-{code}"


def markdown_table() -> str:
    """The README's table of flag codes."""
    lines = ["| 标记 flag | 含义 meaning | 考官应做 what to do |", "|---|---|---|"]
    for kind in FLAGS:
        lines.append(f"| {kind.name_zh} `{kind.code}` {kind.name_en} | {kind.meaning_zh} {kind.meaning_en} | "
                     f"{kind.action_zh} {kind.action_en} |")
    return "\n".join(lines) + "\n"
