"""Loading a paper validates it and refuses a broken rubric or key with a one-line reason."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from helpers import edit

from grader.errors import PaperError
from grader.paper import load_paper

REPO = Path(__file__).resolve().parent.parent






def test_default_paper_loads(paper):
    assert paper.id == "2026A"
    assert [u.weight for u in paper.units] == [10, 15, 15, 5, 20, 5, 10, 20]
    assert sum(u.weight for u in paper.units) == 100


def test_every_unit_points_add_up_to_its_weight(paper):
    for unit in paper.units:
        assert sum(c.points for c in unit.criteria) == unit.weight, unit.id


def test_unknown_check_is_refused(paper_copy):
    edit(paper_copy, 'check = "order_list"', 'check = "order_lsit"')
    with pytest.raises(PaperError, match="U6-01 names unknown check 'order_lsit'"):
        load_paper(paper_copy)


def test_points_not_adding_up_are_refused(paper_copy):
    edit(paper_copy, 'id = "U6-01"\npoints = 1', 'id = "U6-01"\npoints = 2')
    with pytest.raises(PaperError, match="criteria of U6 add up to 6 points, not its weight 5"):
        load_paper(paper_copy)


def test_weights_not_adding_up_to_100_are_refused(paper_copy):
    edit(paper_copy, 'id = "U6"\ntitle = "订单管理"\ntitle_en = "Orders"\nweight = 5',
         'id = "U6"\ntitle = "订单管理"\ntitle_en = "Orders"\nweight = 6')
    with pytest.raises(PaperError, match="unit weights add up to 101, not 100"):
        load_paper(paper_copy)


def test_key_lacking_what_a_criterion_needs_is_refused(paper_copy):
    key = paper_copy.parent.parent / "answer_keys" / "2026A" / "accounts.toml"
    edit(key, 'bank = "中国工商银行杭州滨江支行"\n', "")
    with pytest.raises(PaperError, match="U1-07 needs 'accounts.company.bank'"):
        load_paper(paper_copy)


def test_key_with_an_invalid_id_number_is_refused(paper_copy):
    key = paper_copy.parent.parent / "answer_keys" / "2026A" / "accounts.toml"
    edit(key, 'id_number = "110108198503152347"', 'id_number = "110108198503152348"')
    with pytest.raises(PaperError, match="not a valid GB 11643 ID number"):
        load_paper(paper_copy)


def test_missing_rubric_and_key_are_refused(tmp_path, paper_copy):
    with pytest.raises(PaperError, match="no rubric for paper 'nosuch'"):
        load_paper("nosuch")
    shutil.rmtree(paper_copy.parent.parent / "answer_keys")
    with pytest.raises(PaperError, match="answer key folder .* does not exist"):
        load_paper(paper_copy)


def test_every_registered_check_is_documented_and_every_criterion_names_one(paper):
    from grader.checks import REGISTRY

    for name, check in REGISTRY.items():
        assert check.doc, f"check {name} has no docstring"
    for criterion in paper.criteria():
        assert criterion.check in REGISTRY


# ---------------------------------------------------------------- names the rubric format does not have


@pytest.mark.parametrize("old, new, says", [
    ("pass_mark = 60", "passmark = 80",
     ("2026A.toml: unknown key 'passmark' in the top (known: schema, paper, title, key, pass_mark, display_places, "
     "typo_min_letters, similarity, units, deliverables); did you mean 'pass_mark'?")),
    ("[deliverables.u8_service]\nkind", "[similarity]\ntext_treshold = 80\n\n[deliverables.u8_service]\nkind",
     "unknown key 'text_treshold' in [similarity]"),
    ('max_pixels = 100000000', 'max_pixel = 100000000',
     ("unknown key 'max_pixel' in deliverable u4_images (known: kind, names, sheets, max_pixels, naming, frame, hash); "
     "did you mean 'max_pixels'?")),
    ('aliases = ["商品信息", "商品文案", "文案", "listing info"]', 'alias = ["商品信息"]',
     "unknown key 'alias' in deliverable u3_listing's sheet listing"),
    ('reply_folder = ["replies", "回复"]\n', '',
     "deliverable u8_service lacks 'reply_folder', which its reader (service) needs"),
    ('kind = "service"', 'kind = "mail"', "deliverable u8_service has kind 'mail', which no reader reads"),
])
def test_a_name_the_rubric_format_does_not_have_is_refused_at_load(paper_copy, old, new, says):
    edit(paper_copy, old, new)
    with pytest.raises(PaperError) as refused:
        load_paper(paper_copy)
    assert says in str(refused.value) and "\n" not in str(refused.value)


def test_a_mistyped_criterion_or_unit_key_is_refused(paper_copy):
    text = paper_copy.read_text(encoding="utf-8")
    first = text.index("[[units.criteria]]")
    block_end = text.index("\n\n", first)
    paper_copy.write_text(text[:block_end] + "\npoint = 3" + text[block_end:], encoding="utf-8")
    with pytest.raises(PaperError, match=r"unknown key 'point' in criterion U1-01 .*did you mean 'points'\?"):
        load_paper(paper_copy)


@pytest.mark.parametrize("rubric", sorted((REPO / "rubrics").glob("*.toml")), ids=lambda p: p.stem)
def test_every_shipped_rubric_uses_only_known_names(rubric):
    assert load_paper(rubric).rubric_path == rubric


@pytest.mark.parametrize("old, new, reason", [
    ('unit1 = "u1_accounts"', 'unit1 = "u1_acounts"',
     "criterion U8-02's unit1 = 'u1_acounts' names no deliverable"),
    ('username_rule = "U1-01"', 'username_rule = "U1-1"',
     "criterion U8-02's username_rule = 'U1-1' names no criterion of this rubric"),
    ('images = "u4_images"', 'images = "u4_image"',
     "criterion U2-06's images = 'u4_image' names no deliverable"),
])
def test_a_cross_reference_that_names_nothing_is_refused(paper_copy, old, new, reason):
    edit(paper_copy, old, new)
    with pytest.raises(PaperError, match=reason.replace("(", r"\(")):
        load_paper(paper_copy)


# ---------------------------------------------------------------- the image reader's settings (the deliverable spec)

NAMING = ('naming = { identifier = "product.parent_sku", main = "MAIN", pt = ["PT01", "PT02", "PT03", "PT04", '
          '"PT05", "PT06", "PT07", "PT08"], extensions = ["jpg", "jpeg", "png"] }\n')
HASH = 'hash = { method = "phash", size = 16, white = 250, trim = "0.01", work = 128, crops = ["0", "0.05", "0.1"] }\n'


@pytest.mark.parametrize("old, new, reason", [
    (NAMING, "", "2026A.toml: deliverable u4_images lacks 'naming', which its reader (images) needs"),
    ('frame = "0.02"\n', "", ("2026A.toml: criterion U4-04's check 'main_white_frame' judges by the 'frame' setting, "
                             "which [deliverables.u4_images] lacks")),
    (HASH, "", ("2026A.toml: criterion U4-05's check 'images_derived' judges by the 'hash' setting, which "
                "[deliverables.u4_images] lacks")),
    ('frame = "0.02"', 'frame = "0.5"',
     "2026A.toml: [deliverables.u4_images]: frame '0.5' must be a decimal share above 0 and below 0.5, such as \"0.02\""),
    ('identifier = "product.parent_sku"', 'identifier = "product.parent"',
     "2026A.toml: [deliverables.u4_images]: the key lacks the image identifier product.parent"),
    ('method = "phash"', 'method = "md5"',
     "2026A.toml: [deliverables.u4_images]: hash method 'md5' is not one of phash, dhash, average_hash, whash"),
    ("params = { min_pt = 3,", "params = { min_pt = 9,",
     "2026A.toml: key fails U4-01's guarantee: min_pt 9 is not a whole number from 0 to the 8 PT slots"),
])
def test_an_images_spec_lacking_or_misstating_its_readers_settings_is_refused(paper_copy, old, new, reason):
    edit(paper_copy, old, new)
    with pytest.raises(PaperError) as refused:
        load_paper(paper_copy)
    assert str(refused.value) == reason


# ---------------------------------------------------------------- slots and photos, rubric against key


@pytest.mark.parametrize("file, old, new, reason", [
    ("key", 'reply = "reply_03"', 'reply = "reply_3"',
     ("key fails U8-03's guarantee: service.scenarios names reply slot 'reply_3', which the deliverable's replies "
     "do not have (replies: reply_01, reply_02, reply_03)")),
    ("rubric", 'reply_03 = ["reply_03", "reply_3", "回复03", "回复3"]', 'reply_04 = ["reply_04"]',
     ("key fails U8-03's guarantee: service.scenarios names reply slot 'reply_03', which the deliverable's replies "
     "do not have (replies: reply_01, reply_02, reply_04)")),
    ("rubric", 'wrong_item = ["wrong_item", "错货", "发错货"]', 'wrong_item = ["wrong_item"], damaged = ["damaged"]',
     ("key fails U8-04's guarantee: the deliverable's template slot 'damaged' is not in service.templates "
     "(the key's: return, not_shipped, out_of_stock, wrong_item)")),
    ("rubric", 'not_shipped = ["not_shipped", "不发货", "未发货"]', 'unshipped = ["not_shipped", "不发货"]',
     ("key fails U8-04's guarantee: service.templates names template slot 'not_shipped', which the deliverable's "
     "templates do not have (templates: return, unshipped, out_of_stock, wrong_item)")),
])
def test_reply_and_template_slots_must_be_the_same_in_rubric_and_key(paper_copy, file, old, new, reason):
    target = paper_copy if file == "rubric" else paper_copy.parent.parent / "answer_keys" / "2026A" / "service.toml"
    edit(target, old, new)
    with pytest.raises(PaperError) as refused:
        load_paper(paper_copy)
    assert str(refused.value) == f"2026A.toml: {reason}"


def test_a_photo_that_plain_resizes_carry_past_half_the_threshold_is_refused_with_the_distances(paper_copy):
    import numpy as np
    from PIL import Image

    key = paper_copy.parent.parent / "answer_keys" / "2026A"
    y, x = np.mgrid[0:1200, 0:1600]
    checks = ((((x // 3) + (y // 3)) % 2) * 255).astype(np.uint8)  # 3-px squares: a resize makes moiré of them
    Image.fromarray(np.stack([checks] * 3, axis=-1)).save(key / "photos" / "checks.jpg", quality=95)
    edit(key / "images.toml", '"hkb100_two_sizes.jpg",', '"hkb100_two_sizes.jpg", "checks.jpg",')
    with pytest.raises(PaperError) as refused:
        load_paper(paper_copy)
    found = re.fullmatch(r"2026A\.toml: key fails U4-05's guarantee: photo checks\.jpg resized to (\d+) px \(JPEG "
                         r"quality 75\) lies (\d+) from itself, more than half of max_distance 64 \(distances: "
                         r"800 px (\d+), 1000 px (\d+), 1500 px (\d+)\)", str(refused.value))
    assert found, str(refused.value)
    side, far, *distances = map(int, found.groups())
    assert far > 32 and far == dict(zip((800, 1000, 1500), distances))[side]
    assert all(d <= 32 for s, d in zip((800, 1000, 1500), distances) if s < side)


def test_every_photo_of_the_key_survives_the_plain_resizes(paper):
    from grader.read.images import resized_distances
    from grader.records.images import HashMethod

    params = paper.criterion("U4-05").params
    method = HashMethod.from_params(paper.deliverables["u4_images"].options["hash"])
    found = resized_distances(paper.key, "images", method, tuple(params["resized_sides"]), params["resized_quality"])
    assert sorted(found) == sorted(paper.key["images"]["photos"])
    assert all(2 * d <= params["max_distance"] for sides in found.values() for d in sides.values())


@pytest.mark.parametrize("file, old, new, says", [
    ("orders.csv", "order_id,sku,quantity,payment,address,stock,buyer_message,shipment,return_request,audit,status",
     "order_id,sku,quantity,payment,address,stock,buyer_message,shipment,return_request,audited,status",
     "criterion U6-02 needs 'orders.audit', which the key ({key}) lacks (no column 'audit' in orders)"),
    ("keyword_report.csv", "keyword,search_volume,conversion_rate", "keyword,volume,conversion_rate",
     ("criterion U5-02 needs 'keyword_report.search_volume', which the key ({key}) lacks (no column "
     "'search_volume' in keyword_report)")),
])
def test_a_key_column_a_check_reads_is_required(paper_copy, file, old, new, says):
    key = paper_copy.parent.parent / "answer_keys" / "2026A"
    edit(key / file, old, new)
    with pytest.raises(PaperError) as refused:
        load_paper(paper_copy)
    assert str(refused.value) == "2026A.toml: " + says.format(key=key.resolve())


@pytest.mark.parametrize("old, new, reason", [
    ('slot = "MAIN"', 'slot = "Main"',
     ("key fails U2-06's guarantee: slot 'Main' is not a code of the images' naming (MAIN, PT01, PT02, PT03, PT04, "
     "PT05, PT06, PT07, PT08)")),
    ('slot = "MAIN", extensions = ["jpg", "jpeg", "png"]', 'slot = "MAIN", extensions = ["jpg", "webp"]',
     "key fails U2-06's guarantee: extension 'webp' is not one of the images' naming (jpg, jpeg, png)"),
])
def test_unit_2s_image_rule_follows_the_images_naming(paper_copy, old, new, reason):
    edit(paper_copy, old, new)
    with pytest.raises(PaperError) as refused:
        load_paper(paper_copy)
    assert str(refused.value) == f"2026A.toml: {reason}"
