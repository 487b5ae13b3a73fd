"""Japanese and Korean launch statements (issue 15, item 4): real releases as the press quoted them.

Each case quotes a release as a stored public page has it: Japan's Ministry of Defense,
the Chief Cabinet Secretary or the Japan Coast Guard's relay of the ministry for Japan,
and South Korea's JCS (합동참모본부) for Korea. The URL and the date of the launch are given,
and the sources are listed in examples/data/SOURCES.md, *Japanese and Korean statements*. A
"…" marks text left out of the quote. The expected parse was written by reading the quote:

* the reference place is the one the text measures from;
* a single distance, with 約/およそ/약 or without, is the English parser's +/-10 %;
  an interval is taken as stated; "400여 km" ("400-odd") is 400-440 km;
* a direction word is its 16-point sector +/-11.25 deg (W 258.75-281.25, N 348.75-11.25,
  NNW 326.25-348.75, NW 303.75-326.25, E 78.75-101.25, NE 33.75-56.25);
* with no position, the impact is the flight distance from the launch place along the
  launch direction, read as the catalogues of examples/data/SOURCES.md read it: 東 / 동쪽
  90 +/- 45, 北東 / 동북쪽 45 +/- 22.5, a sea alone (동해상으로, 日本海に向け) 30-150 deg.
"""

from __future__ import annotations

import contextlib
import json
from typing import Any, NamedTuple

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo import geodesy, places, relative
from geo._errors import GeoError, ParseError, PlaceNotFoundError
from geo.relative_cjk import has_cjk, locate_statement, parse_statement

W, N, NNW, NW, E, NE = (258.75, 281.25), (348.75, 11.25), (326.25, 348.75), (303.75, 326.25), (78.75, 101.25), (33.75, 56.25)  # fmt: skip
EAST_SEA = (30.0, 150.0)  # a launch toward the East Sea and nothing else
E_LAUNCH, NE_LAUNCH = (45.0, 135.0), (22.5, 67.5)  # a launch word: 東 90 +/- 45, 北東 45 +/- 22.5


class Case(NamedTuple):
    date: str
    url: str
    text: str
    place: str  # the gazetteer entry measured from
    distance_km: tuple[float, float]
    bearing_deg: tuple[float, float]
    eez: str | None = None
    flight_km: float | None = None
    apogee_km: float | None = None
    minutes: float | None = None
    launch: str | None = None  # the launch place's gazetteer entry


JAPANESE = [
    Case("2023-12-18", "https://newsdig.tbs.co.jp/articles/-/899212",
         "9時37分ごろ、日本のEEZ=排他的経済水域の外で、北海道・奥尻島の西方およそ250キロの日本海に落下したと推定されています。",
         "Okushiri Island", (225.0, 275.0), W, eez="outside"),
    Case("2023-12-18", "https://uhb.jp/news/single.html?id=39653",
         "北朝鮮から発射された弾道ミサイルは午前9時37分ごろ、奥尻島の西約250キロメートルの日本のEEZ・排他的経済水域の外に落下したとみられています。",
         "Okushiri Island", (225.0, 275.0), W, eez="outside"),
    Case("2024-10-31", "https://rd.kyodo-d.info/np/2024103101000394",
         "北朝鮮から発射された弾道ミサイルの可能性があるものは午前8時36分ごろ、北海道の奥尻島の西約300キロの海域に落下する見込みだと発表した。",
         "Okushiri Island", (270.0, 330.0), W),
    Case("2024-10-31", "https://jwing.net/news/85188",
         "今回の弾道ミサイルは飛翔時間が過去最長の約86分であり、8時37分ごろに北海道奥尻島西沖約200キロの日本海へ落下したことが推定されるとした。",
         "Okushiri Island", (180.0, 220.0), W, minutes=86.0),
    Case("2024-10-31", "https://shinchonews.com/international/71928.html",
         "ミサイルは、午前8時37分ごろに、北海道の奥尻島の西、およそ200キロの、日本のEEZ=排他的経済水域の外側の日本海に落下したと推定されるとしていて",
         "Okushiri Island", (180.0, 220.0), W, eez="outside"),
    Case("2023-02-18", "https://home.kingsoft.jp/amp/news/news/mainichi/20230218k0000m030149000c",
         "ミサイルは約66分間飛行し、同午後6時27分ごろ北海道・渡島大島の西約200キロの日本の排他的経済水域（EEZ）内の日本海に落下したとみられる。最高高度約5700キロで約900キロ飛行したと推定され",
         "Oshima-Oshima", (180.0, 220.0), W, eez="inside", flight_km=900.0, apogee_km=5700.0, minutes=66.0),
    Case("2023-02-18", "https://newsdig.tbs.co.jp/articles/-/336285",
         "ミサイルはICBM級で、およそ900キロ飛翔し、北海道渡島大島の西およそ200キロの日本海に落下したものと推定されます。最高高度はおよそ5700キロ程度と推定されるということです。",
         "Oshima-Oshima", (180.0, 220.0), W, flight_km=900.0, apogee_km=5700.0),
    Case("2022-11-18", "https://www.asahi.com/articles/ASQCL3RZDQCLUTIL00C.html",
         "海上保安庁は防衛省の情報として同11時7分、ミサイルは同20分ごろ、北海道渡島大島の西約210キロ周辺海域に落下する見込みと発表。",
         "Oshima-Oshima", (189.0, 231.0), W),
    Case("2023-03-16", "https://www.minyu-net.com/newspack/KD2023031601000209.php",
         "北朝鮮の弾道ミサイルは午前8時18分ごろ、北海道の渡島大島西方約250キロ付近に落下したと推定される。浜田靖一防衛相が防衛省内で記者団に明らかにした。落下地点は日本の排他的経済水域(EEZ)外の日本海となる。",
         "Oshima-Oshima", (225.0, 275.0), W, eez="outside"),
    Case("2021-09-15", "https://www3.nhk.or.jp/news/html/20210915/k10013261631000.html",
         "最高高度で約50キロメートル程度を、変則軌道で約750キロ程度飛しょうし、日本海上に落下したものと推定される … 落下地点について現時点では能登半島沖の舳倉島の北約300キロ程度の、日本の排他的経済水域の内側と推定される",
         "Hegurajima", (270.0, 330.0), N, eez="inside", flight_km=750.0, apogee_km=50.0),
    Case("2023-06-15", "https://news.ntv.co.jp/category/politics/dfeccc6d772d483a823086df0a81f875",
         "少なくとも2発の弾道ミサイルを北朝鮮の西側付近から東方向に向けて発射しました。\nいずれも、最高高度はおよそ50キロで、石川県輪島市の舳倉島の北北西およそ250キロの日本のEEZ(=排他的経済水域)の内側の日本海に落下したと推定されています。",
         "Hegurajima", (225.0, 275.0), NNW, eez="inside", apogee_km=50.0),
    Case("2023-06-15", "https://uk.furr.pk/watch/103445/北朝鮮が弾道ミサイル発射-石川県沖のeez内に落下-2023年6月16日",
         "飛翔(ひしょう)距離は約850キロから900キロ、最高高度は約50キロと推定され、変則軌道で飛翔した可能性があるとのことです。\n2発の弾道ミサイルは、いずれも石川県舳倉島沖の北西約250キロの日本のEEZ内に落下したと推定されるということです。",
         "Hegurajima", (225.0, 275.0), NW, eez="inside", flight_km=850.0, apogee_km=50.0),
    Case("2019-10-02", "https://b.hatena.ne.jp/vndn/?url=http%3A%2F%2Fblog.livedoor.jp%2Fnonreal-pompandcircumstance%2F",
         "北朝鮮は、本日7時10分頃、北朝鮮の東岸から、弾道ミサイルを東方向に向けて発射した模様です。詳細については現在分析中ですが、発射されたミサイルの1発は、7時27分頃に島根県隠岐諸島の島後沖の北約350kmの我が国の排他的経済水域(EEZ)内に落下したものと推定されます。飛翔距離は約450km、最高高度は約900kmと推定されます。",
         "Dogo Island", (315.0, 385.0), N, eez="inside", flight_km=450.0, apogee_km=900.0),
    Case("2017-03-06", "https://b.hatena.ne.jp/banktreat/%E3%83%9F%E3%82%B5%E3%82%A4%E3%83%AB/%E5%BC%BE%E9%81%93%E3%83%9F%E3%82%B5%E3%82%A4%E3%83%AB",
         "北朝鮮西岸の東倉里付近から4発の弾道ミサイルがほぼ同時に発射され、それぞれ約1千キロ飛翔して秋田県男鹿半島から西に約300〜350キロの日本海上に(到達し)、うち3発はわが国の排他的経済水域(EEZ)内に落下したと推定される",
         "Oga Peninsula", (300.0, 350.0), W, eez="inside", flight_km=1000.0, launch="Sohae Satellite Launching Station"),
    Case("2017-05-29", "https://hkgalden.com/forum/view/426065",
         "北朝鮮は、本日午前5時40分ごろ、北朝鮮東岸のウォンサン(元山)付近から1発の弾道ミサイルを東方向に発射したもようだ。発射された弾道ミサイルは約400キロメートル飛しょうし、新潟県佐渡島から約500キロメートル、島根県隠岐諸島から約300キロメートルの日本海上に落下したものと推定される",
         "Wonsan", (360.0, 440.0), E_LAUNCH, flight_km=400.0, launch="Wonsan"),
    Case("2017-08-29", "https://hatenablog-parts.com/embed?url=https%3A%2F%2Fwww.nikkei.com%2Farticle%2FDGXLASFK29H0X_Z20C17A8000000%2F",
         "北朝鮮は29日午前5時58分ごろ平壌郊外の順安(スナン)区域から北東方向に弾道ミサイル1発を発射した。約2700キロメートル飛行して北海道の襟裳岬上空を通過、午前6時12分ごろ襟裳岬の東約1180キロメートルの太平洋上に落下した。",
         "Cape Erimo", (1062.0, 1298.0), E, flight_km=2700.0, launch="Pyongyang Sunan International Airport"),
    Case("2017-09-15", "https://notestock.osa-p.net/@NHK_NEWS@mastodon.chotto.moe/20170915/view",
         "ミサイルは、7時4分ごろから6分ごろに北海道上空を通過して、7時16分ごろ、襟裳岬の東、およそ2000キロの太平洋上に落下したものと推定されると発表しました。",
         "Cape Erimo", (1800.0, 2200.0), E),
    Case("2025-01-06", "https://news.yahoo.co.jp/articles/aba06465111f36d2e09aeceec1f0a88db23d20a0?source=rss",
         "防衛省は6日、北朝鮮が同日午後0時1分ごろ、平壌近郊から少なくとも1発の弾道ミサイルを北東方向に向けて発射したと発表した。最高高度約100キロで、約1100キロ飛翔し、日本の排他的経済水域(EEZ)外の日本海に落下したと推定している。",
         "Pyongyang", (990.0, 1210.0), NE_LAUNCH, eez="outside", flight_km=1100.0, apogee_km=100.0, launch="Pyongyang"),
]  # fmt: skip

KOREAN = [
    Case("2022-01-27", "https://m.hankookilbo.com/News/Read/Amp/A2022012708090003352",
         "합동참모본부는 \"북한이 오전 8시쯤 함흥 일대에서 단거리 탄도미사일로 추정되는 두 발의 발사체를 동해상으로 발사했다\"고 밝혔다. … 발사체 비행거리는 약 190㎞, 고도는 20㎞로 탐지됐다.",
         "Hamhung", (171.0, 209.0), EAST_SEA, flight_km=190.0, apogee_km=20.0, launch="Hamhung"),
    Case("2022-11-02", "http://siminsori.com/news/articleView.html?idxno=233125",
         "합동참모본부는 이날 “우리 군은 오늘 오전 8시 51분쯤, 북한이 강원도 원산 일대에서 동해상으로 발사한 단거리 탄도미사일 3발을 포착했다”며 “이 중 1발은 동해 NLL(북방한계선) 이남 공해상에 탄착됐다”고 밝혔다.\n군 당국은 탄착 지점은 NLL 이남 26㎞, 속초 동방 57㎞, 울릉도 서북방 167㎞라고 설명했다.",
         "Sokcho", (51.3, 62.7), E, launch="Wonsan"),
    Case("2022-11-02", "https://m.nocutnews.co.kr/news/amp/5842592",
         "구체적인 탄착지점은 NLL 이남 26km 지점이며 속초 동쪽 57km, 울릉도 서북쪽 167km 지점이다.",
         "Sokcho", (51.3, 62.7), E),
    Case("2019-08-10", "https://hankyung.com/amp/2019081061207",
         "합동참모본부는 10일 \"우리 군은 오늘 오전 5시34분경, 오전 5시 50분경 북한이 함경남도 함흥 일대에서 동해상으로 발사한 단거리 탄도미사일로 추정되는 발사체 2발을 포착했다\"고 밝혔다.\n\n이번에 발사한 단거리 미사일의 고도는 약 48km, 비행거리는 400여 km, 최대속도는 마하 6.1이상으로 탐지됐다고 합참은 전했다.",
         "Hamhung", (400.0, 440.0), EAST_SEA, flight_km=400.0, apogee_km=48.0, launch="Hamhung"),
    Case("2016-07-19", "https://www.kmib.co.kr/article/view_amp.asp?arcid=0010792412",
         "합동참모본부는 \"북한이 오늘 오전 5시45분쯤부터 6시40분까지 황해북도 황주 일대에서 동해상으로 탄도미사일 3발을 발사했다\"고 밝혔다.\n북한이 이날 발사한 탄도미사일은 약 500~600㎞를 날아간 것으로 전해졌다.",
         "Hwangju", (500.0, 600.0), EAST_SEA, flight_km=500.0, launch="Hwangju"),
    Case("2016-03-18", "https://krtube.net/view/Vmkn-yHKAmg.html",
         "합동참모본부는 이날 \"북한이 오늘 새벽 5시 55분께 평안남도 숙천 일대에서 동해상으로 탄도미사일 1발을 발사했다\"고 밝혔습니다 북한이 쏜 탄도미사일은 약 800㎞를 비행한 것으로 파악됐으며",
         "Sukchon", (720.0, 880.0), EAST_SEA, flight_km=800.0, launch="Sukchon"),
    Case("2019-10-31", "https://mobile.newsis.com/view_amp.html?ar_id=NISX20191031_0000816475",
         "합동참모본부는 31일 \"우리 군은 오늘 오후 4시35분경, 4시38분경 북한이 평안남도 순천 일대에서 동해상으로 미상의 단거리 발사체 2발을 포착했다\"고 밝혔다.\n\n합참은 \"이번에 발사한 발사체의 최대 비행거리는 약 370㎞, 고도는 약 90㎞로 탐지했으며",
         "Sunchon", (333.0, 407.0), EAST_SEA, flight_km=370.0, apogee_km=90.0, launch="Sunchon"),
    Case("2017-09-15", "http://www.todaykorea.co.kr/news/view.php?no=247787",
         "합동참모본부는 15일 오전 6시 57분께 북한이 평양시 순안 일대에서 일본 상공을 지나 북태평양 해상으로 불상 탄도미사일 1발을 발사했다고 밝혔다.\n\n\n합참은 이날 북한이 발사한 미사일 고도는 약 770여km, 비행거리는 약 3700km로 파악됐다고 전했다.",
         "Pyongyang Sunan International Airport", (3330.0, 4070.0), EAST_SEA, flight_km=3700.0, apogee_km=770.0,
         launch="Pyongyang Sunan International Airport"),
    Case("2023-03-16", "https://krnews21.co.kr/article/310376",
         "합동참모본부는 오늘 오전 7시 10분쯤 평양 순안 일대에서 동해상으로 발사된 장거리 탄도미사일 1발을 포착했다고 밝혔다.\n미사일은 고각으로 발사돼 1,000km를 비행한 뒤 동해상에 떨어진 것으로 탐지됐다.",
         "Pyongyang Sunan International Airport", (900.0, 1100.0), EAST_SEA, flight_km=1000.0,
         launch="Pyongyang Sunan International Airport"),
    Case("2019-09-10", "https://donga.com/news/amp/all/20190910/97361535/2",
         "합참은 이날 “우리 군은 오늘 오전 6시 53분경, 오전 7시 12분경 북한이 평안남도 개천 일대에서 동쪽으로 발사한 미상의 단거리 발사체 2발을 포착했다”고 밝혔다.\n이어 “이번에 발사한 발사체의 최대 비행거리는 약 330 km로 탐지하였으며",
         "Kaechon", (297.0, 363.0), E_LAUNCH, flight_km=330.0, launch="Kaechon"),
    Case("2022-01-14", "https://img.seoul.co.kr/newsList/politics/north?page=122",
         "합참은 “군은 오늘 오후 2시 41분과 2시 52분경 북한 평안북도 의주 일대에서 동북쪽 동해상으로 발사된 단거리 탄도미사일로 추정되는 발사체 2발을 탐지했다”고 밝혔다.\n발사체의 비행거리는 약 430㎞, 고도는 36㎞가량으로 탐지됐으며",
         "Uiju Airfield", (387.0, 473.0), NE_LAUNCH, flight_km=430.0, apogee_km=36.0, launch="Uiju Airfield"),
    Case("2019-05-04", "http://daily.hankooki.com/lpage/politics/201905/dh20190504102852137590.htm",
         "합동참모본부는 4일 \"북한이 오늘 오전 9시 6분부터 9시 27분까지 원산북방 호도반도 일대에서 북동쪽 방향으로 불상 단거리 발사체 수발을 발사했다\"며 \"발사체는 동해상까지 약 70km에서 200km까지 비행했다\"라고 밝혔다.",
         "Wonsan", (70.0, 200.0), NE_LAUNCH, flight_km=70.0, launch="Wonsan"),
    Case("2023-02-18", "https://imnews.imbc.com/news/2023/politics/article/6456662_36120.html",
         "합동참모본부는 오늘 오후 5시 22분쯤 북한이 평양 순안 일대에서 동해상으로 발사한 장거리 탄도미사일 1발을 포착했다고 발표했습니다.\n\n이 미사일은 고각으로 발사돼 900여 킬로미터 비행 후 동해상에 떨어졌고",
         "Pyongyang Sunan International Airport", (900.0, 990.0), EAST_SEA, flight_km=900.0,
         launch="Pyongyang Sunan International Airport"),
    Case("2022-11-18", "https://news.sbs.co.kr/news/endPage.do?news_id=N1006975996",
         "합참은 북한이 오늘 오전 발사한 미사일이 비행거리 약 1천 km, 고도 약 6천 1백 km, 속도 약 마하 22로 탐지됐다고 밝혔습니다.\n북한은 오늘 오전 10시 15분쯤 평양 순안 일대에서 동해상으로 장거리탄도미사일, ICBM 1발을 발사했습니다.",
         "Pyongyang Sunan International Airport", (900.0, 1100.0), EAST_SEA, flight_km=1000.0, apogee_km=6100.0,
         launch="Pyongyang Sunan International Airport"),
    Case("2024-03-18", "http://www.daejonilbo.com/news/articleView.html?idxno=2119804",
         "합동참모본부는 \"우리 군은 오늘 오전 7시 44분쯤부터 8시 22분쯤까지 평양 일대에서 동해상으로 발사된 단거리 탄도미사일로 추정되는 비행체 수 발을 포착했다\"라고 밝혔다.\n\n북한이 발사한 미사일은 각각 약 300㎞를 비행한 뒤 동해상에 탄착했다.",
         "Pyongyang", (270.0, 330.0), EAST_SEA, flight_km=300.0, launch="Pyongyang"),
    Case("2024-04-02", "https://terradarcobaleno.com/news/articleViewAmp.html?idxno=1113475",
         "지난 2일에는 평양 일대에서 동해상으로 중거리급 탄도미사일 1발을 발사했다. 당시 북한의 탄도미사일은 약 600㎞ 비행 후 동해상에 탄착했다.",
         "Pyongyang", (540.0, 660.0), EAST_SEA, flight_km=600.0, launch="Pyongyang"),
]  # fmt: skip


def _loc(statement: Any) -> Any:
    assert statement.location is not None, statement.missing
    return statement.location


def _ids(cases: list[Case]) -> list[str]:
    return [f"{c.date}-{i}" for i, c in enumerate(cases)]


def _check(case: Case) -> None:
    st = parse_statement(case.text)
    loc = st.location
    assert loc is not None, st.missing
    assert loc.place == places.lookup(case.place)
    assert loc.distance_km == pytest.approx(case.distance_km)
    assert loc.bearing_deg == pytest.approx(case.bearing_deg)
    assert loc.region.is_valid and not loc.region.is_empty
    assert st.eez_statement == case.eez
    assert st.eez_country == ("JPN" if case.eez else None)
    for field, want in (("flight_distance_km", case.flight_km), ("apogee_km", case.apogee_km),
                        ("flight_time_min", case.minutes)):  # fmt: skip
        got = getattr(st, field)
        assert (got.lo if got else None) == want, field
    assert (st.launch_place.name if st.launch_place else None) == case.launch
    assert loc.statement == case.text.strip()


@pytest.mark.parametrize("case", JAPANESE, ids=_ids(JAPANESE))
def test_japanese_statements(case: Case) -> None:
    assert parse_statement(case.text).language == "ja"
    _check(case)


@pytest.mark.parametrize("case", KOREAN, ids=_ids(KOREAN))
def test_korean_statements(case: Case) -> None:
    assert parse_statement(case.text).language == "ko"
    _check(case)


def test_at_least_fifteen_real_statements_per_language() -> None:
    assert len(JAPANESE) >= 15 and len(KOREAN) >= 15
    assert all(c.url.startswith("http") for c in JAPANESE + KOREAN)


def test_okushiri_best_point_is_the_direct_geodesic_and_relative_locate_dispatches() -> None:
    loc = relative.locate("奥尻島の西約250km")
    ok = places.lookup("Okushiri Island")
    lon, lat, _ = geodesy.GEOD.fwd(ok.lon, ok.lat, 270.0, 250_000.0)
    assert geodesy.GEOD.inv(loc.lon, loc.lat, lon, lat)[2] < 1.0
    assert loc.distance_km == (225.0, 275.0) and loc.bearing_deg == W
    # the English form with a Japanese place name stays with the English parser
    assert relative.locate("about 250 km west of 奥尻島").region.equals(loc.region)


def test_a_statement_with_only_a_launch_is_placed_from_the_launch() -> None:
    """2025-01-06: no position, so the flight distance from 平壌近郊 along 北東方向."""
    st = parse_statement(JAPANESE[-1].text)
    assert not st.positions and st.launch_direction == "北東"
    assert any("flight distance" in a and "ground range" in a for a in _loc(st).assumptions)


@pytest.mark.parametrize(
    ("text", "place", "distance", "bearing"),
    [
        ("奥尻島の西２５０ｋｍ", "Okushiri Island", (225.0, 275.0), W),  # full-width digits and unit
        ("奥尻島の西約２５０キロメートル", "Okushiri Island", (225.0, 275.0), W),
        ("男鹿半島の西約300～350km", "Oga Peninsula", (300.0, 350.0), W),  # full-width tilde
        ("男鹿半島の西約300-350km", "Oga Peninsula", (300.0, 350.0), W),
        ("佐渡島の北北東約1千キロ", "Sado Island", (900.0, 1100.0), (11.25, 33.75)),
        ("佐渡島の東北東約200km", "Sado Island", (180.0, 220.0), (56.25, 78.75)),
        ("佐渡島の南南西約200km", "Sado Island", (180.0, 220.0), (191.25, 213.75)),
        ("佐渡島の西南西約200km", "Sado Island", (180.0, 220.0), (236.25, 258.75)),
        ("울릉도 북동쪽 약 100km", "Ulleungdo", (90.0, 110.0), NE),
        ("울릉도 동북방 약 100㎞", "Ulleungdo", (90.0, 110.0), NE),  # Korean order, 동북 = 북동
        ("울릉도 남동쪽 약 1백 km", "Ulleungdo", (90.0, 110.0), (123.75, 146.25)),
        ("울릉도 서남서 약 100km", "Ulleungdo", (90.0, 110.0), (236.25, 258.75)),
        ("독도 동방 250km가량", "Liancourt Rocks", (225.0, 275.0), E),
        ("竹島の東約250km", "Liancourt Rocks", (225.0, 275.0), E),
        ("奥尻島の西約250キロ以上", "Okushiri Island", (250.0, 275.0), W),  # "over 250"
    ],
)
def test_numbers_units_and_directions(
    text: str, place: str, distance: tuple[float, float], bearing: tuple[float, float]
) -> None:
    """Constructed variants (not quotes): the readings the module text promises."""
    loc = locate_statement(text)
    assert loc.place == places.lookup(place)
    assert loc.distance_km == pytest.approx(distance)
    assert loc.bearing_deg == pytest.approx(bearing)


@pytest.mark.parametrize(
    ("text", "side"),
    [
        ("北海道積丹半島の西約200kmの我が国EEZ内", "inside"),
        ("日本海の我が国排他的経済水域（EEZ）外", "outside"),
        ("日本のEEZ(=排他的経済水域)の内側の日本海", "inside"),
        ("日本のEEZ=排他的経済水域の外側の太平洋", "outside"),
    ],
)
def test_eez_statement_is_a_field(text: str, side: str) -> None:
    st = parse_statement(text)
    assert (st.eez_statement, st.eez_country) == (side, "JPN")
    if st.location is not None:
        assert any("EEZ" in a and side in a for a in _loc(st).assumptions)


def test_korean_report_of_japans_eez_statement() -> None:
    """2022-03-05, https://m.nocutnews.co.kr/news/amp/5718182: Yonhap's account of Japan's word."""
    st = parse_statement("일본은 자국 배타적경제수역(EEZ) 바깥에 이번 발사체가 떨어졌다고 밝혔다.")
    assert (st.eez_statement, st.eez_country) == ("outside", "JPN")
    assert st.location is None and "distance" in st.missing


def test_two_eez_sides_in_one_text_give_no_eez_statement() -> None:
    """2019-10-02, the first government account (two missiles, one outside and one inside; later one missile), same page as the MoD text."""
    text = (
        "このうち1発は7時17分頃に北朝鮮沿岸の我が国の排他的経済水域外に、また1発は7時27分に島根県島後沖、"
        "日本海上の我が国の排他的経済水域内に落下したものと見られます。"
    )
    st = parse_statement(text)
    assert st.eez_statement is None
    assert any("both inside and outside" in a for a in st.assumptions)


def test_several_positions_use_the_first_known_place_and_say_so() -> None:
    st = parse_statement(KOREAN[1].text)
    assert [p.place_text for p in st.positions] == ["NLL", "속초", "울릉도"]
    assert st.positions[0].place is None  # the Northern Limit Line is not a gazetteer place
    assert st.positions[2].bearing == "NW"  # 서북방: Korean order for 북서
    assert any("also stated" in a and "울릉도" in a for a in _loc(st).assumptions)


def test_hodo_peninsula_is_measured_from_wonsan_and_said() -> None:
    st = parse_statement(KOREAN[11].text)
    assert any("'호도반도' is not in the gazetteer" in a for a in _loc(st).assumptions)


@pytest.mark.parametrize(
    ("date", "url", "text", "error", "match"),
    [
        ("2022-03-05", "https://m.nocutnews.co.kr/news/amp/5718182",
         "합동참모본부는 5일 \"우리 군은 오전 08시 48분쯤 (평양) 순안 일대에서 동해상으로 발사된 탄도미사일로 추정되는 발사체 1발을 포착했다\"고 밝혔다.",
         ParseError, "gives no distance"),
        ("2024-01-14", "https://m.wowtv.co.kr/NewsCenter/AMP/Read?articleId=A202401140042",
         "북한이 14일 동해상으로 미상의 탄도미사일을 발사했다.", ParseError, "gives no distance"),
        ("2022-04-16", "https://m.ajunews.com/view/20220417091228930",
         "북한 발사체의 고도는 약 25km, 비행거리는 약 110km였으며 최고속도는 마하 4.0 이하로 포착됐다.",
         ParseError, "names no place"),
        ("2017-05-14", "https://www.hankyung.com/politics/article/2017051472367",
         "합동참모본부는 \"북한이 오늘(14일) 오전 5시 27분께 평안북도 구성 일대에서 불상의 탄도미사일 1발을 발사했다\"고 밝혔다.\n\n합참은 미사일 비행거리를 700여km로 분석했으나",
         ParseError, r"launch place \(Kusong\) and a flight distance but no direction.*--site 'Kusong' --range-km 700-770"),
        ("2022-11-05", "https://imnews.imbc.com/news/2022/politics/article/6424058_35666.html",
         "합동참모본부는 오늘 오전 11시 32분부터 11시 59분까지 북한이 평안북도 동림 일대에서 북한 서해상으로 단거리 탄도미사일 4발을 발사한 것을 포착했다고 밝혔습니다.\n미사일은 비행거리 약 130㎞, 고도 약 20㎞, 속도 마하 5로 탐지됐고",
         PlaceNotFoundError, "unknown place '동림'"),
        ("2017-07-04", "https://www.okinawatimes.co.jp/articles/-/108789",
         "北西部の平安北道亀城市方〓付近から日本海に向け弾道ミサイルを発射した。防衛省によると約40分飛行し、排他的経済水域(EEZ)内の秋田県・男鹿半島から約300キロの日本海に落下した。",
         ParseError, r"distance from 男鹿半島 \(Oga Peninsula\) \(約300キロ\) but no direction"),
        ("2022-10-04", "https://2nn.jp/news4plus/1664850915",
         "ミサイルは、青森県の上空を通過しておよそ4600キロ飛行し、東北地方の東およそ3200キロの日本のEEZ=排他的経済水域の外側の太平洋に落下したとみられています。",
         PlaceNotFoundError, "unknown place '東北地方'"),
    ],
)  # fmt: skip
def test_real_statements_that_cannot_be_placed_say_what_is_missing(
    date: str, url: str, text: str, error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        locate_statement(text)
    with pytest.raises(error, match=match):
        relative.locate(text)  # the same through the English entry point


def test_what_the_unplaceable_statements_still_say() -> None:
    """2017-07-04: no position, but the EEZ statement, flight time and launch direction are read."""
    st = parse_statement(
        "北西部の平安北道亀城市方〓付近から日本海に向け弾道ミサイルを発射した。防衛省によると約40分飛行し、"
        "排他的経済水域(EEZ)内の秋田県・男鹿半島から約300キロの日本海に落下した。"
    )
    assert (st.eez_statement, st.flight_time_min and st.flight_time_min.lo) == ("inside", 40.0)
    assert st.launch_direction == "日本海" and st.launch_bearing_deg == EAST_SEA
    assert st.positions[0].place == places.lookup("Oga Peninsula") and st.positions[0].bearing is None
    assert st.location is None and st.missing


@pytest.mark.parametrize("text", ["奥尻島の西250,5km", "奥尻島の西約km"])
def test_bad_numbers_are_refused(text: str) -> None:
    with pytest.raises(GeoError):
        locate_statement(text)


def test_has_cjk() -> None:
    assert has_cjk("奥尻島") and has_cjk("속초") and has_cjk("ウォンサン")
    assert not has_cjk("about 250 km west of Okushiri Island")


def test_to_dict_is_json_with_the_statement_fields() -> None:
    d = parse_statement(JAPANESE[5].text).to_dict()
    text = json.dumps(d, ensure_ascii=False)
    assert d["eez_statement"] == "inside" and d["place"] == "Oshima-Oshima"
    assert d["apogee_km"]["lo"] == 5700.0 and d["flight_time_min"]["lo"] == 66.0
    assert "region" in d and "渡島大島" in text


def test_geo_locate_cli_reads_japanese(tmp_path: Any) -> None:
    from geo.cli import main

    result = CliRunner().invoke(main, ["locate", "北海道積丹半島の西約200kmの我が国EEZ内", "--json"])
    assert result.exit_code == 0, result.output
    d = json.loads(result.output)
    assert d["place"] == "Shakotan Peninsula" and d["distance_km"] == [180.0, 220.0]


def test_geo_locate_cli_names_what_is_missing() -> None:
    from geo.cli import main

    result = CliRunner().invoke(main, ["locate", "북한이 14일 동해상으로 미상의 탄도미사일을 발사했다."])
    assert result.exit_code == 2
    assert "gives no distance" in result.output


CJK_TOKENS = [
    "奥尻島", "の", "西", "北北西", "東南東", "北南", "約", "およそ", "250", "２５０", "1千", "6천 1백", "km", "キロ",
    "㎞", "킬로미터", "〜", "～", "から", "에서", "여", "以上", "程度", "가량", "속초", "동방", "서북쪽", "이남", "NLL",
    "일대에서", "동해상으로", "日本海に向け", "北東方向に", "EEZ", "我が国", "内", "外", "排他的経済水域", "(", ")",
    "（", "元山", "飛翔", "비행거리는", "고도는", "最高高度", "分間", "분", "時", "、", "。", ",", " ", "\n", "250,5",
    "0", "99999", "…", "・", "沖", "付近", "호도반도", "원산",
]  # fmt: skip


@settings(max_examples=400, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(CJK_TOKENS), max_size=14).map("".join))
def test_any_cjk_text_reads_or_raises_a_geo_error(text: str) -> None:
    try:
        st_ = parse_statement(text)
    except GeoError:
        return
    assert st_.location is not None or st_.missing
    with contextlib.suppress(GeoError):
        locate_statement(text)


JA_POINTS = "北 北北東 北東 東北東 東 東南東 南東 南南東 南 南南西 南西 西南西 西 西北西 北西 北北西".split()
KO_POINTS = "북 북북동 북동 동북동 동 동남동 남동 남남동 남 남남서 남서 서남서 서 서북서 북서 북북서".split()


@pytest.mark.parametrize("i", range(16))
def test_the_sixteen_points_in_both_languages(i: int) -> None:
    """A position's direction word is its 16-point sector, as in English."""
    centre = i * 22.5
    want = pytest.approx(((centre - 11.25) % 360, (centre + 11.25) % 360))
    assert locate_statement(f"佐渡島の{JA_POINTS[i]}約200km").bearing_deg == want
    assert locate_statement(f"울릉도 {KO_POINTS[i]}방 약 200km").bearing_deg == want
    assert locate_statement(f"울릉도 {KO_POINTS[i]}쪽 약 200km").bearing_deg == want


def test_a_launch_toward_the_west_sea() -> None:
    """Constructed: the West Sea is the East Sea's mirror image, 210-330 deg."""
    loc = locate_statement("황해남도 장연 일대에서 서해상으로 발사 … 비행거리 약 130㎞")
    assert loc.place == places.lookup("Jangyon")
    assert loc.bearing_deg == (210.0, 330.0)
    assert any("names a sea" in a for a in loc.assumptions)


def test_a_mass_in_kilograms_is_not_a_distance() -> None:
    st = parse_statement("弾頭重量500キログラム、奥尻島の西約250km")  # constructed
    assert [p.distance.text for p in st.positions] == ["約250km"]


def test_geo_assess_text_in_japanese_carries_the_eez_statement() -> None:
    from geo.cli import main

    text = "北海道奥尻島の西約250kmの我が国EEZ外に落下"
    result = CliRunner().invoke(main, ["assess", "--text", text, "--json", "--samples", "2000"])
    assert result.exit_code == 0, result.output
    d = json.loads(result.output)
    assert d["description"] == text
    assert any("outside JPN EEZ as stated" in a for a in d["assumptions"])
    assert abs(sum(d["probability"].values()) - 1.0) < 1e-9


def test_a_distance_off_a_place_without_a_direction_is_refused_naming_the_place() -> None:
    """2019-10-02, NHK via https://japanese.todaiinews.com/detail/cc0e2186b127ce29873d2c1489192fcf: "沖" is no direction."""
    with pytest.raises(ParseError, match=r"distance from 隠岐の島 \(Dogo Island\).*but no direction"):
        locate_statement(
            "大和堆は石川県の能登半島沖300キロほど、島根県の隠岐の島の沖350キロほどのところにある"
        )


def test_a_distance_measured_from_nowhere_is_refused() -> None:
    with pytest.raises(ParseError, match="gives a distance but not where it is measured from"):
        locate_statement("北朝鮮は約250km先に")  # constructed


def test_the_eez_statement_as_a_condition_and_options_pass_through() -> None:
    st = parse_statement(JAPANESE[0].text)
    assert st.condition == "outside JPN eez" and st.to_dict()["condition"] == "outside JPN eez"
    assert parse_statement(KOREAN[0].text).condition is None
    wide = locate_statement(JAPANESE[0].text, distance_fraction=0.2, bearing_tolerance_deg=None)
    assert wide.distance_km == pytest.approx((200.0, 300.0))
    assert any("outside JPN EEZ as stated" in a for a in wide.assumptions)
