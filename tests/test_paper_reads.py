"""Every sheet, column and field a check reads is declared (``@check(reads=...)``), resolved
against the deliverable spec when the paper loads, and a name the spec lacks is refused in one
line naming the file, the table and the name."""
from __future__ import annotations

from pathlib import Path

import pytest
from helpers import edit

from grader.checks import REGISTRY
from grader.errors import PaperError
from grader.paper import load_paper
from grader.read.submission import read_submission
from grader.records.tables import Row, Sheet, Workbook
from grader.score import run_criterion

REPO = Path(__file__).resolve().parent.parent
DISC = REPO / "sample_submissions" / "2026A-demo"


@pytest.fixture
def rubric(paper_copy) -> Path:
    return paper_copy




@pytest.mark.parametrize("old, new, reason", [
    ('check = "title_length_brand"\nparams = { sheet = "listing"', 'check = "title_length_brand"\nparams = { sheet = "listng"',
     ("criterion U3-01 reads sheet 'listng' (its sheet parameter), which [deliverables.u3_listing] does not declare "
     "(sheets: listing, variants)")),
    ('title_field = "title"', 'title_field = "titel"',
     ("criterion U3-06 reads field 'titel' (its title_field parameter) of sheet 'listing', which "
     "[deliverables.u3_listing.sheets.listing] does not declare (fields: title, title_cn, bullet1, bullet2, "
     "bullet3, bullet4, bullet5, search_terms, tags, description)")),
    ('id_column = "order_id", column = "audit"', 'id_column = "order_id", column = "audt"',
     ("criterion U6-02 reads column 'audt' (its column parameter) of sheet 'orders', which "
     "[deliverables.u6_orders.sheets.orders] does not declare (columns: order_id, audit, status, note)")),
    ("[deliverables.u2_selection.sheets.board]", "[deliverables.u2_selection.sheets.boards]",
     ("criterion U2-01 reads sheet 'board' (its board parameter), which [deliverables.u2_selection] does not "
     "declare (sheets: boards, suppliers, template)")),
    ('columns.closing_stock = ["期末库存"', 'columns.closing_stok = ["期末库存"',
     ("criterion U7-06 reads column 'closing_stock' (its columns.closing_stock parameter) of sheet 'stock', "
      "which "
     "[deliverables.u7_logistics.sheets.stock] does not declare (columns: sku, closing_stok)")),
    ('unit1_field = "username"', 'unit1_field = "user_name"',
     ("criterion U8-02 reads field 'user_name' (its unit1_field parameter) of sheet 'company', which "
     "[deliverables.u1_accounts.sheets.company] does not declare (fields: username, email, company_name, "
     "credit_code, legal_rep, legal_rep_id, bank, account_number, account_name)")),
    ('fields = ["platform", "country", "category", "material", "style"]',
     'fields = ["platform", "country", "categroy", "material", "style"]',
     ("criterion U2-02 reads column 'categroy' (its fields parameter) of sheet 'board', which "
     "[deliverables.u2_selection.sheets.board] does not declare (columns: product_id, platform, country, "
     "category, material, style)")),
])
def test_a_sheet_column_or_field_the_spec_lacks_is_refused_in_one_line(rubric, old, new, reason):
    edit(rubric, old, new)
    with pytest.raises(PaperError) as refused:
        load_paper(rubric)
    assert str(refused.value) == f"2026A.toml: {reason}"


def test_what_each_check_reads_of_the_perfect_candidate_is_what_it_declares(paper, monkeypatch):
    """A declaration that leaves out a name the check reads would let a typo through: each
    criterion runs on ks01 with the tables' lookups recorded, and every sheet, column and field
    looked up must be among those its check declares."""
    reading = read_submission(DISC / "ks01", paper, disc_root=DISC)
    seen: dict[str, set[str]] = {"sheet": set(), "column": set(), "field": set()}
    original = Workbook.sheet, Sheet.field, Row.__getitem__
    monkeypatch.setattr(Workbook, "sheet", lambda self, name: seen["sheet"].add(name) or original[0](self, name))
    monkeypatch.setattr(Sheet, "field", lambda self, name: seen["field"].add(name) or original[1](self, name))
    monkeypatch.setattr(Row, "__getitem__", lambda self, name: seen["column"].add(name) or original[2](self, name))
    looked_up = 0
    for unit in paper.units:
        for criterion in unit.criteria:
            for names in seen.values():
                names.clear()
            outcome = run_criterion(criterion, unit, reading, paper, [])
            assert outcome.points == criterion.points, criterion.id
            check = REGISTRY[criterion.check]
            declared = {"sheet": set(), "column": set(), "field": set()}
            for reads in check.reads:
                declared["sheet"].update(reads.names(reads.sheet, criterion.params))
                for entry in reads.columns:
                    declared["column"].update(reads.names(entry, criterion.params))
                for entry in reads.fields:
                    declared["field"].update(reads.names(entry, criterion.params))
            for kind, names in seen.items():
                assert names <= declared[kind], (criterion.id, kind, names - declared[kind])
            looked_up += sum(len(v) for v in seen.values())
    assert looked_up > 100
