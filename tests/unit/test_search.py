"""Household search: every field of SPEC §8, one screenful, the names that matched."""

from __future__ import annotations

import pytest

from cadre_tui.store.db import Store
from cadre_tui.store.search import address_of, search_households
from tests.tui.community import build_community


@pytest.fixture
def community(store: Store) -> Store:
    build_community(store)
    return store


def _nos(store: Store, text: str, limit: int = 50) -> list[str]:
    return [hit.household_no for hit in search_households(store, text, limit)]


def test_chinese_name_substring(community: Store) -> None:
    hits = search_households(community, "国强")
    assert [(h.household_no, h.matched_names) for h in hits] == [("H0002", ["曾国强"])]


def test_pinyin_full_and_initials(community: Store) -> None:
    assert _nos(community, "zhangsan") == ["H0001"]
    assert _nos(community, "ZS") == ["H0001"]


def test_every_reading_of_a_polyphonic_surname(community: Store) -> None:
    assert _nos(community, "zengguoqiang") == ["H0002"]
    assert _nos(community, "cengguoqiang") == ["H0002"]
    assert _nos(community, "cgq") == ["H0002"]
    # 单 reads dan, chan and shan
    assert _nos(community, "shantianfang") == ["H0004"]


def test_address_substring(community: Store) -> None:
    assert _nos(community, "和平花园") == ["H0004", "H0005", "H0006"]
    assert _nos(community, "1栋2单元") == ["H0002"]


def test_household_no_any_part(community: Store) -> None:
    assert _nos(community, "h000") == [f"H000{n}" for n in range(1, 9)]
    assert _nos(community, "H0007") == ["H0007"]
    assert _nos(community, "0007") == ["H0007"]


def test_phone_tail(community: Store) -> None:
    hits = search_households(community, "5678")
    assert [(h.household_no, h.matched_names) for h in hits] == [("H0002", ["曾国强"])]
    # too short to be a phone tail: only names/addresses/household numbers could match
    assert _nos(community, "78") == []


def test_every_term_must_match(community: Store) -> None:
    assert _nos(community, "幸福小区 ls") == ["H0001"]
    assert _nos(community, "和平花园 ls") == []


def test_limit_and_empty_query(community: Store) -> None:
    assert _nos(community, "H", limit=3) == ["H0001", "H0002", "H0003"]
    assert _nos(community, "   ") == []


def test_like_wildcards_are_literal(community: Store) -> None:
    assert _nos(community, "%") == []
    assert _nos(community, "_") == []


def test_deleted_residents_and_households_do_not_match(community: Store) -> None:
    community.db.execute("UPDATE residents SET deleted = 1 WHERE name = '李四'")
    assert _nos(community, "lisi") == []
    community.db.execute("UPDATE households SET deleted = 1 WHERE household_no = 'H0001'")
    assert _nos(community, "zhangsan") == []


def test_hit_fields(community: Store) -> None:
    (hit,) = search_households(community, "H0005")
    assert (hit.address, hit.zone_code, hit.active, hit.matched_names) == (
        "和平花园5栋2单元501",
        "Z2",
        True,
        [],
    )


def test_address_of_skips_blanks() -> None:
    assert address_of({"estate": "光明里", "building": None, "unit": "", "room": "12"}) == "光明里12"


def test_a_change_made_by_this_connection_is_searched_at_once(community: Store) -> None:
    assert _nos(community, "lisi") == ["H0001"]
    community.db.execute("UPDATE residents SET search_keys = 'wangwu ww' WHERE name = '李四'")
    assert _nos(community, "lisi") == []
    assert _nos(community, "wangwu") == ["H0001"]


def test_a_change_made_by_another_connection_is_searched_at_once(community: Store) -> None:
    assert _nos(community, "幸福小区 ls") == ["H0001"]
    assert community.path is not None
    other = Store.open(community.path)
    try:
        with other.transaction():
            other.db.execute("UPDATE households SET estate = '晨光苑' WHERE household_no = 'H0001'")
    finally:
        other.close()
    assert _nos(community, "幸福小区 ls") == []
    assert _nos(community, "晨光苑") == ["H0001"]


def test_a_household_without_residents_is_found_by_its_number_and_address(community: Store) -> None:
    community.db.execute("UPDATE residents SET deleted = 1 WHERE household_id IN "
                         "(SELECT id FROM households WHERE household_no = 'H0002')")  # fmt: skip
    assert _nos(community, "cgq") == []
    assert [(h.household_no, h.matched_names) for h in search_households(community, "H0002")] == [
        ("H0002", [])
    ]
    assert _nos(community, "1栋2单元") == ["H0002"]


def test_names_match_through_their_own_resident_only(community: Store) -> None:
    # the phone tail of one resident and the pinyin of another both find the household, and each
    # names only the resident it matched
    (hit,) = search_households(community, "5678")
    assert hit.matched_names == ["曾国强"]
    assert _nos(community, "5678 H0002") == ["H0002"]
    assert _nos(community, "5678 H0001") == []
