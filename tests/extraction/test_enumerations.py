"""Enumerations whose head gives the class (kg/extraction/enumerations.py)."""

import pytest

from kg.errors import DataFileError
from kg.extraction.enumerations import items_before, list_heads
from kg.extraction.mentions import _Finder, find_mentions


def companies(text):
    return [m.text for m in find_mentions(text) if m.cls == "Company" and m.rule.startswith("list:")]


def test_items_between_separators_are_taken_whole():
    # 强生-like items that jieba tags as verbs still count when 、 bounds them
    assert companies("园区集聚了青禾、强生、星河等一大批知名企业。") == ["青禾", "强生", "星河"]


def test_counter_closes_a_list():
    assert companies("甲乙电子、丙丁半导体等13家设计企业翘楚签约入园。") == ["甲乙电子", "丙丁半导体"]


def test_first_item_stops_at_the_verb():
    assert companies("配套引进了北辰、云帆、星耀等一批产业链项目。")[0] == "北辰"


def test_conjunction_before_the_last_item():
    assert companies("孵化出甲乙科技、丙丁智能和戊己新材等30多家企业。") == ["甲乙科技", "丙丁智能", "戊己新材"]


def test_a_single_item_is_not_a_list():
    assert companies("孵化出甲乙科技等企业。") == []


def test_industries_are_not_companies():
    assert companies("园区吸引了生物医药、新能源等领域企业。") == []


def test_items_before_returns_offsets_into_the_text():
    text = "引进甲乙、丙丁等企业"
    f = _Finder(text)
    spans = items_before(f, text.index("等"))
    assert [text[s:e] for s, e in spans] == ["甲乙", "丙丁"]


def test_bad_head_line_names_file_and_line(tmp_path, monkeypatch):
    import kg.extraction.enumerations as en
    import kg.extraction.lexicon as lexicon

    bad = tmp_path / "list_heads.tsv"
    bad.write_text("# heads\n企业\tCompany\n高校 University\n", encoding="utf-8")
    monkeypatch.setattr(lexicon, "DATA", tmp_path)
    en.list_heads.cache_clear()
    try:
        with pytest.raises(DataFileError) as e:
            en.list_heads()
        assert "list_heads.tsv" in str(e.value) and ":3" in str(e.value)
    finally:
        en.list_heads.cache_clear()
        en.list_end.cache_clear()


def test_heads_file_has_classes():
    assert list_heads()["企业"] == "Company"


def industries(text):
    return [m.text for m in find_mentions(text) if m.cls == "Industry"]


def test_industry_head_right_after_deng_makes_an_industry_list():
    assert industries("项目涵盖星际材料、深海装备等领域。") == ["星际材料", "深海装备"]


def test_numbered_industry_head():
    assert industries("园区重点在甲类材料、乙类光电和丙类制造等三大新兴产业布局。") == [
        "甲类材料",
        "乙类光电",
        "丙类制造",
    ]


def test_industry_chain_project_is_not_an_industry_list():
    text = "配套引进了北辰、云帆等一批产业链项目。"
    assert industries(text) == [] and companies(text) == ["北辰", "云帆"]


def test_conjunction_inside_a_long_item_is_part_of_it():
    text = "引进甲乙科技智能雷达研发及生产基地、丙丁半导体材料研发及运营总部等项目。"
    assert "生产基地" not in companies(text) and "运营总部" not in companies(text)


def test_two_character_industry_needs_a_list_or_field_word():
    assert industries("星河激光显示亮相赛场。") == []
    assert "激光" in industries("园区聚焦激光、芯片等产业。")


def test_items_of_a_list_of_industries_are_industries():
    from kg.extraction.mentions import find_mentions

    text = "星河赛事设有量子科技、未来网络、大数据、云计算、智慧运维、集成电路等组别。"
    found = {m.text for m in find_mentions(text) if m.cls == "Industry"}
    assert {"未来网络", "智慧运维"} <= found


def test_a_list_of_companies_lends_no_industry():
    from kg.extraction.mentions import find_mentions

    text = "园区集聚了甲乙科技、丙丁电子、戊己智能、庚辛医药等企业。"
    assert [m.text for m in find_mentions(text) if m.cls == "Industry"] == []


def test_firms_of_listed_fields_make_the_items_industries():
    from kg.extraction.extract import extract
    from kg.records import Document

    text = "该产业园重点引进和孵化创意设计、智能终端应用技术、软件应用技术等企业入驻。"
    ex = extract(Document("t", "星河科技产业园位于云溪市。" + text))
    assert {m.text for m in ex.mentions if m.cls == "Industry"} >= {"创意设计", "软件应用技术"}
    assert not [m for m in ex.mentions if m.cls == "Company"]


def test_brands_in_a_firm_list_stay_companies():
    from kg.extraction.mentions import find_mentions

    found = {(m.text, m.cls) for m in find_mentions("支持星河实验室与甲乙触媒、通用技术、丙丁轴承等重点企业合作。")}
    assert ("通用技术", "Company") in found and ("甲乙触媒", "Company") in found


def test_a_list_chunk_starts_after_a_verb_inside_it():
    from kg.extraction.mentions import find_mentions

    text = "要有序、分阶段推动生物技术、新能源、新材料等产业发展。"
    found = [m.text for m in find_mentions(text) if m.cls == "Industry"]
    assert "生物技术" in found and not [t for t in found if "推动" in t]
