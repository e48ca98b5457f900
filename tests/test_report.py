"""`tally report`: the analyst's report from a real store of the bundled examples: a table
of contents whose entries lead to their sections, counts that are the cards under them,
the disagreements first, and nothing that reaches outside the file."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import html as lxml_html
from typer.testing import CliRunner

from tally.cli import app

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def report_html(examples_report: Path) -> str:
    return examples_report.read_text("utf-8")


def heading_count(section) -> int:
    text = section.xpath("./h2|./h3")[0].text_content()
    return int(re.search(r"\((\d+)\)\s*$", text).group(1))


def cards(section) -> list:
    return section.xpath(".//*[contains(concat(' ', @class, ' '), ' card ')]")


def test_every_contents_entry_leads_to_a_section_holding_as_many_cards_as_it_says(report_html):
    page = lxml_html.fromstring(report_html)
    entries = page.xpath('//nav[@id="contents"]//li')
    assert len(entries) >= 4
    for li in entries:
        link = li.xpath("./a")[0]
        target = page.get_element_by_id(link.get("href").removeprefix("#"))
        assert target.tag == "section", link.get("href")
        counted = li.xpath('./span[@class="count"]')
        if not counted:  # a picture: it counts nothing, it is drawn
            assert target.xpath("./figure/svg"), link.get("href")
            continue
        count = int(counted[0].text)
        assert count == heading_count(target) == len(cards(target)), link.get("href")
    # a section of parts counts what its parts hold
    found = page.get_element_by_id("disagreements")
    parts = found.xpath("./section")
    assert len(parts) >= 3 and sum(heading_count(p) for p in parts) == heading_count(found)


def test_a_card_says_what_its_section_title_says(report_html):
    """'Figures given by several independent sources' holds no card of one source."""
    page = lxml_html.fromstring(report_html)
    shared = cards(page.get_element_by_id("shared"))
    assert shared
    for card in shared:
        n = int(re.search(r"(\d+) independent sources", card.text_content()).group(1))
        assert n > 1
    single = cards(page.get_element_by_id("single"))
    assert single and all("independent sources" not in c.text_content() for c in single)


def test_disagreements_come_first_each_with_its_sentences(report_html):
    page = lxml_html.fromstring(report_html)
    order = [s.get("id") for s in page.xpath("//main/section")]
    assert order[0] == "disagreements" and order[-1] == "single"
    assert [a.get("href") for a in page.xpath('//nav[@id="contents"]/ol/li/a')] == \
        ["#" + i for i in order]
    # kinds in the order of DISAGREEMENT_KINDS: conflicts before denials
    kinds = [s.get("id") for s in page.get_element_by_id("disagreements").xpath("./section")]
    assert kinds.index("disagreements-conflict") < kinds.index("disagreements-denial")
    # the army's seven against the hospital's thirteen, each with its own sentence
    card = next(c for c in cards(page.get_element_by_id("disagreements-conflict"))
                if "Abdullahi Roble" in c.text_content() and "Amina Warsame" in c.text_content())
    text = card.text_content()
    assert "killing seven soldiers" in text and "bodies of 13 soldiers" in text
    assert card.xpath('.//span[@class="side government"]')  # each source's side shown


def test_the_report_reaches_nothing_outside_the_file(report_html):
    page = lxml_html.fromstring(report_html)
    assert not page.xpath("//script|//link|//img|//iframe|//object|//embed|//base")
    for el in page.iter():
        for name in ("href", "src", "{http://www.w3.org/1999/xlink}href", "xlink:href",
                     "action", "srcset"):
            value = el.get(name)
            assert value is None or value.startswith("#"), (el.tag, name, value)
    styles = " ".join(s.text_content() for s in page.xpath("//style")) + " ".join(
        el.get("style") or "" for el in page.iter())
    assert "@import" not in styles and "url(" not in styles.replace("url(#", "")
    assert "http:" not in report_html and "https:" not in report_html and "//" not in styles


def test_markdown_report_to_stdout_and_scoped_to_a_document(examples_db):
    r = run("report", "--db", examples_db, "--format", "md", "--doc",
            "05_weekly_casualty_report")
    assert r.exit_code == 0, r.output
    assert r.output.startswith("# tally report")
    assert "document 05_weekly_casualty_report" in r.output
    assert "denial: Zabihullah Mujahid rejected what" in r.output  # the spokesman named
    assert "Abdullahi Roble" not in r.output  # another document's quarrel
    # the contents name each section with the count its heading gives
    for title, count, anchor in re.findall(r"^- \[(.+) \((\d+)\)\]\(#([\w-]+)\)$", r.output,
                                           re.M):
        assert f'<a id="{anchor}"></a>\n## {title} ({count})' in r.output


def test_report_escapes_html():
    from tally.report.contents import sections
    from tally.report.render import _env

    found = [{"kind": "conflict", "why": "<script>x</script>", "doc": "d", "claims": []}]
    html = _env.get_template("report.html.j2").render(
        summary={"documents": 0, "claims": 0, "denied": 0, "figure_groups": 0,
                 "multi_source_groups": 0},
        sections=sections(found, [], []), generated="now", scope={}, pictures={},
        side_colours={})
    assert "<script>x" not in html and "&lt;script&gt;x" in html


def test_charts_are_pictures_inside_the_page(report_html):
    """Each conflict and each figure several sources give has its bar chart, the events
    their timeline and map: SVG drawn offline, in the page, each with its own ids."""
    page = lxml_html.fromstring(report_html)
    for section in ("disagreements-conflict", "disagreements-divergence", "shared"):
        for card in cards(page.get_element_by_id(section)):
            picture = card.xpath('.//div[@class="picture"]/svg')
            assert len(picture) == 1, section
            text = " ".join(picture[0].itertext())
            assert re.search(r"(^|\s)0k?\s", text)  # an axis from zero, with its numbers
            assert picture[0].get("role") == "img" and picture[0].get("aria-label")
    shared = cards(page.get_element_by_id("shared"))[0]
    drawn = " ".join(shared.xpath('.//svg')[0].itertext())
    for v in shared.xpath(".//li/strong"):  # every value as written, beside its bar
        assert v.text_content() in drawn
    assert "government" in drawn and "insurgent" in drawn  # the legend of sides
    for part in ("timeline", "map"):
        assert page.get_element_by_id(part).xpath(".//figure/svg")
    assert not page.xpath('//section[@id="disagreements-denial"]//svg')  # no bars of a denial
    ids = [el.get("id") for el in page.xpath("//svg//*[@id]")]
    assert ids and len(ids) == len(set(ids))
    for ref in re.findall(r"url\(#([^)]+)\)", report_html):
        assert ref in ids


def test_a_chart_shows_article_text_as_text():
    from tally.report import pictures

    group = {"metric": "killed", "victim": None, "values": [
        {"id": "a", "doc": "d", "source": "<img src=x onerror=alert(1)>", "side": "government",
         "copy_of": None, "sentence": "s", "value": {"low": 4, "high": 4, "text": "4"}}]}
    drawn = pictures.group(group, "t")
    assert "<img" not in drawn and "&lt;img src=x" in drawn


def test_a_long_timeline_keeps_its_disagreements_and_its_span():
    from tally.report.pictures import fewer

    rows = [{"n": i, "disagreements": ["x"] if i % 10 == 0 else []} for i in range(1000)]
    kept = fewer(rows, 300)
    assert len(kept) == 300 and [r["n"] for r in kept] == sorted(r["n"] for r in kept)
    assert {r["n"] for r in kept} >= set(range(0, 1000, 10))  # every disputed one
    assert kept[0]["n"] == 0 and kept[-1]["n"] > 900
    assert fewer(rows, 2000) == rows
