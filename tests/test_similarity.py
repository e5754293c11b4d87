"""Similarity between candidates: copies are found, independent good work is not."""
from __future__ import annotations

import random

from grader.similarity import Pair, find_similar

REPLY_A = ("Dear Ms. Carter, thank you for your patience with order SO26110002. Your parcel left our "
           "warehouse on Monday and is now with the carrier; it should reach you within five working days. "
           "We are sorry for the wait. Kind regards, Lin")
REPLY_A_EDITED = REPLY_A.replace("five working days", "5 business days").replace("Kind regards", "Best regards")
REPLY_B = ("Hello Emma, I checked order SO26110002 for you: the carrier scanned it yesterday at the sorting "
           "centre, so delivery is expected by Friday. I apologise for the delay and will keep an eye on the "
           "tracking for you. Sincerely, Wang")


def test_a_copied_reply_with_a_few_words_changed_is_found():
    pairs = find_similar({"ks01": {"text:U8 reply_02": REPLY_A}, "ks12": {"text:U8 reply_02": REPLY_A_EDITED},
                          "ks05": {"text:U8 reply_02": REPLY_B}})
    assert len(pairs) == 1
    pair = pairs[0]
    assert (pair.a, pair.b, pair.label, pair.kind) == ("ks01", "ks12", "U8 reply_02", "text")
    assert pair.score >= 90
    assert pair.reason_for("ks01") == f"similar-to ks12 (U8 reply_02, {pair.score}%)"


def test_two_independent_good_replies_are_not_paired():
    assert find_similar({"ks01": {"text:U8 reply_02": REPLY_A}, "ks05": {"text:U8 reply_02": REPLY_B}}) == []


def test_text_from_the_materials_is_ignored():
    old_title = "HydroKeep Best Seller Water Bottle Bottle Bottle Free Shipping Stainless Steel Insulated Flask"
    prints = {"ks01": {"text:U5 title": old_title}, "ks02": {"text:U5 title": old_title}}
    assert find_similar(prints, materials_text=[old_title]) == []
    assert len(find_similar(prints)) == 1


def test_identical_files_are_bucketed_and_material_files_ignored():
    prints = {"ks01": {"file:u1_accounts.xlsx": "aa", "file:u4_images/x.jpg": "photo"},
              "ks02": {"file:u1_accounts.xlsx": "aa", "file:u4_images/x.jpg": "photo"},
              "ks03": {"file:u1_accounts.xlsx": "bb"}}
    assert find_similar(prints, materials_files=["photo"]) == [Pair("ks01", "ks02", "u1_accounts.xlsx", 100, "file")]


def test_near_identical_images_by_hash_distance():
    base = 0x8F3C_11AA_55F0_0F0F
    prints = {"ks01": {"image:U4 MAIN": f"{base:016x}"}, "ks02": {"image:U4 MAIN": f"{base ^ 0b101:016x}"},
              "ks03": {"image:U4 MAIN": f"{base ^ 0xFFFF_0000:016x}"}}
    pairs = find_similar(prints, image_distance=4)
    assert [(p.a, p.b, p.kind) for p in pairs] == [("ks01", "ks02", "image")]


def test_a_copied_reply_among_a_thousand_candidates_is_found():
    """At scale, without timing it (speed is bench/'s): the one copy is found, and no other pair."""
    rng = random.Random(7)
    vocabulary = ["order", "parcel", "refund", "return", "sorry", "carrier", "warehouse", "delivery", "tracking", "week", "day", "please", "thanks", "colour", "size", "bottle", "lid", "steel", "replace", "label", "prepaid", "shipping", "soon", "update", "patience"]
    prints = {}
    for n in range(1000):
        words = [rng.choice(vocabulary) for _ in range(60)]
        prints[f"ks{n:04d}"] = {f"text:U8 reply_0{k}": " ".join(rng.sample(words, len(words))) for k in (1, 2, 3)}
    prints["ks0999"]["text:U8 reply_01"] = prints["ks0001"]["text:U8 reply_01"] + " thanks"
    pairs = find_similar(prints, workers=2)
    assert ("ks0001", "ks0999", "U8 reply_01") in {(p.a, p.b, p.label) for p in pairs}


def test_work_shared_by_most_of_the_class_is_common_material():
    shared = {f"ks{n:02d}": {"text:U3 listing.title": REPLY_A} for n in range(1, 8)}
    shared["ks08"] = {"text:U3 listing.title": REPLY_B}
    assert find_similar(shared) == []
    rng = random.Random(3)
    letters = "abcdefghijklmnopqrstuvwxyz "
    pair_only = {f"ks{n:02d}": {"text:U3 listing.title": "".join(rng.choice(letters) for _ in range(120))}
                 for n in range(1, 8)}
    pair_only["ks01"] = pair_only["ks02"] = {"text:U3 listing.title": REPLY_A}
    assert [(p.a, p.b) for p in find_similar(pair_only)] == [("ks01", "ks02")]


def test_a_copied_reply_on_a_disc_is_flagged_for_both_candidates(tmp_path, paper):
    """End to end: ks02 hands in ks01's reply with a word changed; the others wrote their own."""
    from helpers import flag_codes, make_candidate, result

    from grader.pipeline import grade_disc

    disc = tmp_path / "disc"
    for n in range(1, 6):
        make_candidate(disc / f"ks{n:02d}", paper, only=("u8_service",))
    replies = [REPLY_A, REPLY_A_EDITED, REPLY_B,
               ("Hi Emily, sorry that SO26110006 is late. The courier had a backlog at the hub; it moved again "
                "today and you will have it within three days. Thanks for waiting, Chen"),
               ("Good morning Ms. Carter, your order SO26110006 is on its way after a short hold at customs. "
                "Expect it early next week; we apologise for the inconvenience. Yours, Zhao")]
    for n, text in enumerate(replies, start=1):
        (disc / f"ks{n:02d}" / "u8_service" / "replies" / "reply_01.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    grade_disc(disc, paper, out, jobs=1)
    for user in ("ks01", "ks02"):
        flags = [f for f in result(out, user)["flags"] if f["code"] == "similar-to"]
        other = "ks02" if user == "ks01" else "ks01"
        assert [f["reason"].split(" (")[0] for f in flags] == [f"similar-to {other}"]
        assert "U8 reply_01" in flags[0]["reason"] and flags[0]["unit"] == "U8"
        assert result(out, user)["status"] == "needs-review"
    for user in ("ks03", "ks04", "ks05"):
        assert "similar-to" not in flag_codes(out, user)
