"""kg.extraction.reference_lists: the lists of data/reference/ read, checked and used with care."""

import pytest

from kg.errors import DataFileError
from kg.extraction.lexicon import DATA, get_lexicon
from kg.extraction.reference_lists import COLUMNS, FILES, ReferenceEntry, load_entries, read_list, usable_names

HEADER = ",".join(COLUMNS) + "\n"


def write(folder, name, rows: str):
    (folder / name).write_text(HEADER + rows, encoding="utf-8")


def test_every_shipped_list_reads_and_has_a_sources_note():
    for name in FILES:
        assert read_list(DATA / "reference" / name), name
    notes = (DATA / "reference" / "SOURCES.md").read_text(encoding="utf-8")
    assert all(f"`{name}`" in notes for name in FILES)


@pytest.mark.parametrize(
    "rows, line, why",
    [
        ("星河大学,University,本科,,,,,,S1\n星河学院,School,专科,,,,,,S1\n", 3, "unknown class 'School'"),
        (",University,本科,,,,,,S1\n", 2, "the name is empty"),
        ("星河大学,University,本科,,,,,S1\n", 2, "expected 9 columns"),
    ],
)
def test_a_bad_line_names_file_and_line(tmp_path, rows, line, why):
    write(tmp_path, "universities.csv", rows)
    with pytest.raises(DataFileError) as e:
        read_list(tmp_path / "universities.csv")
    assert (e.value.path, e.value.line) == (str(tmp_path / "universities.csv"), line)
    assert why in str(e.value)


def test_a_bad_header_is_line_one(tmp_path):
    (tmp_path / "x.csv").write_text("name,class\n星河大学,University\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"x\.csv:1: the header must be"):
        read_list(tmp_path / "x.csv")


def test_short_names_by_class_and_never_english_or_banned():
    uni = ReferenceEntry("星河大学", "University", "本科", ("星大", "星河大"), ("Xinghe University",))
    assert usable_names(uni, frozenset()) == ("星河大学", "星大", "星河大")
    inst = ReferenceEntry(
        "中国科学院星河研究所", "ResearchInstitute", "中国科学院研究机构", ("星河所", "中科院星河所"), ()
    )
    assert usable_names(inst, frozenset()) == ("中国科学院星河研究所", "中科院星河所")  # 星河所 needs context
    company = ReferenceEntry("星河科技", "Company", "科创板", ("星河",), ())
    assert usable_names(company, frozenset({"星河科技"})) == ()


def test_a_name_two_entries_claim_is_dropped_from_both_and_risky_names_never_used(tmp_path):
    write(tmp_path, "zones.csv", "云溪经济技术开发区,Zone,国家级经济技术开发区,云溪经开区,,,,,S1\n")
    write(tmp_path, "parks_incubators.csv", "")
    write(
        tmp_path, "universities.csv", "云溪大学,University,本科,云大,,,,,S1\n云溪理工大学,University,本科,云大,,,,,S1\n"
    )
    write(tmp_path, "academies.csv", "")
    write(tmp_path, "central_soes.csv", "")
    write(
        tmp_path,
        "listed_companies.csv",
        "云溪科技,Company,科创板,,,,,688000.SH,S1\n中关村,Company,深交所主板,,,,,000931.SZ,S1\n",
    )
    (tmp_path / "listed_companies_risky.txt").write_text("# words\n中关村\n", encoding="utf-8")
    got = {e.name: names for e, names in load_entries(tmp_path)}
    assert got["云溪大学"] == ("云溪大学",) and got["云溪理工大学"] == ("云溪理工大学",)
    assert got["云溪经济技术开发区"] == ("云溪经济技术开发区", "云溪经开区")
    assert got["中关村"] == () and got["云溪科技"] == ("云溪科技",)


def test_an_other_provincial_area_named_as_a_park_is_a_park(tmp_path):
    write(
        tmp_path,
        "zones.csv",
        "江西云溪工业园区,Zone,其他省级开发区,,,江西省,,,S1\n江西云溪经济开发区,Zone,省级经济开发区,,,,,,S1\n",
    )
    assert [e.cls for e in read_list(tmp_path / "zones.csv")] == ["Park", "Zone"]


def test_listed_names_reach_the_lexicon_with_their_facts():
    lex = get_lexicon()
    ref = lex.references["电子科大"]
    assert (ref.key, ref.cls) == ("电子科技大学", "University")
    assert dict(ref.facts)["designation"] == "本科"
    zone = lex.references["昆山经开区"]
    assert zone.cls == "Zone" and dict(zone.facts)["level"] == "national"
    assert "中关村" not in {n for r in lex.references.values() if r.cls == "Company" for n in r.names}
