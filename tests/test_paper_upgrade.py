"""The rubric format is versioned: a schema-1 rubric loads, upgraded in memory, to the very paper
the current rubric gives, and grades the demo disc the same; ``grade upgrade-paper`` writes it."""
from __future__ import annotations

import re
import shutil
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import load_result

from grader.cli import main
from grader.errors import PaperError
from grader.paper import load_paper
from grader.upgrade import SCHEMA, upgrade, upgrade_file

REPO = Path(__file__).resolve().parent.parent
SCHEMA_1 = REPO / "tests" / "data" / "schema1" / "2026A.toml"
POOL = ('pool_columns = { product_id = "product_id", cost = "purchase_cost_cny", freight = "freight_cny", '
        'weight = "weight_kg", moq = "moq", supplier_stock = "supplier_stock" }')
LAYOUT = ['board = "board"', 'id_column = "product_id"', POOL]
UNIT_2 = [  # unit 2's sheet and column names, fixed in code before schema 2
    ("U2-01", LAYOUT), ("U2-02", LAYOUT), ("U2-03", [*LAYOUT, 'sheet = "suppliers"']),
    ("U2-04", [*LAYOUT, 'sheet = "template"', 'price_column = "price_usd"']),
    ("U2-05", [*LAYOUT, 'sheet = "template"', 'stock_column = "stock"', 'weight_column = "weight_kg"']),
    ("U2-06", [*LAYOUT, 'sheet = "template"', 'sku_column = "sku"', 'image_column = "main_image"']),
]
VARIANTS = ('columns = { sku = "sku", color = "color", size = "size", price = "price_usd", stock = "stock", '
            'lead_time = "lead_time_days" }')
PRICING = ('columns = { sku = "sku", price = "price_usd", promo_price = "promo_price_usd", promo_start = "promo_start", '
           'promo_end = "promo_end", stock = "stock", lead_time = "lead_time_days" }')
SHIPPING = ('columns = { parcel_id = "parcel_id", method = "method", chargeable_weight = "chargeable_weight_kg", '
            'freight = "freight_cny" }')
UNIT_7 = [("U7-01", SHIPPING), ("U7-02", SHIPPING), ("U7-03", SHIPPING),
          ("U7-04", 'columns = { sku = "sku", quantity = "quantity", warehouse = "warehouse", date = "date" }'),
          ("U7-05", 'columns = { order_id = "order_id", sku = "sku", quantity = "quantity" }'),
          ("U7-06", 'columns = { sku = "sku", quantity = "quantity", closing_stock = "closing_stock" }'),
          ("U7-07", 'columns = { order_id = "order_id", method = "method", tracking_no = "tracking_no" }')]
CHANGES = [
    "add schema = 3 at the top of the rubric",
    "move naming from the parameters of criterion U4-01 to [deliverables.u4_images]",
    "move frame from the parameters of criterion U4-04 to [deliverables.u4_images]",
    "move hash from the parameters of criterion U4-05 to [deliverables.u4_images]",
    'add field = "username" to the parameters of criterion U1-01',
    'add field = "email" to the parameters of criterion U1-02',
    'add fields = { card_number = "card_number", card_holder = "card_holder" } to the parameters of criterion U1-04',
    'add fields = { company_name = "company_name", credit_code = "credit_code" } to the parameters of criterion U1-05',
    ('add fields = { bank = "bank", account_number = "account_number", account_name = "account_name" } to the '
    'parameters of criterion U1-07'),
    *[f"add {added} to the parameters of criterion {criterion}" for criterion, names in UNIT_2 for added in names],
    *[f"add {VARIANTS} to the parameters of criterion U3-{n}" for n in (10, 11, 12)],
    "add resized_sides = [800, 1000, 1500] to the parameters of criterion U4-05",
    "add resized_quality = 75 to the parameters of criterion U4-05",
    'add same_rules_as = ["U3-01", "U3-03", "U3-04"] to the parameters of criterion U5-01',
    *[f"add {PRICING} to the parameters of criterion U5-0{n}" for n in (6, 7, 8, 9)],
    *[f'add id_column = "order_id" to the parameters of criterion U6-0{n}' for n in (1, 2, 3)],
    *[f"add {added} to the parameters of criterion {criterion}" for criterion, added in UNIT_7],
    ('add elements = ["greets_by_name", "cites_order", "addresses_case", "offers_resolution", "closes_signed", '
    '"english", "word_count", "no_prohibited"] to the parameters of criterion U8-03'),
    "add digit_run = 7 to the parameters of criterion U8-03",
    ('add elements = ["placeholders", "greeting", "apology", "template_own", "closing", "english", "word_count", '
    '"no_prohibited"] to the parameters of criterion U8-04'),
    'add placeholders = ["buyer_name", "order_id"] to the parameters of criterion U8-04',
    "add digit_run = 7 to the parameters of criterion U8-04",
    "add typo_min_letters = 6 at the top of the rubric",
]


def as_data(paper) -> dict:
    """Everything a paper grades by, apart from where its files are."""
    return {"id": paper.id, "title": paper.title, "pass_mark": paper.pass_mark, "places": paper.places,
            "typo_min_letters": paper.typo_min_letters,
            "units": paper.units, "deliverables": paper.deliverables, "similarity": paper.similarity,
            "key": paper.key.root, "key_sha256": paper.key_sha256}


@pytest.fixture(scope="module")
def old_paper():
    return load_paper(SCHEMA_1)


def test_the_shipped_rubric_is_the_current_schema(paper):
    rubric = tomllib.loads(paper.rubric_path.read_text(encoding="utf-8"))
    assert rubric["schema"] == SCHEMA == 3
    assert paper.warnings == ()


def test_a_schema_1_rubric_loads_as_the_same_paper(paper, old_paper):
    assert as_data(old_paper) == as_data(paper)
    assert old_paper.deliverables["u4_images"].options["frame"] == "0.02"
    assert "naming" not in old_paper.criterion("U4-01").params


def test_loading_a_schema_1_rubric_warns_with_what_to_change(old_paper):
    assert old_paper.upgrade == tuple(CHANGES)
    (warning,) = old_paper.warnings
    assert warning == ("2026A.toml is written for an earlier schema of the rubric format; read as schema 3 after "
                       f"{len(CHANGES)} changes ({'; '.join(CHANGES[:3])}; …): grade upgrade-paper {SCHEMA_1} lists "
                       "them all, and with --write makes them in the file")


def test_the_upgrade_leaves_its_input_alone_and_a_current_rubric_unchanged():
    old = tomllib.loads(SCHEMA_1.read_text(encoding="utf-8"))
    before = repr(old)
    upgraded, changes = upgrade(old)
    assert repr(old) == before and changes == CHANGES
    again, none = upgrade(upgraded)
    assert again == upgraded and none == []


def test_a_schema_1_paper_grades_the_demo_disc_as_the_current_one(tmp_path, demo_disc, demo_results, old_paper):
    from grader.pipeline import grade_disc

    out = tmp_path / "out"
    run = grade_disc(demo_disc, old_paper, out, jobs=1)
    assert run.warnings[:1] == list(old_paper.warnings)
    users = sorted(p.stem for p in (demo_results / "candidates").glob("*.json"))
    assert users and sorted(p.stem for p in (out / "candidates").glob("*.json")) == users
    for user in users:
        old, new = load_result(out, user), load_result(demo_results, user)
        assert old["units"] == new["units"] and old["flags"] == new["flags"] and old["total"] == new["total"], user


@pytest.mark.parametrize("line, reason", [
    ("schema = 4", "2026A.toml: written for schema 4, newer than this grader reads (3): install a newer grader"),
    ('schema = "2"', "2026A.toml: schema = '2' is not a schema number (1 to 3)"),
    ("schema = 0", "2026A.toml: schema = 0 is not a schema number (1 to 3)"),
])
def test_a_schema_this_grader_cannot_read_is_refused(tmp_path, line, reason):
    rubric = tmp_path / "2026A.toml"
    rubric.write_text(SCHEMA_1.read_text(encoding="utf-8").replace('paper = "2026A"', f'{line}\npaper = "2026A"'),
                      encoding="utf-8")
    with pytest.raises(PaperError) as refused:
        load_paper(rubric)
    assert str(refused.value) == reason


# ---------------------------------------------------------------- grade upgrade-paper


@pytest.fixture
def old_rubric(tmp_path) -> Path:
    copy = tmp_path / "2026A.toml"
    shutil.copy(SCHEMA_1, copy)
    return copy


def test_upgrade_paper_lists_the_changes_and_writes_nothing_without_write(old_rubric):
    before = old_rubric.read_bytes()
    result = CliRunner().invoke(main, ["upgrade-paper", str(old_rubric)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [*(f"  {c}" for c in CHANGES),
                                          f"{len(CHANGES)} changes to schema 3; run again with --write to make them 加 --write 写入"]
    assert old_rubric.read_bytes() == before


def test_upgrade_paper_write_makes_the_shipped_rubric_keeping_comments(old_rubric):
    result = CliRunner().invoke(main, ["upgrade-paper", str(old_rubric), "--write"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == f"{old_rubric} upgraded to schema 3 已升级"
    text = old_rubric.read_text(encoding="utf-8")
    written, shipped = tomllib.loads(text), tomllib.loads((REPO / "rubrics" / "2026A.toml").read_text("utf-8"))
    assert {**written, "key": ""} == {**shipped, "key": ""}
    assert text.startswith("# Rubric of paper 2026A in schema 1") and "\nschema = 3\ntypo_min_letters = 6  # convention 12" in text
    assert "params = { min_pt = 3, image_extensions = " in text and "{  " not in text  # spacing kept
    again = CliRunner().invoke(main, ["upgrade-paper", str(old_rubric), "--write"])
    assert again.exit_code == 0 and again.output == f"{old_rubric} is already schema 3 无需升级\n"
    assert upgrade_file(old_rubric) == []


def test_upgrade_paper_refuses_a_file_that_is_not_toml(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("paper = \n", encoding="utf-8")
    result = CliRunner().invoke(main, ["upgrade-paper", str(bad)])
    assert result.exit_code == 1 and result.output.startswith("Error: bad.toml: not valid TOML (")
    assert len(result.output.strip().splitlines()) == 1


# ---------------------------------------------------------------- schema 2: the typo rule's word length


def schema_2(tmp_path) -> Path:
    """The shipped 2026A rubric as schema 2 wrote it: no typo_min_letters (6 was implied)."""
    shipped = (REPO / "rubrics" / "2026A.toml").read_text(encoding="utf-8")
    text = re.sub(r"^typo_min_letters = .*\n", "", shipped, flags=re.MULTILINE)
    text = re.sub(r"^schema = 3 .*$", "schema = 2  # the rubric format", text, flags=re.MULTILINE)
    text = text.replace('key = "../answer_keys/2026A"', f'key = "{(REPO / "answer_keys" / "2026A").as_posix()}"')
    assert text != shipped and "typo_min_letters" not in text
    rubric = tmp_path / "2026A.toml"
    rubric.write_text(text, encoding="utf-8")
    return rubric


def test_a_schema_2_rubric_gets_the_typo_rule_it_implied(tmp_path, paper):
    old = load_paper(schema_2(tmp_path))
    assert old.upgrade == ("set schema = 3", "add typo_min_letters = 6 at the top of the rubric")
    assert old.typo_min_letters == 6 and as_data(old) == as_data(paper)


def test_upgrade_paper_writes_a_schema_2_rubric_in_place(tmp_path):
    rubric = schema_2(tmp_path)
    result = CliRunner().invoke(main, ["upgrade-paper", str(rubric), "--write"])
    assert result.exit_code == 0, result.output
    text = rubric.read_text(encoding="utf-8")
    assert ("\nschema = 3  # the rubric format\ntypo_min_letters = 6  # convention 12: a word of 6 letters or more "
            "may carry one typo\npaper = " in text)
    assert load_paper(rubric).upgrade == ()


NOT_LETTERS = "is not a number of letters (a whole number, at least 1)"


@pytest.mark.parametrize("line, reason", [
    ("", ("2026A.toml: typo_min_letters missing at the top of the rubric (the shortest word that may carry one "
          'typo, convention 12; 6 reads "a word longer than 5 letters")')),
    ("typo_min_letters = 0\n", f"2026A.toml: typo_min_letters = 0 {NOT_LETTERS}"),
    ('typo_min_letters = "6"\n', f"2026A.toml: typo_min_letters = '6' {NOT_LETTERS}"),
    ("typo_min_letters = true\n", f"2026A.toml: typo_min_letters = True {NOT_LETTERS}"),
])
def test_a_current_rubric_without_a_good_typo_rule_is_refused(tmp_path, line, reason):
    rubric = tmp_path / "2026A.toml"
    text = (REPO / "rubrics" / "2026A.toml").read_text(encoding="utf-8")
    text = re.sub(r"^typo_min_letters = .*\n", line, text, flags=re.MULTILINE)
    rubric.write_text(text.replace('key = "../answer_keys/2026A"',
                                   f'key = "{(REPO / "answer_keys" / "2026A").as_posix()}"'), encoding="utf-8")
    with pytest.raises(PaperError) as refused:
        load_paper(rubric)
    assert str(refused.value) == reason
