"""The filtered similarity method gives the all-pairs method's answers: on a class made like a real
one, and on pairs placed exactly at the threshold, the length bound and the distance."""
from __future__ import annotations

import pytest
from similarity_reference import find_similar_all_pairs

from grader.samples.classprints import class_fingerprints
from grader.similarity import Pair, find_similar

TEMPLATES = {
    "text:U3 listing.title": ("HydroKeep Insulated Water Bottle 500ml/750ml, Stainless Steel Vacuum Flask with Leak "
                              "Proof Lid, Double Wall Travel Mug for Gym, Hiking, Office and Sports"),
    "text:U3 listing.title_cn": "HydroKeep 保温杯 不锈钢水杯 真空保温瓶 大容量运动水壶 500ml/750ml 户外便携 最近上新",
    "text:U3 listing.bullet1": ("Keeps drinks cold for 24 hours and hot for 12 hours thanks to double-wall vacuum "
                                "insulation; no condensation on the outside."),
    "text:U5 listing.title": ("HydroKeep water bottle bottle bottle AquaPeak flask best seller free shipping cheap "
                              "stainless steel insulated"),
    "text:U8 reply_01": ("Dear Ms. Carter,\n\nThank you for your message about order SO26110006. I am sorry that your "
                         "two HydroKeep bottles have not shipped yet: the blue 500 ml colour sold faster than we "
                         "expected, and the order is waiting for the new stock that reaches our warehouse on "
                         "Thursday. We will ship it the same day and send you the tracking number at once. If you "
                         "would rather not wait, you can cancel the order from the order page and the refund will "
                         "reach your card within three working days.\n\nKind regards,\nLin Wei\nHydroKeep Customer "
                         "Service"),
    "text:U8 return": ("Dear {buyer_name},\n\nThank you for contacting us about order {order_id}. We are sorry that the "
                       "product did not meet your expectations. To return it, please open the order page, click "
                       "Return item and print the prepaid label; the refund is made within five days of the "
                       "parcel reaching us.\n\nBest regards,\nHydroKeep Customer Service"),
    "image:U4 MAIN": "eaaabd7db97ca555c4479104912cc42b4eab13ac3afe4e536fd339442f42c503",
    "image:U4 PT01": "e68c924b9924edb632cb336d33249b9acdb19e536cc938cc33066333999bcc99",
    "file:u1_accounts.xlsx": "",
    "file:u8_service/replies/reply_01.txt": "",
}
MATERIALS = [TEMPLATES["text:U5 listing.title"], "Best seller water bottle!!! Free shipping. 100% quality guaranteed."]


def test_a_thousand_candidates_get_the_all_pairs_flags():
    prints = class_fingerprints(TEMPLATES, 1000, seed=19,
                                common={"text:U8 return": 0.6, "image:U4 PT01": 0.55, "text:U5 listing.title": 0.3})
    options = {"materials_text": MATERIALS, "text_threshold": 90, "image_distance": 4, "workers": 2}
    filtered = find_similar(prints, **options)
    assert filtered == find_similar_all_pairs(prints, **options)
    assert {p.kind for p in filtered} == {"file", "text", "image"}
    # the 60% and 55% groups are common material: only the copies outside them are left
    assert 0 < sum(p.label == "U8 return" for p in filtered) < 50
    assert 0 < sum(p.label == "U4 PT01" for p in filtered) < 50


@pytest.mark.parametrize(("threshold", "distance", "share"), [(85, 0, 0.5), (95, 8, 0.5), (100, 1, 0.5),
                                                             (90, 4, 1.0), (72.5, 12, 0.3)])
def test_other_thresholds_agree_too(threshold, distance, share):
    prints = class_fingerprints(TEMPLATES, 300, seed=int(threshold), copy_share=0.1,
                                common={"text:U8 return": 0.6, "image:U4 PT01": 0.55})
    options = {"text_threshold": threshold, "image_distance": distance, "common_share": share}
    assert find_similar(prints, **options) == find_similar_all_pairs(prints, **options)


BASE = "the parcel left our warehouse on monday; so sorry!"  # 50 characters, no "#" nor "x"


def _substituted(text: str, count: int) -> str:
    """``count`` characters replaced by one the text never holds: the LCS loses exactly ``count``."""
    chars = list(text)
    for k in range(count):
        chars[3 + 9 * k] = "#"
    return "".join(chars)


@pytest.mark.parametrize(("other", "score"), [
    (BASE[:45] + "#" * 5, 90),  # LCS 45 of S = 100: d = 10, exactly 90.0
    (BASE[:44] + "#" * 6, None),  # d = 12: 88
    (_substituted(BASE, 5), 90),
    (_substituted(BASE, 6), None),
    (BASE[:45], 95),  # 45 of 50, all kept: 2 * 45 / 95 = 94.7
])
def test_texts_at_the_threshold(other, score):
    prints = {"ks01": {"text:U3 listing.bullet1": BASE}, "ks02": {"text:U3 listing.bullet1": other}}
    expected = [Pair("ks01", "ks02", "U3 listing.bullet1", score, "text")] if score else []
    assert find_similar_all_pairs(prints) == expected
    assert find_similar(prints) == expected


@pytest.mark.parametrize(("longer", "flagged"), [(55, True), (56, False)])
def test_the_length_bound_at_the_threshold(longer, flagged):
    """45 characters and 55 holding them all: ratio 90 exactly; 56 characters: 89.1."""
    short = BASE[:45]
    prints = {"ks01": {"text:U3 title": short}, "ks02": {"text:U3 title": short + "x" * (longer - 45)}}
    expected = find_similar_all_pairs(prints)
    assert find_similar(prints) == expected
    assert bool(expected) == flagged


@pytest.mark.parametrize("flipped", [3, 4, 5])
def test_image_hashes_at_the_distance(flipped):
    """Flipped bits spread over the runs, so that at 4 no run is kept whole but one."""
    base = int(TEMPLATES["image:U4 MAIN"], 16)
    other = base
    for k in range(flipped):
        other ^= 1 << (7 + 51 * k)
    prints = {"ks01": {"image:U4 MAIN": f"{base:064x}"}, "ks02": {"image:U4 MAIN": f"{other:064x}"},
              "ks03": {"image:U4 MAIN": f"{base ^ (1 << 200) ^ (1 << 3):064x}"}}
    expected = find_similar_all_pairs(prints, image_distance=4)
    assert find_similar(prints, image_distance=4) == expected
    assert (Pair("ks01", "ks02", "U4 MAIN", round(100 * (1 - flipped / 256)), "image") in expected) == (flipped <= 4)


def test_a_template_most_of_the_class_hands_in_is_dropped_whatever_its_variants():
    prints = class_fingerprints({"text:U8 return": TEMPLATES["text:U8 return"]}, 200, seed=5, copy_share=0,
                                common={"text:U8 return": 0.7})
    assert find_similar(prints) == find_similar_all_pairs(prints) == []


def _edited(text: str, rng, edits: int, alphabet: str) -> str:
    chars = list(text)
    for _ in range(edits):
        at = rng.randrange(len(chars))
        move = rng.random()
        if move < 0.3:
            del chars[at]
        elif move < 0.6:
            chars.insert(at, rng.choice(alphabet))
        else:
            chars[at] = rng.choice(alphabet)
    return "".join(chars)


@pytest.mark.parametrize("threshold", [80, 90, 95])
def test_rare_characters_moved_about_keep_the_all_pairs_answers(threshold):
    """The rare-character bound, where rare characters (a NUL, an emoji, Han, digits) are dropped,
    added and moved by the edits, and pairs fall on both sides of the threshold."""
    import random

    rng = random.Random(threshold)
    alphabet = "eeeeeetttaaoo nnssrrhhld" + "0123456789" + "\x00😀中文#qz"
    base = "".join(rng.choice(alphabet) for _ in range(400))
    texts = [_edited(base, rng, rng.randint(0, 120), alphabet) for _ in range(60)]
    texts += [_edited(t, rng, rng.randint(0, 30), alphabet) for t in texts[:40]]
    prints = {f"ks{n:03d}": {"text:U8 reply_01": t} for n, t in enumerate(texts)}
    options = {"text_threshold": threshold, "common_share": 1.0}  # no group is common material here
    expected = find_similar_all_pairs(prints, **options)
    assert find_similar(prints, **options) == expected
    assert 200 <= len(expected) <= 3000
    assert min(p.score for p in expected) == threshold  # pairs right at the threshold are among them


def _reply_texts(candidates: int, seed: int) -> list[str]:
    from grader.similarity import normalise

    prints = class_fingerprints({"text:U8 reply_01": TEMPLATES["text:U8 reply_01"]}, candidates, seed=seed,
                                copy_share=0.1)
    return sorted({normalise(p["text:U8 reply_01"]) for p in prints.values()})


def test_long_texts_paired_by_their_sketches_get_the_bounds_pairs():
    """586 distinct replies of 300 characters or more: the sketches' candidates give the pairs
    the lossless bounds give over every pair (the copies, at 95 or more)."""
    from grader.alike import Groups
    from grader.textjoin import alike_texts

    texts = _reply_texts(600, seed=8)
    assert len(texts) == 586 and min(map(len, texts)) >= 300
    sketched = alike_texts(texts, 90, Groups([1] * len(texts), None), sketch_from=500)
    bounded = alike_texts(texts, 90, Groups([1] * len(texts), None), sketch_from=10**9)
    assert sketched.tolist() == bounded.tolist()
    assert len(bounded) == 38 and min(score for *_, score in bounded) == 95


def test_what_the_sketches_miss_a_text_edited_every_ten_characters():
    """One character in ten replaced: ratio 90, yet every 12-character shingle differs, so the
    sketches never make the pair a candidate; the bounds alone find it."""
    from grader.alike import Groups
    from grader.similarity import normalise
    from grader.textjoin import alike_texts

    base = normalise(TEMPLATES["text:U8 reply_01"])[:500]
    edited = "".join("#" if k % 10 == 5 else ch for k, ch in enumerate(base))
    assert alike_texts([base, edited], 90, Groups([1, 1], None), sketch_from=10**9).tolist() == [[0, 1, 90]]
    assert alike_texts([base, edited], 90, Groups([1, 1], None), sketch_from=2).tolist() == []


def test_the_sketches_are_the_same_on_every_machine():
    """Fixed seeds and 64-bit arithmetic that wraps alike everywhere: these values are the signature."""
    from grader.similarity import normalise
    from grader.textjoin import _signatures

    text = normalise(TEMPLATES["text:U8 reply_01"])[:500]
    assert _signatures([text])[0, :3].tolist() == [947818230, 720950664, 129591596]
