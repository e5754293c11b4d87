"""Upgrading a rubric written for an earlier schema of the rubric format.

A rubric states its format with ``schema = N`` at its top; one without it is schema 1 (the format
of the first papers). The loader reads the current schema (``SCHEMA``) and upgrades an earlier one
in memory, here and nowhere else: the values that schema 1 implied, and the places where it kept
them, live in this module, never in the checks. Each change made is told in words, so that the
centre can make it in its file (``grade upgrade-paper RUBRIC --write`` makes them all).

Schema 2 differs from schema 1 in:

- ``schema = 2`` at the top (now ``schema = 3``);
- the image reader's settings stand in the images deliverable's spec (``[deliverables.<name>]``:
  ``naming``, ``frame``, ``hash``), no longer in the parameters of the criteria that score
  them (schema 1 kept them in the image-naming, white-frame and derived-image criteria);
- parameters schema 1 implied are written (``IMPLIED``: check name → parameter → the value
  schema 1 graded by).

Schema 3 differs from schema 2 in:

- ``typo_min_letters`` at the top of the rubric: the shortest word of a phrase that may carry one
  typo (convention 12). Schemas 1 and 2 implied 6, "a word longer than 5 letters" (``TYPO_MIN``).

>>> rubric = {"units": [{"id": "U4", "deliverable": "pics", "criteria": [
...     {"id": "U4-04", "params": {"frame": "0.02", "white_level": 250}}]}],
...     "deliverables": {"pics": {"kind": "images"}}}
>>> upgraded, changes = upgrade(rubric)
>>> upgraded["schema"], upgraded["deliverables"]["pics"]["frame"], upgraded["units"][0]["criteria"][0]["params"]
(3, '0.02', {'white_level': 250})
>>> upgraded["typo_min_letters"], changes[0], changes[-1]
(6, 'add schema = 3 at the top of the rubric', 'add typo_min_letters = 6 at the top of the rubric')
>>> changes[1]
'move frame from the parameters of criterion U4-04 to [deliverables.pics]'

The functions change only mappings and lists through their common methods, so the same step
upgrades a plain ``dict`` (the loader) and a ``tomlkit`` document, comments kept (the writer).
"""
from __future__ import annotations

import copy
import os
import re
import tomllib
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

from grader.errors import PaperError

SCHEMA = 3  # the schema this grader reads; an earlier one is upgraded, a later one refused
TYPO_MIN = 6  # what schemas 1 and 2 implied for typo_min_letters: "a word longer than 5 letters"
IMAGE_SETTINGS = ("naming", "frame", "hash")  # schema 1 kept these in criteria parameters
# What schema 1 implied, by check: the values a schema-1 paper was graded by, now parameters.
_UNIT_2 = {"board": "board", "id_column": "product_id",
           "pool_columns": {"product_id": "product_id", "cost": "purchase_cost_cny", "freight": "freight_cny",
                            "weight": "weight_kg", "moq": "moq", "supplier_stock": "supplier_stock"}}
_VARIANTS = {"columns": {"sku": "sku", "color": "color", "size": "size", "price": "price_usd", "stock": "stock",
                         "lead_time": "lead_time_days"}}
_PRICING = {"columns": {"sku": "sku", "price": "price_usd", "promo_price": "promo_price_usd",
                        "promo_start": "promo_start", "promo_end": "promo_end", "stock": "stock",
                        "lead_time": "lead_time_days"}}
_SHIPPING = {"columns": {"parcel_id": "parcel_id", "method": "method", "chargeable_weight": "chargeable_weight_kg",
                         "freight": "freight_cny"}}
IMPLIED: dict[str, dict[str, Any]] = {
    "usernames": {"field": "username"},
    "emails": {"field": "email"},
    "bank_card": {"fields": {"card_number": "card_number", "card_holder": "card_holder"}},
    "company_identity": {"fields": {"company_name": "company_name", "credit_code": "credit_code"}},
    "company_account": {"fields": {"bank": "bank", "account_number": "account_number", "account_name": "account_name"}},
    "order_list": {"id_column": "order_id"},
    "order_field": {"id_column": "order_id"},
    "parcel_methods": _SHIPPING,
    "parcel_chargeable_weights": _SHIPPING,
    "parcel_freights": _SHIPPING,
    "inbound_rows": {"columns": {"sku": "sku", "quantity": "quantity", "warehouse": "warehouse", "date": "date"}},
    "outbound_rows": {"columns": {"order_id": "order_id", "sku": "sku", "quantity": "quantity"}},
    "closing_stock": {"columns": {"sku": "sku", "quantity": "quantity", "closing_stock": "closing_stock"}},
    "tracking_numbers": {"columns": {"order_id": "order_id", "method": "method", "tracking_no": "tracking_no"}},
    "variant_coverage": _VARIANTS,
    "variant_skus": _VARIANTS,
    "variant_values": _VARIANTS,
    "price_band": _PRICING,
    "promotion": _PRICING,
    "stock_cover": _PRICING,
    "lead_times": _PRICING,
    "selection_rules": _UNIT_2,
    "board_fields": _UNIT_2,
    "supplier_rows": {**_UNIT_2, "sheet": "suppliers"},
    "listing_prices": {**_UNIT_2, "sheet": "template", "price_column": "price_usd"},
    "stock_and_weight": {**_UNIT_2, "sheet": "template", "stock_column": "stock", "weight_column": "weight_kg"},
    "main_images": {**_UNIT_2, "sheet": "template", "sku_column": "sku", "image_column": "main_image"},
    "images_derived": {"resized_sides": [800, 1000, 1500], "resized_quality": 75},
    "new_title_rules": {"same_rules_as": ["U3-01", "U3-03", "U3-04"]},
    "service_replies": {"elements": ["greets_by_name", "cites_order", "addresses_case", "offers_resolution",
                                     "closes_signed", "english", "word_count", "no_prohibited"], "digit_run": 7},
    "service_templates": {"elements": ["placeholders", "greeting", "apology", "template_own", "closing", "english",
                                       "word_count", "no_prohibited"], "placeholders": ["buyer_name", "order_id"],
                          "digit_run": 7},
}


class SchemaError(PaperError):
    """The rubric's schema is not one this grader can read."""


def schema_of(rubric: MutableMapping[str, Any]) -> int:
    """The rubric's schema: its ``schema`` key, 1 when there is none; SchemaError for anything else."""
    schema = rubric.get("schema", 1)
    if isinstance(schema, bool) or not isinstance(schema, int) or schema < 1:
        raise SchemaError(f"schema = {schema!r} is not a schema number (1 to {SCHEMA})")
    if schema > SCHEMA:
        raise SchemaError(f"written for schema {schema}, newer than this grader reads ({SCHEMA}): "
                          "install a newer grader")
    return schema


def upgrade(rubric: MutableMapping[str, Any]) -> tuple[MutableMapping[str, Any], list[str]]:
    """The rubric in the current schema (a copy; the given one is left as it is) and, in order,
    each change made, in words. A rubric already current comes back equal, with no change."""
    schema = schema_of(rubric)
    upgraded = copy.deepcopy(rubric)
    changes = _schema_change(schema)
    if schema < 2:
        changes += _to_2(upgraded)
    if schema < 3:
        changes += _to_3(upgraded)
    upgraded["schema"] = SCHEMA
    return upgraded, changes


def upgraded_text(text: str) -> tuple[str, list[str]]:
    """A rubric file's text in the current schema, its comments and layout kept, and the changes
    made (none, and the text as it is, for a current rubric). ``tomlkit`` edits the document."""
    import tomlkit

    document = tomlkit.parse(text)
    schema = schema_of(document)
    if schema == SCHEMA:
        return text, []
    changes = _schema_change(schema)
    if schema < 2:
        changes += _to_2(document)
    typo = _to_3(document)
    if typo:  # written below the schema line by hand: tomlkit would put it after the comments above the first table
        del document["typo_min_letters"]
    changes += typo
    # a key taken out of the front of an inline table leaves its spacing: `params = {  min_pt = 3 }`
    written = re.sub(r"^(params = \{) {2,}", r"\1 ", tomlkit.dumps(document), flags=re.MULTILINE)
    extra = [f"typo_min_letters = {TYPO_MIN}  # convention 12: a word of {TYPO_MIN} letters or more may carry one typo"
             ] if typo else []
    return _schema_line(written, replace="schema" in document, after=extra), changes


def _schema_change(schema: int) -> list[str]:
    """The change of the ``schema`` key itself (made by the caller: where it stands matters in a file)."""
    if schema == SCHEMA:
        return []
    return [f"add schema = {SCHEMA} at the top of the rubric" if schema == 1 else f"set schema = {SCHEMA}"]


def _schema_line(text: str, *, replace: bool = False, after: tuple[str, ...] | list[str] = ()) -> str:
    """``schema = N`` on its own line before the rubric's first key (after its header comment), or,
    when ``replace``, in the file's own ``schema`` line (its comment kept); the lines of ``after``
    follow it."""
    lines = text.splitlines(keepends=True)
    first = next((i for i, line in enumerate(lines) if (re.match(r"schema\s*=", line) if replace else
                                                         line.strip() and not line.lstrip().startswith("#"))),
                 len(lines))
    line = re.sub(r"^schema\s*=\s*\d+", f"schema = {SCHEMA}", lines[first]) if replace else f"schema = {SCHEMA}\n"
    return "".join([*lines[:first], line, *(f"{extra}\n" for extra in after), *lines[first + replace:]])


def _to_2(rubric: MutableMapping[str, Any]) -> list[str]:
    """Schema 1 → 2 (the ``schema`` key itself is set by the caller)."""
    changes = []
    deliverables = rubric.get("deliverables")
    units = rubric.get("units")
    if isinstance(deliverables, MutableMapping) and isinstance(units, list):
        for name, spec in deliverables.items():
            if isinstance(spec, MutableMapping) and spec.get("kind") == "images":
                changes += _image_settings(name, spec, units)
    if isinstance(units, list):
        changes += _implied(units)
    return changes


def _to_3(rubric: MutableMapping[str, Any]) -> list[str]:
    """Schema 2 → 3: the typo rule's word length, which the earlier schemas fixed at ``TYPO_MIN``."""
    if "typo_min_letters" in rubric:
        return []
    rubric["typo_min_letters"] = TYPO_MIN
    return [f"add typo_min_letters = {TYPO_MIN} at the top of the rubric"]


def _implied(units: list[Any]) -> list[str]:
    """Write into each criterion the parameters schema 1 implied for its check, unless it has them."""
    changes = []
    for unit in units:
        criteria = unit.get("criteria", []) if isinstance(unit, MutableMapping) else []
        for criterion in criteria if isinstance(criteria, list) else []:
            if not isinstance(criterion, MutableMapping):
                continue
            implied = IMPLIED.get(str(criterion.get("check", "")), {})
            if not implied:
                continue
            if "params" not in criterion:
                criterion["params"] = {}
            params = criterion["params"]
            if not isinstance(params, MutableMapping):
                continue
            for name, value in implied.items():
                if name not in params:
                    params[name] = copy.deepcopy(value)
                    changes.append(f"add {name} = {_toml(value)} to the parameters of criterion "
                                   f"{criterion.get('id', '?')}")
    return changes


def _toml(value: Any) -> str:
    """A parameter's value as it is written in a rubric."""
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml(v)}" for k, v in value.items()) + " }"
    return str(value)


def _image_settings(name: str, spec: MutableMapping[str, Any], units: list[Any]) -> list[str]:
    """Move the image reader's settings from the criteria of the units of deliverable ``name``."""
    changes = []
    for unit in units:
        if not isinstance(unit, MutableMapping) or unit.get("deliverable") != name:
            continue
        for criterion in unit.get("criteria", []):
            params = criterion.get("params") if isinstance(criterion, MutableMapping) else None
            if not isinstance(params, MutableMapping):
                continue
            for setting in IMAGE_SETTINGS:
                if setting in params and setting not in spec:
                    spec[setting] = params.pop(setting)
                    changes.append(f"move {setting} from the parameters of criterion "
                                   f"{criterion.get('id', '?')} to [deliverables.{name}]")
    return changes


def upgrade_file(path: Path, *, write: bool = False) -> list[str]:
    """The changes that bring the rubric file at ``path`` to the current schema (none when it is
    current); with ``write``, the file is rewritten with them, comments and layout kept. Before
    writing, the new text is read back and must be, as data, what the loader makes of the old one;
    SchemaError otherwise (and for a rubric that is not valid TOML)."""
    text = path.read_text(encoding="utf-8")
    try:
        loaded, _ = upgrade(tomllib.loads(text))
        new_text, changes = upgraded_text(text)
        written = tomllib.loads(new_text)
    except tomllib.TOMLDecodeError as exc:
        raise SchemaError(f"{path.name}: not valid TOML ({exc})") from exc
    if written != loaded:
        raise SchemaError(f"{path.name}: the rewritten file would not read as the upgraded rubric; "
                          "make the changes by hand")
    if write and changes:
        temporary = path.with_name(f".{path.name}.upgrading")
        temporary.write_text(new_text, encoding="utf-8")
        os.replace(temporary, path)
    return changes
