"""`ceasefire claims`: the article fixture, numbers, dates, boilerplate, checks, the overlay."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
import typer
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ceasefire.claims import analyse_article, draft_overlay, extract_sentence, read_article
from ceasefire.claims._dates import find_dates
from ceasefire.claims._numbers import find_numbers
from ceasefire.cli._claims import register
from ceasefire.scenario import DEFAULT_PRESET, load_overlay, load_scenario
from tests.conftest import shared_file

ARTICLE_DATE = dt.date(2024, 11, 25)
FIXTURE = "data/ukraine/article_fixture"

runner = CliRunner()


def _app() -> typer.Typer:
    app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)

    @app.callback()
    def root() -> None:
        """Test app holding only the claims command."""

    register(app)
    return app


def invoke(*args: str, stdin: str | None = None):
    return runner.invoke(_app(), ["claims", *args], input=stdin)


def _fields(claim) -> tuple:
    return (claim.low, claim.high, claim.unit, claim.counts, claim.period, claim.entity, claim.date)


# What the paraphrase of the article claims (published-figures.md lists the same figures).
ARTICLE_CLAIMS = [
    (115_000, 160_000, "people", "killed", "cumulative", "Russia", "2024-11-25"),
    (500_000, 500_000, "people", "wounded", "cumulative", "Russia", "2024-11-25"),
    (90, 90, "percent", "share of initial force", None, "Russia", "2024-11-25"),
    (20_000, 20_000, "people", "recruits", "per_month", "Russia", "2024-11-25"),
    (None, None, None, "event", None, None, "2024-11-01"),
    (2, 2, "times", "change in bonus", None, "Russia", "2024-11-25"),
]
ARTICLE_BOILERPLATE_TXT = [
    "Read : Earth's Magnetic North Pole Moving Towards Russia",
    "Read : Scientists Warn Of A Looming Solar Storm",
    "Share this article",
    "Thanks for reading 🙏🇺🇦💙💛 Slava Ukraini! ✌️",
]
# One line of extra_sentences.txt each, in order.
EXTRA_CLAIMS = [
    (115_000, 160_000, "people", "killed", "cumulative", "Russia", "2024-11-25"),
    (1_500, 1_500, "people", "casualties", "per_day", "Russia", "2024-11-25"),
    (1_200, 1_200, "people", "casualties", "per_day", "Russia", "2024-06/2024-08"),
    (1_900_000, 1_900_000, "rub", "bonus", None, "Russia", "2024-11-25"),
    (22_000, 22_000, "usd", "bonus", None, "Russia", "2024-11-25"),
    (10_000, 12_000, "people", "troops", "stock", "North Korea", "2024-11-25"),
    (20_000, 20_000, "people", "recruits", "per_month", None, "2024-11-25"),
    (15, 15, "percent", "change in casualties", None, None, "2024-10"),
    (66.6667, 66.6667, "percent", "share of initial tanks", None, None, "2024-11-25"),
    (87, 87, "percent", "share of initial force", None, "Russia", "2024-11-25"),
    (30_000, 30_000, "people", "recruits", "per_month", None, "2023"),
    (20_000, 20_000, "people", "recruits", "per_month", None, "2024"),
]


def test_article_text_every_claim_and_boilerplate_line():
    text = shared_file(f"{FIXTURE}/article_paraphrase.txt").read_text(encoding="utf-8")
    report = analyse_article(text, date=ARTICLE_DATE)
    assert [_fields(claim) for claim in report.claims] == ARTICLE_CLAIMS
    assert report.article.dropped_lines == ARTICLE_BOILERPLATE_TXT
    assert report.article.title == "Putin's war machine is running out of men"
    kept = " ".join(report.article.paragraphs)
    assert "Read :" not in kept
    assert "🙏" not in kept


def test_article_html_takes_its_date_and_drops_page_furniture():
    text = shared_file(f"{FIXTURE}/article_paraphrase.html").read_text(encoding="utf-8")
    report = analyse_article(text)
    assert report.article.date == ARTICLE_DATE
    assert [_fields(claim) for claim in report.claims] == ARTICLE_CLAIMS
    dropped = report.article.dropped_lines
    for line in ARTICLE_BOILERPLATE_TXT[:2] + ARTICLE_BOILERPLATE_TXT[3:]:
        assert line in dropped
    assert any(line.startswith("Share this article") for line in dropped)
    assert any("Subscribe" in line for line in dropped)  # the navigation bar
    assert all("Slava" not in p and "Cookie" not in p for p in report.article.paragraphs)


def test_date_option_wins_over_html_metadata():
    text = shared_file(f"{FIXTURE}/article_paraphrase.html").read_text(encoding="utf-8")
    report = analyse_article(text, date=dt.date(2024, 11, 28))
    assert report.article.date == dt.date(2024, 11, 28)
    event = next(claim for claim in report.claims if claim.counts == "event")
    assert event.date == "2024-11-01"


def test_extra_sentences_each_claim():
    lines = shared_file(f"{FIXTURE}/extra_sentences.txt").read_text(encoding="utf-8")
    claims = [
        _fields(claim)
        for line in lines.splitlines()
        for claim in extract_sentence(line, ARTICLE_DATE)
    ]
    assert claims == EXTRA_CLAIMS


def test_ninety_percent_gives_the_implied_initial_force():
    """(115,000 + 500,000) / 0.9 = 683,333 and (160,000 + 500,000) / 0.9 = 733,333."""
    text = shared_file(f"{FIXTURE}/article_paraphrase.txt").read_text(encoding="utf-8")
    report = analyse_article(text, date=ARTICLE_DATE)
    check = next(check for check in report.checks if check.name == "implied initial force")
    assert check.claims == [0, 1, 2]
    assert "683,333" in check.arithmetic
    assert "733,333" in check.arithmetic
    low, high = (115_000 + 500_000) / 0.9, (160_000 + 500_000) / 0.9
    assert f"{low:,.0f}–{high:,.0f}" in check.arithmetic
    # The published 360,000 (US assessment, Dec 2023) is about half the implied force.
    assert check.verdict.startswith("inconsistent: 1.90–2.04 times the 360,000")


def test_rates_and_totals_are_checked_against_published_figures():
    text = shared_file(f"{FIXTURE}/article_paraphrase.txt").read_text(encoding="utf-8")
    checks = {c.name: c for c in analyse_article(text, date=ARTICLE_DATE).checks}
    recruits = checks["recruits rate versus published figures"]
    assert recruits.verdict.startswith("lower:")
    assert "27,500 a month" in recruits.arithmetic  # the lowest published estimate
    casualties = checks["casualties versus published figures"]
    # 648,000 by 2024-10-07 plus 49 days at 1,140–1,271 a day.
    assert f"{648_000 + 49 * 1_140:,}–{648_000 + 49 * 1_271:,}" in casualties.arithmetic
    assert casualties.verdict.startswith("lower: 6–13%")


def test_rate_versus_total_within_an_article():
    text = (
        "Russia has recruited 300,000 soldiers since January 2024. "
        "It recruits about 20,000 soldiers a month."
    )
    report = analyse_article(text, date=dt.date(2024, 11, 30))
    check = next(check for check in report.checks if check.name == "rate versus total")
    # 300,000 over 2024-01-01..2024-11-30 (334 days = 10.97 months) is 27,343 a month.
    months = 334 / 30.4375
    assert f"{months:.1f} months" in check.arithmetic
    assert f"{300_000 / months:,.0f} a month on average" in check.arithmetic
    assert check.verdict.startswith("consistent")


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("between 115,000 and 160,000 men", [(115_000, 160_000, "count")]),
        ("some 115 to 160 thousand men", [(115_000, 160_000, "count")]),
        ("up to 1.9 million roubles", [(None, 1_900_000, "money")]),
        ("more than 700,000 soldiers", [(700_000, None, "count")]),
        ("roughly twenty thousand men", [(20_000, 20_000, "count")]),
        ("one hundred and fifty thousand men", [(150_000, 150_000, "count")]),
        ("half a million men", [(500_000, 500_000, "count")]),
        ("some 42,775 square miles", [(110_786.7, 110_786.7, "area")]),
        ("a third of the recruits", [(33.3333, 33.3333, "percent")]),
        ("fell by 12 per cent", [(-12, -12, "percent")]),
        ("the bonus was doubled", [(2, 2, "multiplier")]),
        ("rose from 1,200 to 1,500 a day", [(1_200, 1_200, "count"), (1_500, 1_500, "count")]),
        ("F-16 jets, COVID-19 and thousands of recruits", []),
        ("115k dead", [(115_000, 115_000, "count")]),
    ],
)
def test_numbers(sentence, expected):
    found = [(m.low, m.high, m.kind) for m in find_numbers(sentence, [])]
    assert len(found) == len(expected)
    for got, want in zip(found, expected, strict=True):
        assert got[2] == want[2]
        for value, target in zip(got[:2], want[:2], strict=True):
            assert (value is None) == (target is None)
            if target is not None:
                assert value == pytest.approx(target, rel=1e-4)


_WORDS = (
    "0 1 7 15 2023 1,500 115,000 1.9 million twenty thousand half a of the between and to up "
    "from rose fell by per cent % $ roubles a day month each since in on May June November "
    "Monday summer last year Russia Ukraine's North Korean troops killed wounded recruits "
    "bonus doubled times ratio square kilometres about more than , . – -"
)
_TOKENS = st.sampled_from(_WORDS.split(" "))


@settings(max_examples=300, deadline=None)
@given(st.lists(_TOKENS, max_size=25))
def test_any_text_reads_without_error(tokens):
    for claim in extract_sentence(" ".join(tokens), ARTICLE_DATE):
        if claim.low is not None and claim.high is not None:
            assert claim.low <= claim.high
        assert claim.counts
        assert claim.date is not None


@pytest.mark.parametrize(
    ("sentence", "article", "iso"),
    [
        ("It took effect on November 1.", "2024-11-25", "2024-11-01"),
        ("It took effect on December 1 last year.", "2024-11-25", "2023-12-01"),
        ("It started in October.", "2024-11-25", "2024-10"),
        ("It started in December.", "2024-03-01", "2023-12"),
        ("It happened in the summer.", "2024-11-25", "2024-06/2024-08"),
        ("They protested on Saturday.", "2024-11-25", "2024-11-23"),
        ("It runs from 1 October to 31 December.", "2024-09-30", "2024-10-01/2024-12-31"),
        ("It happened last year.", "2024-03-01", "2023"),
        ("It happened in early 2023.", "2024-03-01", "2023-01/2023-04"),
        ("It happened on 24 February 2022.", "2024-03-01", "2022-02-24"),
    ],
)
def test_dates_resolve_against_the_article_date(sentence, article, iso):
    dates = find_dates(sentence, dt.date.fromisoformat(article))
    assert [date.iso for date in dates] == [iso]


def test_relative_dates_need_an_article_date():
    assert [date.iso for date in find_dates("It took effect on November 1.", None)] == [None]
    claims = extract_sentence("A law took effect on November 1.", None)
    assert claims == []  # a dated statement needs a date to resolve


def test_since_opens_a_period_rather_than_dating_the_claim():
    (claim,) = extract_sentence(
        "Russia has mobilised some 300,000 reservists since September 2022.", ARTICLE_DATE
    )
    assert claim.date == "2024-11-25"
    assert claim.since == "2022-09"
    assert claim.period == "cumulative"


def test_boilerplate_rules_keep_reporting():
    article = read_article(
        "Headline Of The Day\n"
        "Russia's share of the territory rose to 18%.\n"
        "Read : Another Story\n"
        "Subscribe to our newsletter\n"
        "Great work 💪🔥\n",
        date=ARTICLE_DATE,
    )
    assert article.paragraphs == ["Russia's share of the territory rose to 18%."]
    assert article.dropped_lines == [
        "Read : Another Story",
        "Subscribe to our newsletter",
        "Great work 💪🔥",
    ]


def test_mechanisms_of_the_article():
    text = shared_file(f"{FIXTURE}/article_paraphrase.txt").read_text(encoding="utf-8")
    mechanisms = {m.name: m for m in analyse_article(text, date=ARTICLE_DATE).mechanisms}
    assert mechanisms["draft law"].date == "2024-11-01"
    assert mechanisms["electronic draft notices"].kind == "policy"
    assert mechanisms["prisoner recruitment"].parameter == "sides.russia.channels.prisoners"
    assert mechanisms["North Korean troops"].parameter == "sides.russia.channels.north_korea"
    assert mechanisms["sign-on bonus"].kind == "incentive"
    assert "Belarusian army (candidate ally)" in mechanisms


def test_drafted_overlay_loads_and_cites_its_sentences():
    text = shared_file(f"{FIXTURE}/article_paraphrase.txt").read_text(encoding="utf-8")
    report = analyse_article(text, date=ARTICLE_DATE)
    overlay = draft_overlay(
        report.claims, date=ARTICLE_DATE, title=report.article.title, publisher="test"
    )
    scenario = load_scenario(DEFAULT_PRESET, overrides=overlay.override_strings())
    fraction = scenario.sides["russia"].killed_fraction
    assert fraction.support() == pytest.approx((115 / 615, 160 / 660), abs=1e-6)
    recruitment = overlay.overrides["sides.russia.channels.contract.recruitment.0.value"]
    assert (recruitment["low"], recruitment["high"]) == (18_000, 22_000)
    assert "assumption" in recruitment["says"]  # the band for "around" is labelled
    for value in overlay.overrides.values():
        assert value["source"]["date"] == "2024-11-25"
        assert value["source"]["says"] in report.article.sentences()


def test_overlay_needs_an_article_date():
    from ceasefire._errors import InputError

    claims = extract_sentence("Russia recruits about 20,000 soldiers a month.", ARTICLE_DATE)
    with pytest.raises(InputError, match="--date"):
        draft_overlay(claims, date=None, title=None, publisher="test")


def test_cli_table_on_the_fixture():
    path = shared_file(f"{FIXTURE}/article_paraphrase.html")
    result = invoke(str(path))
    assert result.exit_code == 0, result.output
    for text in ("115,000–160,000", "about 20,000", "share of initial force", "2024-11-01"):
        assert text in result.output
    assert "683,333" in result.output
    assert "Thanks for reading" in result.output  # listed among the dropped lines


def test_cli_json_layout():
    path = shared_file(f"{FIXTURE}/article_paraphrase.txt")
    result = invoke(str(path), "--date", "2024-11-25", "--json")
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    assert {"dropped_lines", "claims", "checks"} <= set(record)
    keys = {"sentence", "low", "high", "unit", "counts", "period", "entity", "date", "hedge"}
    assert all(keys | {"parameter"} <= set(claim) for claim in record["claims"])
    assert all({"claims", "arithmetic", "verdict"} <= set(check) for check in record["checks"])
    assert record["claims"][0]["hedge"] == ["estimate", "suggest"]


def test_cli_reads_stdin():
    result = invoke(
        "-", "--date", "2024-11-25", "--json", stdin="Kyiv calls up 30,000 men a month."
    )
    assert result.exit_code == 0, result.output
    (claim,) = json.loads(result.output)["claims"]
    assert (claim["low"], claim["counts"], claim["entity"]) == (30_000, "mobilised", "Ukraine")


def test_cli_scenario_overlay_is_written_and_loads(tmp_path: Path):
    path = shared_file(f"{FIXTURE}/article_paraphrase.html")
    out = tmp_path / "overlay.yaml"
    result = invoke(str(path), "--scenario", str(out))
    assert result.exit_code == 0, result.output
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert set(data) == {"name", "description", "overrides"}
    overlay = load_overlay(out)
    load_scenario(DEFAULT_PRESET, overrides=overlay.overrides)


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["missing.txt"], None, "missing.txt: cannot read"),
        (["-", "--date", "25/11/2024"], "Text.", "--date: expected a date as YYYY-MM-DD"),
        (["-"], "   ", "stdin: empty"),
    ],
)
def test_cli_bad_input_is_one_line_and_exit_2(args, stdin, message):
    result = invoke(*args, stdin=stdin)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_cli_scenario_without_a_date_writes_nothing(tmp_path: Path):
    out = tmp_path / "overlay.yaml"
    text = "Moscow recruits about 20,000 soldiers a month."
    result = invoke("-", "--scenario", str(out), stdin=text)
    assert result.exit_code == 2
    assert "give --date" in result.output
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_checks_against_observed_series():
    text = shared_file(f"{FIXTURE}/article_paraphrase.txt").read_text(encoding="utf-8")
    from ceasefire.observe import load_contract_claims, load_general_staff, load_mediazona

    series = [
        load_general_staff(shared_file("data/ukraine/petroivaniuk/russia_losses_personnel.json")),
        load_mediazona(shared_file("data/ukraine/mediazona/daily_to-2024-11.json")),
        load_contract_claims(shared_file("data/ukraine/recruitment/official_contract_claims.csv")),
    ]
    checks = {c.name: c for c in analyse_article(text, date=ARTICLE_DATE, series=series).checks}
    staff = checks["casualties versus general_staff"]
    assert "732,350 on 2024-11-25" in staff.arithmetic  # the README's reading of that day
    assert staff.verdict.startswith("lower:")
    assert checks["killed versus mediazona"].verdict.startswith("consistent")
    assert checks["recruits versus contracts"].verdict.startswith("lower:")


@pytest.mark.slow
def test_cold_start_under_ten_seconds():
    """`ceasefire claims` on the fixture, whole command in a fresh interpreter."""
    path = shared_file(f"{FIXTURE}/article_paraphrase.html")
    code = (
        "import sys, typer\n"
        "from ceasefire.cli._claims import register\n"
        "app = typer.Typer()\n"
        "@app.callback()\n"
        "def root() -> None: pass\n"
        "register(app)\n"
        "app(['claims', sys.argv[1]])\n"
    )
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - start
    assert done.returncode == 0, done.stderr
    assert "683,333" in done.stdout
    assert elapsed < 10
