"""Japanese and Korean launch statements read into the English parser's report.

Japan's Ministry of Defense and Cabinet ("北海道奥尻島の西約250kmの我が国EEZ外に落下",
"約30分間飛翔し、最高高度約50km") and South Korea's JCS ("함경남도 함흥 일대에서
동해상으로 ... 비행거리는 약 190㎞, 고도는 20㎞") say the same things in a few fixed
phrasings. :func:`parse_statement` reads them into a :class:`CJKStatement`: the impact
position(s) "<place>の<direction>約<N>km" / "<place> <direction>방 <N>㎞", the launch place
("平壌近郊から", "평안남도 숙천 일대에서"), the launch direction ("北東方向に",
"동북쪽", or only a sea: "日本海に向け", "동해상으로"), the flight distance, apogee and
flight time, and the EEZ statement ("我が国EEZ内/外" as ``eez_statement`` "inside" /
"outside", with whose EEZ in ``eez_country`` and as ``condition``, "outside JPN eez").
:func:`locate_statement` gives the
:class:`geo.relative.RelativeLocation` that ``geo assess --text`` samples.

The readings are the English parser's (:mod:`geo.relative`): 約/およそ/程度/약/가량
("about") and a bare number are a single value read as +/-10 %; "300〜350km", "850キロから
900キロ", "500~600㎞", "70km에서 200km까지" an interval; a position's direction word (北北東,
서북방, 동쪽) its 16-point sector +/-11.25 deg ("서북" is Korean order for 북서, NW). Also:

* "400여 km", "250キロ以上" ("400-odd", "over 250") are read as N to N+10 %;
* full-width digits and units (２５０ｋｍ, ㎞), キロ/キロメートル/킬로미터, and the
  multipliers 千/百/万, 천/백/만 ("約1千キロ", "약 6천 1백 km") are read as numbers;
* the impact comes from the first position whose place the gazetteer knows (the others are
  listed in the assumptions, not combined); without one,
  from the launch place along the launch direction at the flight distance (the flight
  distance read as the ground range). A launch direction is read as the catalogues in
  ``examples/data/SOURCES.md`` read it: a word as its sector of the rose (東 90 +/- 45,
  北東 45 +/- 22.5, 北北東 +/- 11.25), a sea alone ("동해상으로", "日本海に向け") as the broad
  sector of East Sea directions, 30-150 deg (the Pacific too; the West Sea / Yellow Sea
  210-330 deg). Every such reading is in the assumptions.

Examples
--------
>>> st = parse_statement("北海道奥尻島の西約250kmの我が国EEZ外に落下")
>>> st.location.place.name, st.location.distance_km, st.eez_statement
('Okushiri Island', (225.0, 275.0), 'outside')
>>> locate_statement("속초 동방 57㎞").bearing_deg
(78.75, 101.25)
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, replace
from typing import Any

from geo._errors import ParseError, PlaceNotFoundError
from geo._text import number
from geo.places import Place, default_gazetteer, normalize_name
from geo.relative import COMPASS_POINTS, RelativeLocation, relative_place

__all__ = ["CJKStatement", "Position", "Quantity", "has_cjk", "locate_statement", "parse_statement"]

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\u1100-\u11ff\uac00-\ud7af]")
_HANGUL = re.compile(r"[\u1100-\u11ff\uac00-\ud7af]")


def has_cjk(text: str) -> bool:
    """True when the text holds Japanese or Korean characters (kana, kanji/hanja, hangul)."""
    return bool(_CJK.search(str(text)))


# --- numbers, units, quantities ------------------------------------------------------------
_MULT = {"万": 1e4, "만": 1e4, "千": 1e3, "천": 1e3, "百": 1e2, "백": 1e2}
_NUM = r"\d[\d,.]*(?:\s?[万만千천百백](?:\s?\d[\d,.]*\s?[千천百백]?)*)?"
_UNITS = {
    "km": 1.0,
    "キロメートル": 1.0,
    "キロ": 1.0,
    "킬로미터": 1.0,
    "킬로": 1.0,
    "海里": 1.852,
    "해리": 1.852,
}
_UNIT = "|".join(sorted(_UNITS, key=len, reverse=True))
_ABOUT = r"約|およそ|おおよそ|概ね|약|대략"
_QTY = re.compile(
    rf"(?P<pre>(?:{_ABOUT})\s*)?(?P<lo>{_NUM})\s*(?:(?:{_UNIT})\s*)?"
    rf"(?:(?P<sep>[~〜\-–—−]|から|에서)\s*(?:(?:{_ABOUT})\s*)?(?P<hi>{_NUM})\s*)?"
    rf"(?P<odd>여|余り|余)?\s*(?P<unit>{_UNIT})(?!グラム|그램|/h|/s)"
    r"(?P<post>\s*(?:程度|ほど|前後|余り|가량|정도|以上|이상|を超え|超|まで|까지))?"
)
_TIME = re.compile(
    r"(?P<pre>(?:約|およそ|약)\s*)?(?P<n>\d+(?:\.\d+)?)\s*(?:分間|分|분간|분)(?P<post>\s*(?:程度|ほど|가량|정도|여))?"
)


@dataclass(frozen=True)
class Quantity:
    """A stated number: ``lo``-``hi`` in km (minutes for a time) as written, and how it was qualified.

    ``kind`` is ``about`` (約, 약, 程度 ...), ``exact`` (a bare number), ``range`` (two
    numbers) or ``over`` (여, 以上: N-odd, more than N).
    """

    lo: float
    hi: float
    kind: str
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"lo": self.lo, "hi": self.hi, "kind": self.kind, "text": self.text}


def _value(token: str) -> float:
    """'1,000', '1千', '6천 1백', '3백' as a number."""
    total, rest = 0.0, token.replace(" ", "")
    for digits, mult in re.findall(r"(\d[\d,.]*)([万만千천百백]?)", rest):
        total += number(digits)[0] * _MULT.get(mult, 1.0)
    return total


def _quantity(m: re.Match[str]) -> Quantity:
    factor = _UNITS[m["unit"]]
    lo = _value(m["lo"]) * factor
    hi = _value(m["hi"]) * factor if m["hi"] else lo
    post = (m["post"] or "").strip()
    if m["hi"]:
        kind = "range"
    elif m["odd"] or post in {"以上", "이상", "を超え", "超"}:
        kind = "over"
    elif m["pre"] or post:
        kind = "about"
    else:
        kind = "exact"
    return Quantity(lo, hi, kind, m.group(0).strip())


# --- directions -------------------------------------------------------------------------------
_LETTER = {"北": "N", "東": "E", "南": "S", "西": "W", "북": "N", "동": "E", "남": "S", "서": "W"}
_BEYOND = {"이남": "S", "이북": "N", "이동": "E", "이서": "W"}  # "NLL 이남 26㎞": south of
# A launch "toward the East Sea" and nothing else: the broad sector of East Sea directions that
# examples/data/SOURCES.md uses for the catalogues (30:150); the West Sea its mirror image.
_SEAS = {
    "日本海": (30.0, 150.0), "太平洋": (30.0, 150.0), "동해": (30.0, 150.0), "태평양": (30.0, 150.0),
    "북태평양": (30.0, 150.0), "黄海": (210.0, 330.0), "서해": (210.0, 330.0), "황해": (210.0, 330.0),
}  # fmt: skip
# A launch direction is a coarser word than a position's: the sector of the rose it belongs to
# (東 90 +/- 45, 北東 45 +/- 22.5, 北北東 +/- 11.25), as the catalogues read launch directions.
_LAUNCH_HALF_WIDTH = {1: 45.0, 2: 22.5, 3: 11.25}


def _compass(word: str) -> tuple[str, str | None]:
    """The 16-point abbreviation of 北北東 / 서북 / 이남, and a note when Korean order was turned round."""
    if word in _BEYOND:
        return _BEYOND[word], None
    letters = "".join(_LETTER[c] for c in word)
    if letters in COMPASS_POINTS:
        return letters, None
    if letters[::-1] in COMPASS_POINTS:
        return letters[
            ::-1
        ], f"direction: {word!r} read as {letters[::-1]} (the Korean order of the two points)"
    raise ParseError(f"cannot read the direction {word!r}; give one of the 16 points, e.g. 北北西 or 북서")


_JA_DIR = re.compile(
    r"(?P<link>の|から)?(?P<dir>[北東南西]{1,3})(?P<sfx>方向|方|沖合|沖|側)?(?:に|へ)?[、,]?\s*$"
)
_KO_DIR = re.compile(r"(?:^|\s)(?P<dir>[북동남서]{1,3}|이[남북동서])(?P<sfx>방향|방|쪽)?\s*$")
_FROM = re.compile(r"(?:から|에서|の沖合?)\s*$")  # "男鹿半島から約300キロ", "隠岐の島の沖350キロ"
_JA_LAUNCH_DIR = re.compile(
    r"(?P<dir>[北東南西]{1,3})(?:の)?方向(?:に|へ)|(?P<dir2>[北東南西]{1,3})(?:に|へ)向け"
)
_KO_LAUNCH_DIR = re.compile(
    r"(?<![가-힣])(?P<dir>[북동남서]{1,3})쪽\s*(?:방향\s*)?(?:으로|동해|서해)|(?<![가-힣])(?P<dir2>[북동남서]{1,3})\s*방향\s*으로"
)
_SEA_DIR = re.compile(
    r"(?P<sea>日本海|太平洋|黄海)(?:上)?(?:に|へ)向け|(?P<ksea>북태평양|태평양|동해|서해|황해)\s*(?:상|쪽|해상)?\s*(?:으로|로)"
)
_JA_LAUNCH = re.compile(r"から")
_KO_LAUNCH = re.compile(
    r"(?:일대|부근|인근|일원|지역|근처)\s*(?:에서|서)(?=\s|$)|에서(?=\s*(?:동해|서해|북|남|동|서|일본|발사|불상|미상))"
)
_APOGEE = re.compile(r"高度|고도")
_FLIGHT_BEFORE = re.compile(r"距離|거리")
_FLIGHT_AFTER = re.compile(r"^\s*(?:を|를|을)?\s*(?:程度)?\s*(?:飛翔|飛行|飛しょう|飛び|飛ん|비행|날아)")
_FLIGHT_NEAR = re.compile(r"^[、,]?[^。.\d]{0,10}?(?:飛翔|飛行|飛しょう|飛ん|비행|날아)")
_CLAUSE_END = re.compile(r"[、。,，.]")


# --- places -----------------------------------------------------------------------------------
_GENERIC_TAIL = re.compile(
    r"(?:付近|近郊|郊外|一帯|周辺|沖合|沖|区域|上空|일대|부근|인근|근처|일원|지역|앞바다|지점|市|시)$"
)
_DELIMS = re.compile(r"[、。,，.「」『』:：;；\n]")


@functools.cache
def _keys() -> frozenset[str]:
    return frozenset(normalize_name(label) for p in default_gazetteer() for label in (p.name, *p.aliases))


def _strip_tail(text: str) -> str:
    prev = None
    while prev != text:
        prev, text = text, _GENERIC_TAIL.sub("", text.strip()).strip()
    return text


def _variants(run: str) -> list[str]:
    """'ウォンサン(元山)付近' as 'ウォンサン付近' and '元山付近'; text without brackets as itself."""
    if "(" not in run:
        return [run]
    return [re.sub(r"\([^)]*\)", "", run), re.sub(r"[^\s(・の]*\(([^)]*)\)", r"\1", run)]


def _find_place(run: str) -> tuple[Place | None, str, list[str]]:
    """The gazetteer place a phrase ends with: its longest ending that is a name or alias.

    ``(place or None, the phrase as cut, assumptions)``; when no ending is known, the word
    before the last one is tried (원산 of '원산 호도반도'), and said.
    """
    run = run.strip().strip("・").strip()
    keys = _keys()
    for variant in _variants(run):
        for i in range(len(variant) - 1):
            tail = variant[i:].strip(" ・の")
            for cand in (tail, _strip_tail(tail)):
                if len(cand) >= 2 and normalize_name(cand) in keys and not _inside_a_word(variant, cand):
                    return default_gazetteer().lookup(cand), cand, []
    words = run.split()
    if len(words) > 1:
        broader = re.sub(r"[북동남서]{1,3}(?:방|쪽)$", "", words[-2])
        place, cut, _ = _find_place(broader)
        if place is not None:
            note = f"place: {words[-1]!r} is not in the gazetteer; measured from {cut!r} ({place.name}), named before it"
            return place, cut, [note]
    last = (run.split("の")[-1].split() or [""])[-1]
    return None, _strip_tail(last), []


def _inside_a_word(text: str, cand: str) -> bool:
    """True for a Latin ending cut out of a longer Latin word ('Oki' of 'Tokio')."""
    i = text.rfind(cand)
    return cand[0].isascii() and i > 0 and text[i - 1].isascii() and text[i - 1].isalpha()


def _run_before(text: str) -> str:
    """The phrase that ends ``text``: back to the last punctuation mark."""
    parts = _DELIMS.split(text)
    return parts[-1] if parts else ""


# --- the statement ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Position:
    """A stated position, "<place>の<direction>約<N>km" (``bearing`` None for "<place>から約<N>km")."""

    place_text: str
    place: Place | None
    direction: str | None
    bearing: str | None
    distance: Quantity

    def to_dict(self) -> dict[str, Any]:
        return {
            "place_text": self.place_text,
            "place": self.place.name if self.place else None,
            "direction": self.direction,
            "bearing": self.bearing,
            "distance_km": self.distance.to_dict(),
        }


@dataclass(frozen=True)
class CJKStatement:
    """A Japanese or Korean statement, read; ``location`` is None when it cannot be placed (see ``missing``)."""

    text: str
    language: str
    location: RelativeLocation | None
    positions: tuple[Position, ...]
    launch_text: str | None
    launch_place: Place | None
    launch_direction: str | None
    launch_bearing_deg: tuple[float, float] | None
    flight_distance_km: Quantity | None
    apogee_km: Quantity | None
    flight_time_min: Quantity | None
    eez_statement: str | None
    eez_country: str | None
    missing: tuple[str, ...]
    assumptions: tuple[str, ...]

    @property
    def condition(self) -> str | None:
        """The EEZ statement as a condition on the impact, e.g. ``"outside JPN eez"``; None without one."""
        if self.eez_statement is None or self.eez_country is None:
            return None
        return f"{self.eez_statement} {self.eez_country} eez"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the location's fields (as :meth:`RelativeLocation.to_dict`) and the statement's."""
        out: dict[str, Any] = {"statement": self.text, "assumptions": list(self.assumptions)}
        if self.location is not None:
            out = self.location.to_dict()
        q = {k: (v.to_dict() if v else None) for k, v in
             (("flight_distance_km", self.flight_distance_km), ("apogee_km", self.apogee_km),
              ("flight_time_min", self.flight_time_min))}  # fmt: skip
        out.update(
            language=self.language,
            positions=[p.to_dict() for p in self.positions],
            launch_text=self.launch_text,
            launch_place=self.launch_place.name if self.launch_place else None,
            launch_direction=self.launch_direction,
            launch_bearing_deg=list(self.launch_bearing_deg) if self.launch_bearing_deg else None,
            eez_statement=self.eez_statement,
            eez_country=self.eez_country,
            condition=self.condition,
            missing=list(self.missing),
            **q,
        )
        return out


def _classify(text: str, m: re.Match[str], ko: bool, start: int) -> tuple[str, Position | None]:
    """What a distance is: ``apogee``, ``flight``, ``position`` or ``other`` (``start``: the previous one's end)."""
    prefix, suffix = text[max(start, m.start() - 40) : m.start()], text[m.end() : m.end() + 16]
    clause = _CLAUSE_END.split(prefix)[-1]
    if _APOGEE.search(clause):
        return "apogee", None
    if _FLIGHT_BEFORE.search(clause) or _FLIGHT_AFTER.search(suffix):
        return "flight", None
    d = (_KO_DIR if ko else _JA_DIR).search(prefix)
    if d:
        place, cut, _ = _find_place(_run_before(prefix[: d.start()]))
        if ko or d["link"] or d["sfx"] or place is not None:  # "奥尻島西約250km" only with a known place
            abbr, _ = _compass(d["dir"])
            return "position", Position(cut, place, d["dir"], abbr, _quantity(m))
    if _FROM.search(prefix):
        place, cut, _ = _find_place(_run_before(_FROM.sub("", prefix)))
        if cut:
            return "position", Position(cut, place, None, None, _quantity(m))
    if _FLIGHT_NEAR.search(suffix):
        return "flight", None
    return "other", None


def _launch(text: str, ko: bool) -> tuple[str | None, Place | None, list[str]]:
    """The launch phrase ('平壌近郊から', '함경남도 함흥 일대에서') and its gazetteer place."""
    first: str | None = None
    for m in (_KO_LAUNCH if ko else _JA_LAUNCH).finditer(text):
        after = text[m.end() : m.end() + 24]
        if _QTY.match(after.lstrip()) or re.match(
            r"\s*[北東南西]{1,3}(?:に|へ)\s*(?:約|およそ)?\s*\d", after
        ):
            continue  # "男鹿半島から西に約300キロ": a position
        before = text[max(0, m.start() - 40) : m.start()]
        if re.search(rf"(?:{_UNIT})\s*$", before):
            continue  # "850キロから900キロ": a range
        run = _run_before(before)
        if re.search(r"(?:ごろ|頃|[分時日]|쯤|께|경)\s*$", run):
            continue  # "7時4分ごろから": a time
        run = re.split(r"[をはが]", run)[-1] if not ko else " ".join(run.split()[-3:])
        place, cut, notes = _find_place(run)
        if place is not None:
            return cut, place, notes
        first = first or cut or None
    return first, None, []


def _launch_direction(text: str, ko: bool) -> tuple[str | None, tuple[float, float] | None, str | None]:
    """(word, bearing interval, assumption) of '北東方向に' / '동북쪽' / a sea alone."""
    d = (_KO_LAUNCH_DIR if ko else _JA_LAUNCH_DIR).search(text)
    if d:
        word = d["dir"] or d["dir2"]
        abbr, note = _compass(word)
        c, half = COMPASS_POINTS.index(abbr) * 22.5, _LAUNCH_HALF_WIDTH[len(abbr)]
        said = f"direction: launch direction {word!r} ({abbr}) read as {c:g} +/- {half:g} deg, its sector of the compass rose"
        return word, ((c - half) % 360.0, (c + half) % 360.0), "; ".join(x for x in (note, said) if x)
    s = _SEA_DIR.search(text)
    if s:
        sea = s["sea"] or s["ksea"]
        a, b = _SEAS[sea]
        note = f"direction: {s.group(0).strip()!r} names a sea, not a bearing; read as {a:g}-{b:g} deg"
        return sea, (a, b), note
    return None, None, None


_EEZ = re.compile(
    r"(?P<who>我が国|わが国|日本|自国|우리|한국|일본|자국)?\s*の?\s*"
    r"(?:EEZ|排他的経済水域|배타적\s*경제수역)(?:\s*\([^)]*\)|[=・][^のに内外、。]*)*\s*の?\s*"
    r"(?P<io>内側|外側|内|外|안쪽|안|바깥|밖|내|외)"
)
_INSIDE = {"内側", "内", "안쪽", "안", "내"}


def _eez(text: str, ko: bool) -> tuple[str | None, str | None, list[str]]:
    found = list(_EEZ.finditer(text))
    if not found:
        return None, None, []
    sides = {"inside" if m["io"] in _INSIDE else "outside" for m in found}
    who = next((m["who"] for m in found if m["who"]), None)
    if who == "자국":  # "its own": Japan's when the sentence is Japan's ("일본은 자국 EEZ 바깥에")
        who = "일본" if "일본" in text else None
    country = "KOR" if who in {"우리", "한국"} else "JPN" if (who or not ko) else None
    if len(sides) > 1:
        return None, country, [f"EEZ: the text says both inside and outside ({len(found)} statements, "
                               "several missiles); no EEZ statement taken"]  # fmt: skip
    side = sides.pop()
    notes = [f"statement: {found[0].group(0).strip()!r}, {side} {country or 'the'} EEZ as stated; "
             "recorded, not applied to the region"]  # fmt: skip
    if re.search(r"うち\s*\d+\s*発[はが]?\s*$", text[max(0, found[0].start() - 12) : found[0].start()]):
        notes.append("EEZ: the statement covers only some of the missiles ('うち')")
    return side, country, notes


def parse_statement(text: str) -> CJKStatement:
    """Read a Japanese or Korean statement into its positions, launch, flight and EEZ fields.

    The location is computed when the statement has enough (see the module text);
    otherwise ``location`` is None and ``missing`` says what is missing.

    Examples
    --------
    >>> st = parse_statement("함경남도 함흥 일대에서 동해상으로 ... 비행거리는 약 190㎞, 고도는 20㎞")
    >>> st.launch_place.name, st.flight_distance_km.lo, st.apogee_km.lo
    ('Hamhung', 190.0, 20.0)
    """
    raw = str(text).strip()
    norm = unicodedata.normalize("NFKC", raw)
    ko = bool(_HANGUL.search(norm))
    positions: list[Position] = []
    found: dict[str, Quantity] = {}
    end = 0
    for m in _QTY.finditer(norm):
        kind, pos = _classify(norm, m, ko, end)
        end = m.end()
        if pos is not None:
            positions.append(pos)
        elif kind in {"apogee", "flight"}:
            found.setdefault(kind, _quantity(m))
    t = next((t for t in _TIME.finditer(norm) if _is_flight_time(norm, t)), None)
    flight_time = (
        Quantity(
            float(t["n"]), float(t["n"]), "about" if t["pre"] or t["post"] else "exact", t.group(0).strip()
        )
        if t
        else None
    )
    launch_text, launch_place, notes = _launch(norm, ko)
    word, bearing, dir_note = _launch_direction(norm, ko)
    eez, eez_country, eez_notes = _eez(norm, ko)
    st = CJKStatement(
        raw, "ko" if ko else "ja", None, tuple(positions), launch_text, launch_place, word, bearing,
        found.get("flight"), found.get("apogee"), flight_time, eez, eez_country, (), (),
    )  # fmt: skip
    location, missing, said = _locate(st, [*notes, *([dir_note] if dir_note else [])], {})
    said = [*said, *eez_notes]
    if location is not None:
        location = replace(location, assumptions=(*said, *location.assumptions))
    return replace(st, location=location, missing=tuple(missing), assumptions=tuple(said))


def _is_flight_time(text: str, t: re.Match[str]) -> bool:
    before = text[max(0, t.start() - 16) : t.start()]
    if re.search(r"[時시]\s*$", before):
        return False  # a time of day: 7時49分, 8시 51분
    return bool(
        re.search(r"飛|비행|비상", before) or re.match(r"\s*(?:飛|비행|비상)", text[t.end() : t.end() + 6])
    )


def _distance_arg(q: Quantity) -> tuple[float | tuple[float, float], list[str]]:
    if q.kind == "range":
        return (q.lo, q.hi), []
    if q.kind == "over":
        return (q.lo, q.lo * 1.1), [
            f"distance: {q.text!r} (more than {q.lo:g}) read as {q.lo:g}-{q.lo * 1.1:g} km"
        ]
    return q.lo, []


def _locate(
    st: CJKStatement, notes: list[str], options: dict[str, Any]
) -> tuple[RelativeLocation | None, list[str], list[str]]:
    """The impact from the first known position, else from the launch; or what is missing."""
    usable = [p for p in st.positions if p.place is not None and p.bearing is not None]
    if usable:
        p = usable[0]
        assert p.place is not None and p.bearing is not None
        dist, said = _distance_arg(p.distance)
        loc = relative_place(p.place, dist, p.bearing, statement=st.text, **options)
        also = [f"also stated: {q.place_text} {q.direction or ''} {q.distance.text} (not used)"
                for q in st.positions if q is not p]  # fmt: skip
        said = [
            f"impact: {p.place_text} {p.direction} {p.distance.text} (gazetteer {p.place.name})",
            *said,
            *also,
        ]
        return loc, [], said
    if (
        st.launch_place is not None
        and st.flight_distance_km is not None
        and st.launch_bearing_deg is not None
    ):
        dist, said = _distance_arg(st.flight_distance_km)
        loc = relative_place(st.launch_place, dist, _launch_bearing(st), statement=st.text, **options)
        said = [
            f"impact: from the launch place {st.launch_text!r} ({st.launch_place.name}) toward "
            f"{st.launch_direction!r} at the flight distance {st.flight_distance_km.text!r}, read as the ground range",
            *notes, *said,
        ]  # fmt: skip
        return loc, [], said
    return None, _missing(st), notes


def _launch_bearing(st: CJKStatement) -> str:
    """The launch direction's interval as relative_place reads it ('45:135')."""
    assert st.launch_bearing_deg is not None
    a, b = st.launch_bearing_deg
    return f"{a:g}:{b + 360.0 if b < a else b:g}"


def _missing(st: CJKStatement) -> list[str]:
    out = []
    if not _QTY.search(unicodedata.normalize("NFKC", st.text)):
        out.append("distance")
    elif not st.positions and st.flight_distance_km is None:
        out.append("position")
    if not any(p.place for p in st.positions) and st.launch_place is None:
        out.append("place")
    if not any(p.bearing for p in st.positions if p.place) and st.launch_bearing_deg is None:
        out.append("direction")
    return out or [
        "a position (place, direction and distance) or a launch place, direction and flight distance"
    ]


def locate_statement(text: str, **options: Any) -> RelativeLocation:
    """The impact of a Japanese or Korean statement as a :class:`RelativeLocation`.

    Options (``distance_fraction``, ``bearing_tolerance_deg``, ``tolerance_m``) are those
    of :func:`geo.relative.relative_place`.

    Raises
    ------
    PlaceNotFoundError
        The statement's place is not in the gazetteer (the message lists the closest names).
    ParseError
        No distance, no place or no direction: the message names what is missing.
    """
    st = parse_statement(text)
    if st.location is not None and not options:
        return st.location
    if st.location is None:
        raise _why(st)
    loc, _, _ = _locate(st, [], options)
    assert loc is not None
    return replace(loc, assumptions=(*st.assumptions, *loc.assumptions))


def _why(st: CJKStatement) -> Exception:
    text, missing = st.text, st.missing
    example = "e.g. '奥尻島の西約250km' or '함흥 일대에서 동해상으로 ... 비행거리 약 190km'"
    if "distance" in missing:
        return ParseError(
            f"{text!r} gives no distance: no number with a unit (km, キロ, ㎞, 킬로미터) was found; {example}"
        )
    if "position" in missing:
        return ParseError(
            f"{text!r} gives a distance but not where it is measured from (no '<place>の<direction>', "
            f"'<place> <direction>방' nor a flight distance from a launch place); {example}"
        )
    unknown = next((p.place_text for p in st.positions if p.place is None and p.place_text), None)
    unknown = unknown or (st.launch_text if st.launch_place is None else None)
    if "place" in missing and unknown:
        try:
            default_gazetteer().lookup(unknown)
        except PlaceNotFoundError as exc:
            return PlaceNotFoundError(f"{text!r}: the place is not in the gazetteer: {exc}")
    if "place" in missing:
        return ParseError(f"{text!r} names no place the gazetteer knows (no '<place>の<direction>' nor "
                          f"'<place> 일대에서'); {example}")  # fmt: skip
    given = next((p for p in st.positions if p.place is not None), None)
    if given is not None:
        return ParseError(
            f"{text!r} gives a distance from {given.place_text} ({given.place.name if given.place else ''}) "
            f"({given.distance.text}) but no direction; give one, e.g. '{given.place_text}の西{given.distance.text}'"
        )
    site = st.launch_place.name if st.launch_place else st.launch_text
    fd = st.flight_distance_km
    lo, hi = (
        (fd.lo, fd.hi)
        if fd and fd.kind == "range"
        else (fd.lo, fd.lo * 1.1)
        if fd and fd.kind == "over"
        else ((fd.lo * 0.9, fd.lo * 1.1) if fd else (0.0, 0.0))
    )
    span = f"{lo:g}-{hi:g}" if fd else "R1-R2"
    return ParseError(
        f"{text!r} gives a launch place ({site}) and a flight distance but no direction; give a direction "
        f"(e.g. 東方向に, 동쪽으로) or assess the range in every direction: geo assess --site '{site}' --range-km {span}"
    )
