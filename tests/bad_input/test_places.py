"""Bad-input corpus, kind "places": names that are unknown, ambiguous, empty, spelled in another
script or dressed in markup, through the library and through every command that takes a place.

Each case ends in the right place (a fact that could be false) or a clear error naming the
value and the fix (with ``--json``, a JSON error object).
"""

from __future__ import annotations

import json

import pytest

from bad_input.conftest import assert_clear_error, assert_json_error, run_cli
from geo import places
from geo._errors import AmbiguousPlaceError, GeoError, PlaceNotFoundError

# ---------------------------------------------------------------- right answers (library)


@pytest.mark.parametrize(
    ("given", "name"),
    [
        ("Hamhŭng", "Hamhung"),  # McCune-Reischauer breve
        ("P'yŏngyang", "Pyongyang"),
        ("ＨＡＭＨＵＮＧ", "Hamhung"),  # full-width Latin
        ("Ham\u200bhung", "Hamhung"),  # a zero-width space pasted from a web page
        ("Hamhung\n", "Hamhung"),  # a trailing newline from a file
        ("  okushiri \t island ", "Okushiri Island"),
        ("함흥", "Hamhung"),  # Korean
        ("咸興", "Hamhung"),  # hanja
        ("奥尻島", "Okushiri Island"),  # Japanese
        ("竹島", "Liancourt Rocks"),  # Japan's name
        ("독도", "Liancourt Rocks"),  # Korea's name
        ("Владивосток", "Vladivostok"),  # Russian
        ("숙천", "Sukchon"),  # issue 11: new entries resolve by their Korean names too
        ("함주군", "Hamju County"),
        ("sunan airport", "Pyongyang Sunan International Airport"),  # words of a longer name
    ],
    ids=[
        "breve", "apostrophe-breve", "fullwidth", "zero-width-space", "trailing-newline", "whitespace",
        "korean", "hanja", "japanese", "takeshima", "dokdo", "russian", "sukchon-korean", "hamju-korean",
        "words-of-name",
    ],
)  # fmt: skip
def test_spelling_script_and_spacing_resolve_to_the_right_place(given: str, name: str) -> None:
    assert places.lookup(given).name == name


# ---------------------------------------------------------------- clear errors (library)


@pytest.mark.parametrize(
    ("given", "error", "pattern"),
    [
        ("Hamhong", PlaceNotFoundError, r"unknown place 'Hamhong'; closest: Hamhung"),
        ("Okushri Island", PlaceNotFoundError, r"closest: Okushiri Island"),
        ("", PlaceNotFoundError, r"place name '' is empty .*give a name such as 'Hamhung'"),
        ("   ", PlaceNotFoundError, r"place name '   ' is empty"),
        ("-- !!", PlaceNotFoundError, r"place name '-- !!' is empty"),
        ("oshima", AmbiguousPlaceError, r"'oshima' is ambiguous: .*Oshima-Oshima.*Oshima Peninsula.*full name"),
        ("Pyongyang area", AmbiguousPlaceError, r"Pyongyang \(city, PRK\); Pyongyang Sunan"),
        ("<b>Hamhung</b>", PlaceNotFoundError, r"unknown place '<b>Hamhung</b>'; closest: Hamhung"),
        ("{{7*7}}", PlaceNotFoundError, r"unknown place '\{\{7\*7\}\}'"),  # literal, not 49
        ("a" * 10_000, PlaceNotFoundError, r"'a{60}'\.\.\. \(10000 characters\)"),
    ],
    ids=["typo", "typo-island", "empty", "spaces", "punctuation-only", "ambiguous-oshima",
         "ambiguous-pyongyang-area", "html-markup", "template-markup", "very-long"],
)  # fmt: skip
def test_bad_names_raise_an_error_naming_them(given: str, error: type[GeoError], pattern: str) -> None:
    with pytest.raises(error, match=pattern) as info:
        places.lookup(given)
    assert len(str(info.value)) < 400  # one readable line, whatever was given
    assert "49" not in str(info.value)


def test_list_refuses_an_unknown_kind_naming_the_kinds() -> None:
    with pytest.raises(GeoError, match=r"unknown kind 'nonsense'; choose one of airfield, .*launch_site"):
        places.list_places(kind="nonsense")


@pytest.mark.parametrize("country", ["XXX", "DEU", ""], ids=["made-up", "no-places", "empty"])
def test_list_refuses_a_country_with_no_place_naming_those_it_holds(country: str) -> None:
    with pytest.raises(
        GeoError, match=rf"no place of country '{country}'.*CHN, .*JPN, KOR, PRK, RUS, TWN, USA"
    ):
        places.list_places(country=country)


def test_list_country_is_case_and_space_blind() -> None:
    prk = places.list_places(country=" prk ")
    assert len(prk) == 45 and {p.country for p in prk} == {"PRK"}


# ---------------------------------------------------------------- the CLI


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        (["places", "show", "Hamhong"], ("'Hamhong'", "closest: Hamhung")),
        (["places", "show", ""], ("is empty", "give a name such as 'Hamhung'")),
        (["places", "show", "Pyongyang area"], ("ambiguous", "Pyongyang Sunan International Airport")),
        (["places", "list", "--kind", "nonsense"], ("'nonsense'", "launch_site")),
        (["places", "list", "--country", "XXX"], ("'XXX'", "PRK")),
        (["ring", "--at", "Hamhong", "--radius-km", "190"], ("'Hamhong'", "--lat/--lon")),
        (["trajectory", "--site", "Hamhong", "--apogee-km", "4475", "--range-km", "950"], ("'Hamhong'",)),
        (["missiles", "rings", "Hwasong-12", "--at", "Hamhong"], ("'Hamhong'", "Hamhung")),
        (["locate", "--from", "Hamhong", "--distance-km", "100", "--bearing", "E"], ("'Hamhong'",)),
    ],
    ids=["show-typo", "show-empty", "show-ambiguous", "list-kind", "list-country", "ring-at",
         "trajectory-site", "missiles-rings-at", "locate-from"],
)  # fmt: skip
def test_cli_place_errors_are_one_clear_line(args: list[str], needles: tuple[str, ...]) -> None:
    assert_clear_error(run_cli(args), *needles)
    assert_json_error(run_cli([*args, "--json"]), *needles)


def test_cli_markup_in_a_place_name_comes_back_literally_in_the_json_error() -> None:
    name = "<script>alert(1)</script>{{7*7}}"
    err = assert_json_error(run_cli(["ring", "--at", name, "--radius-km", "10", "--json"]), name)
    assert err["type"] == "PlaceNotFoundError" and "49" not in err["message"]


def test_cli_show_resolves_a_korean_name_to_the_new_entry() -> None:
    r = run_cli(["places", "show", "함주", "--json"])
    assert r.code == 0, r.err
    d = json.loads(r.out)
    assert d["name"] == "Hamju County" and d["precision_km"] == 40.0 and d["kind"] == "county"


def test_cli_places_group_has_no_top_level_commands() -> None:
    r = run_cli(["places", "assess", "--lat", "40", "--lon", "134"])
    assert r.code == 2 and "No such command 'assess'" in r.err
