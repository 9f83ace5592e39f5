"""Lexicon: data files load, malformed lines are reported by file and line,
regions and reference lists carry the facts a reader knows, and the jieba
tokenizer is private to zone-kg."""

from pathlib import Path

import pytest

import kg.extraction.lexicon as lexicon
from kg.errors import DataFileError
from kg.extraction.lexicon import get_lexicon, load_suffixes, load_words, load_zones, province_short
from kg.records import CLASSES


@pytest.fixture(scope="module")
def lex():
    return get_lexicon()


# --- the shipped data loads ------------------------------------------------------------


def test_shipped_data_loads(lex):
    assert lex.suffixes and lex.titles and lex.surnames and lex.industries and lex.boundaries
    assert all(s.cls in CLASSES for s in lex.suffixes)
    # longest suffix first, so that 股份有限公司 wins over 有限公司 and 公司
    lengths = [len(s.text) for s in lex.suffixes]
    assert lengths == sorted(lengths, reverse=True)


def test_suffix_heads_give_the_class(lex):
    assert lex.suffix_class("星河研究院") == "ResearchInstitute"
    assert lex.suffix_class("青禾新材料科技有限公司") == "Company"
    assert lex.suffix_class("云溪高新区管委会") == "GovernmentBody"
    assert lex.suffix_class("星河科技产业园") == "Park"
    assert lex.suffix_class("星河孵化器") == "Incubator"
    assert lex.suffix_class("云溪高新区") == "Zone"
    assert lex.suffix_class("王建国") is None


def test_longest_suffix_wins(lex):
    assert lex.suffix_of("青禾新材料股份有限公司").text == "股份有限公司"
    assert lex.suffix_of("云溪高新技术产业开发区").text == "高新技术产业开发区"


def test_word_lists(lex):
    assert {"局长", "院长", "常务副主任", "董事长"} <= lex.titles
    assert {"王", "李", "欧阳"} <= lex.surnames
    assert {"新材料", "生物医药", "新能源"} <= lex.industries
    assert "共建" in lex.boundaries
    # the @split section is read apart from the plain words
    assert "出" in lex.glue_chars and "共建" not in lex.glue_chars
    assert not any(w.startswith("@") for w in lex.boundaries)


# --- malformed data files name file and line ----------------------------------------------


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(lexicon, "DATA", tmp_path)
    return tmp_path


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_suffixes_load_from_the_data_folder(data_dir):
    write(
        data_dir / "suffixes.tsv",
        "# comment\n\n研究院\tResearchInstitute\t2\ty\n有限公司\tCompany\t2\ty\n科创园\tPark\t2\tn\n",
    )
    got = load_suffixes()
    # longest first
    assert [(s.text, s.cls, s.min_modifier, s.absorbs_zone) for s in got] == [
        ("有限公司", "Company", 2, True),
        ("研究院", "ResearchInstitute", 2, True),
        ("科创园", "Park", 2, False),
    ]


def test_suffix_line_with_missing_columns(data_dir):
    path = write(
        data_dir / "suffixes.tsv", "# suffix\tclass\tmin\tabsorbs\n研究院\tResearchInstitute\t2\ty\n有限公司\tCompany\n"
    )
    with pytest.raises(DataFileError) as e:
        load_suffixes()
    assert e.value.line == 3
    assert e.value.path == str(path)
    assert f"{path}:3" in str(e.value)


def test_suffix_line_with_unknown_class(data_dir):
    path = write(data_dir / "suffixes.tsv", "研究院\tResearchInstitute\t2\ty\n\n有限公司\tFirm\t2\ty\n")
    with pytest.raises(DataFileError) as e:
        load_suffixes()
    assert (e.value.path, e.value.line) == (str(path), 3)
    assert "Firm" in str(e.value)


def test_suffix_line_with_bad_flags(data_dir):
    path = write(data_dir / "suffixes.tsv", "研究院\tResearchInstitute\ttwo\ty\n")
    with pytest.raises(DataFileError) as e:
        load_suffixes()
    assert (e.value.path, e.value.line) == (str(path), 1)
    write(data_dir / "suffixes.tsv", "研究院\tResearchInstitute\t2\tyes\n")
    with pytest.raises(DataFileError) as e:
        load_suffixes()
    assert e.value.line == 1


def test_undecodable_word_file(data_dir):
    path = data_dir / "titles.txt"
    path.write_bytes("局长 院长\n".encode() + b"\xff\xfe\xfa\n")
    with pytest.raises(DataFileError) as e:
        load_words("titles.txt")
    assert e.value.path == str(path)
    assert str(path) in str(e.value)


def test_missing_data_file(data_dir):
    with pytest.raises(DataFileError) as e:
        load_words("no_such_file.txt")
    assert "no_such_file.txt" in str(e.value)


def test_load_words_sections(data_dir):
    write(data_dir / "words.txt", "# c\n甲 乙\n@split 出 为\n丙\n")
    assert load_words("words.txt") == {"甲", "乙", "丙"}
    assert load_words("words.txt", "split") == {"出", "为"}


ZONE_HEADER = "official_name,short_name,other_aliases,province,city,county,approval_year\n"


def test_zone_row_without_official_name(data_dir):
    path = write(
        data_dir / "zones.csv",
        ZONE_HEADER + "云溪高新技术产业开发区,云溪高新区,,江苏省,云溪市,,2012\n" + ",星河高新区,,江苏省,星河市,,2015\n",
    )
    with pytest.raises(DataFileError) as e:
        load_zones("zones.csv")
    # line 1 is the header, so the second data row is line 3 of the file
    assert (e.value.path, e.value.line) == (str(path), 3)
    assert f"{path}:3" in str(e.value)


def test_zone_rows_give_names_and_facts(data_dir):
    write(
        data_dir / "zones.csv",
        ZONE_HEADER
        + "云溪高新技术产业开发区,云溪高新区,云溪国家高新区; 云溪国家高新技术产业开发区,江苏省,云溪市,,2012\n",
    )
    (zone,) = load_zones("zones.csv")
    assert zone.key == "云溪高新区" and zone.cls == "Zone"
    facts = dict(zone.facts)
    assert facts["officialName"] == "云溪高新技术产业开发区"
    assert facts["province"] == "江苏省"
    assert facts["approvalYear"] == "2012"
    # official name, aliases, and the short name with its province in front
    assert {"云溪高新技术产业开发区", "云溪高新区", "云溪国家高新区", "江苏云溪高新区", "江苏省云溪高新区"} <= set(
        zone.names
    )


# --- province short forms --------------------------------------------------------------


@pytest.mark.parametrize(
    "full, short",
    [
        ("江苏省", "江苏"),
        ("山东省", "山东"),
        ("北京市", "北京"),
        ("上海市", "上海"),
        ("新疆维吾尔自治区", "新疆"),
        ("广西壮族自治区", "广西"),
        ("宁夏回族自治区", "宁夏"),
        ("内蒙古自治区", "内蒙古"),
        ("西藏自治区", "西藏"),
        ("香港特别行政区", "香港"),
    ],
)
def test_province_short(full, short):
    assert province_short(full) == short


# --- administrative regions --------------------------------------------------------------


def test_liyang_is_a_county_level_city_of_changzhou(lex):
    (liyang,) = [r for r in lex.regions["溧阳"] if r.full == "溧阳市"]
    assert liyang.code == "320481"
    assert liyang.level == 2
    assert liyang.parent_codes == ("320000", "320400")  # 江苏省, 常州市
    assert lex.regions["溧阳"][0] == liyang
    assert lex.regions["溧阳市"][0] == liyang
    assert lex.region_by_code["320481"].full == "溧阳市"
    assert lex.region_by_code["320400"].full == "常州市"


def test_provinces_are_known_by_short_and_full_name(lex):
    assert lex.regions["江苏"][0].code == "320000"
    assert lex.regions["江苏省"][0].code == "320000"
    assert lex.regions["江苏"][0].level == 0
    assert lex.regions["济南"][0].full == "济南市"


# --- reference lists ----------------------------------------------------------------------


def test_national_zone_jinan(lex):
    ref = lex.references["济南高新区"]
    assert ref.cls == "Zone"
    assert ref.key == "济南高新区"
    facts = dict(ref.facts)
    assert facts["officialName"] == "济南高新技术产业开发区"
    assert facts["province"] == "山东省"
    assert facts["level"] == "national"
    # every written form of the zone leads to the same entry
    for name in ("济南高新技术产业开发区", "山东济南高新区", "山东省济南高新区"):
        assert lex.references[name] is ref


def test_cas_institute_reference(lex):
    ref = lex.references["中国科学院物理研究所"]
    assert ref.cls == "ResearchInstitute"
    assert lex.references["中科院物理所"] is ref
    # 物理所 alone needs context: it is not a reference name by itself
    assert "物理所" not in lex.references
