"""Mention detection: each rule on a short invented text, read as a Chinese reader would."""

from pathlib import Path

import pytest

from kg.extraction.mentions import find_candidates, find_mentions, tokenize
from kg.reading.read import read_file

SEED = Path(__file__).resolve().parents[2] / "data" / "seed" / "000_db9541ef606ed3d2.txt"


def spans(text):
    """(surface, class, kind) of every selected mention."""
    return [(m.text, m.cls, m.kind) for m in find_mentions(text)]


def names(text, cls=None):
    return [m.text for m in find_mentions(text) if m.kind == "name" and (cls is None or m.cls == cls)]


def one(text, surface):
    (m,) = [m for m in find_mentions(text) if m.text == surface]
    return m


# --- offsets -----------------------------------------------------------------------------

TEXTS = [
    "2019年，云溪高新区与星河大学共建星河研究院。该研究院聚焦新材料、生物医药等产业。",
    "青禾新材料科技有限公司（以下简称“青禾新材”）落户云溪高新区。青禾新材去年营收增长三成。",
    "星河孵化器孵化出甲乙科技、丙丁智能、戊己新能源等30多家企业。",
    "云溪高新区党工委副书记、管委会常务副主任王建国在“星火燎原”计划发布会上致辞。",
    "江苏溧阳高新技术产业开发区 位于溧阳市，园区内有青禾(云溪)新材料有限公司。\n\n记者 李明华",
    "",
    "。。。",
]


@pytest.mark.parametrize("text", TEXTS)
def test_offsets_index_the_text(text):
    for m in find_candidates(text) + find_mentions(text):
        assert text[m.start : m.end] == m.text, m
        assert 0 <= m.start < m.end <= len(text)


def test_tokens_cover_the_text():
    text = TEXTS[1]
    toks = tokenize(text)
    assert "".join(t.text for t in toks) == text
    assert all(text[t.start : t.end] == t.text for t in toks)


def test_offsets_on_the_sample_page():
    raw = SEED.read_text(encoding="utf-8")
    docs = read_file(SEED)
    assert len(docs) > 1
    n = 0
    for text in [raw] + [d.text for d in docs]:
        for m in find_candidates(text):
            assert text[m.start : m.end] == m.text, m
            n += 1
    assert n > 100


def test_mentions_come_in_text_order():
    ms = find_mentions(TEXTS[0])
    assert [m.start for m in ms] == sorted(m.start for m in ms)


# --- names from their heads -------------------------------------------------------------


def test_suffix_names_of_each_kind():
    text = "星河研究院与青禾新材料科技有限公司签约，项目落户云溪科技产业园，云溪高新区管委会到场祝贺。"
    got = {(m.text, m.cls) for m in find_mentions(text) if m.kind == "name"}
    assert ("星河研究院", "ResearchInstitute") in got
    assert ("青禾新材料科技有限公司", "Company") in got
    assert ("云溪科技产业园", "Park") in got
    assert ("云溪高新区管委会", "GovernmentBody") in got


def test_zone_is_part_of_its_own_government_body():
    text = "云溪高新区科技局发布通知。"
    m = one(text, "云溪高新区科技局")
    assert m.cls == "GovernmentBody"
    # the zone stays available inside it (for partOf)
    assert ("云溪高新区", "Zone") in [(m.text, m.cls) for m in find_mentions(text)]
    assert "科技局" not in names(text)


@pytest.mark.xfail(
    reason="jieba tags 测试 as a verb (vn) and _strip_leading drops it: the body becomes 高新区科技局", strict=True
)
def test_zone_whose_name_opens_with_a_verb_like_word_is_kept_in_its_body():
    assert one("测试高新区科技局发布通知。", "测试高新区科技局").cls == "GovernmentBody"


def test_zone_is_not_absorbed_by_a_park():
    text = "清远高新区百慕科创园正式开园。"
    assert ("百慕科创园", "Park", "name") in spans(text)
    assert ("清远高新区", "Zone", "name") in spans(text)
    assert "清远高新区百慕科创园" not in names(text)


def test_zone_is_not_absorbed_by_a_park_invented_names():
    text = "云溪高新区星河科创园正式开园。"
    assert ("星河科创园", "Park", "name") in spans(text)
    assert ("云溪高新区", "Zone", "name") in spans(text)


def test_bracket_group_inside_a_company_name():
    text = "青禾(云溪)新材料有限公司落户园区。"
    assert names(text, "Company") == ["青禾(云溪)新材料有限公司"]
    text = "青禾（云溪）新材料有限公司落户园区。"
    assert names(text, "Company") == ["青禾（云溪）新材料有限公司"]


def test_bracket_group_company_with_keji_fazhan():  # 发展 is a boundary word, but ends company names
    text = "青禾(云溪)科技发展有限公司成立于2020年。"
    assert names(text, "Company") == ["青禾(云溪)科技发展有限公司"]


def test_generic_heads_are_not_names():
    text = "云溪高新区打造了科创平台和标杆孵化器。"
    assert names(text, "Platform") == []
    assert names(text, "Incubator") == []
    assert names(text, "Zone") == ["云溪高新区"]


def test_specific_head_is_a_name():
    assert names("星河孵化器今年新入驻十家企业。", "Incubator") == ["星河孵化器"]


def test_description_of_a_zone_is_not_a_zone_name():
    # 省级高新区 says what kind of zone it is, it does not name one
    assert names("云溪高新区是省级高新区。", "Zone") == ["云溪高新区"]


def test_newly_built_incubator_is_not_a_name():  # jieba tags 新建 as a place (南昌市新建区)
    assert names("云溪高新区新建孵化器一座。", "Incubator") == []


# --- persons after titles -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, person",
    [
        ("云溪高新区管委会主任王建国表示，今年将新增企业百家。", "王建国"),
        ("星河研究院院长李明华介绍，该院已孵化企业20家。", "李明华"),
        ("青禾新材料科技有限公司董事长张伟在会上发言。", "张伟"),
        ("云溪高新区科技局副局长王建国介绍。", "王建国"),
    ],
)
def test_person_after_a_title(text, person):
    assert names(text, "Person") == [person]
    m = one(text, person)
    assert m.rule.startswith("title:")


def test_title_chain_person():
    text = "云溪高新区党工委副书记、管委会常务副主任王建国出席。"
    assert names(text, "Person") == ["王建国"]


def test_no_person_without_a_title():
    assert names("王建国表示，园区将加快发展。", "Person") == []


def test_person_after_bureau_chief():
    text = "云溪高新区科技局局长王建国表示。"
    assert names(text, "Person") == ["王建国"]
    assert "云溪高新区科技局" in names(text, "GovernmentBody")


@pytest.mark.xfail(reason="compound surnames: jieba cuts 欧阳明|辉 and the name is taken as 欧阳明", strict=True)
def test_person_with_compound_surname():
    assert names("青禾新材料科技有限公司董事长欧阳明辉介绍。", "Person") == ["欧阳明辉"]


# --- lists whose head noun gives the class --------------------------------------------------


def test_list_of_companies():
    text = "星河孵化器孵化出甲乙科技、丙丁智能、戊己新能源等30多家企业。"
    companies = [m for m in find_mentions(text) if m.cls == "Company"]
    assert [m.text for m in companies] == ["甲乙科技", "丙丁智能", "戊己新能源"]
    assert all(m.rule.startswith("list:") for m in companies)


def test_list_of_universities():
    text = "园区与星河理工、青禾师范等高校开展合作。"
    assert names(text, "University") == ["星河理工", "青禾师范"]


# --- quoted awards and programmes -----------------------------------------------------------


def test_quoted_programme():
    text = "云溪高新区管委会发布了“星火燎原”计划。"
    (prog,) = [m for m in find_mentions(text) if m.cls == "Program"]
    assert "星火燎原" in prog.text and prog.text.endswith("计划")


def test_quoted_award_after_ruxuan():
    text = "青禾新材料科技有限公司入选“云溪市瞪羚企业”榜单。"
    (award,) = [m for m in find_mentions(text) if m.cls == "Award"]
    assert "云溪市瞪羚企业" in award.text


def test_quote_that_is_neither_award_nor_programme():
    text = "王建国说“创新是第一动力”。"
    assert not [m for m in find_mentions(text) if m.cls in ("Award", "Program")]


# --- anaphors and defined short names ---------------------------------------------------------


def test_kind_anaphor():
    text = "云溪高新区与星河大学共建星河研究院。该研究院聚焦新材料。"
    m = one(text, "该研究院")
    assert (m.cls, m.kind) == ("ResearchInstitute", "anaphor")
    assert m.key == ""  # the resolver decides what it points to


def test_bare_yuanqu_is_an_anaphor():
    text = "云溪高新区今年新增企业百家。园区将加快发展。"
    m = one(text, "园区")
    assert (m.cls, m.kind) == ("Zone", "anaphor")


def test_defined_alias():
    text = "青禾新材料科技有限公司（以下简称青禾新材）落户云溪高新区。"
    m = one(text, "青禾新材")
    assert m.kind == "alias"
    assert ("青禾新材料科技有限公司", "Company", "name") in spans(text)


def test_defined_alias_in_quotes():
    text = "星河智能科技有限公司(以下简称“星河智能”)成立于2015年。"
    m = one(text, "星河智能")
    assert m.kind == "alias"


# --- reference lists and regions -------------------------------------------------------------


def test_reference_zone_and_its_place():
    text = "济南高新区聚焦软件和信息技术服务业。"
    m = one(text, "济南高新区")
    assert (m.cls, m.key, m.rule) == ("Zone", "济南高新区", "lexicon:reference")
    assert ("济南", "AdminRegion", "name") in spans(text)


def test_zone_name_with_province_and_city():
    text = "江苏溧阳高新区位于溧阳市。"
    got = spans(text)
    assert ("江苏溧阳高新区", "Zone", "name") in got
    assert ("江苏", "AdminRegion", "name") in got
    assert ("溧阳", "AdminRegion", "name") in got
    assert ("溧阳市", "AdminRegion", "name") in got


def test_cas_institute_from_reference_list():
    text = "2017年，溧阳高新区与中国科学院物理研究所共建研究院。"
    m = one(text, "中国科学院物理研究所")
    assert m.cls == "ResearchInstitute" and m.key == "中国科学院物理研究所"


# --- places before names, function words before heads ----------------------------------------


def test_city_before_a_park_that_opens_with_its_province_is_not_part_of_the_name():
    text = "常州市江苏星河科技产业园新签项目十个。"
    assert "江苏星河科技产业园" in names(text, "Park")
    assert "常州市" not in "".join(names(text, "Park"))


def test_region_inside_a_park_name_is_kept_for_locatedin():
    text = "无锡星河集成电路设计产业园正式开园。"
    ms = find_mentions(text)
    assert ("无锡", "AdminRegion") in [(m.text, m.cls) for m in ms]


def test_zhe_shi_does_not_glue_shi_to_a_zone():
    assert names("这是云溪高新区的亮点。", "Zone") == ["云溪高新区"]


def test_bare_head_after_a_preposition_is_an_anaphor():
    text = "星河研究院成立三年。园区通过研究院孵化出甲乙科技、丙丁智能等企业。"
    assert ("研究院", "ResearchInstitute", "anaphor") in spans(text)


def test_party_secretary_title_inside_one_word():
    assert names("星河大学党委书记姜明远出席。", "Person") == ["姜明远"]


@pytest.mark.parametrize(
    "text, name",
    [
        ("星河光谷今年引进项目二十个。", "星河光谷"),
        ("云溪国际生物城集中签约十个项目。", "云溪国际生物城"),
        ("青禾综合产业协作示范园项目落户。", "青禾综合产业协作示范园"),
        ("星河科创大走廊建设提速。", "星河科创大走廊"),
    ],
)
def test_innovation_district_heads(text, name):
    assert name in names(text, "Park")


@pytest.mark.parametrize(
    "text, name",
    [
        ("另据甲乙纺织有限公司总经理王建国介绍,项目进展顺利。", "甲乙纺织有限公司"),  # 另 | 据 | 甲乙: split twice
        ("园区成功布局星河高端精密产业园等项目。", "星河高端精密产业园"),  # 布局 introduces a name
        ("15日获科技部认定。", "科技部"),  # 日获 is split
        ("锂电池生产厂商星河电池公司投资建设新基地。", "星河电池公司"),  # 厂商 before a name
    ],
)
def test_left_edge_stops_at_glued_words_and_company_nouns(text, name):
    assert name in names(text)


def test_lianhe_inside_a_name_but_not_after_a_verb():
    assert "星河企业联合创新中心" in names("园区举行星河企业联合创新中心启用仪式。")
    assert names("甲乙公司与园区共建联合研发中心。", "Platform") == []


def test_a_name_ending_in_a_lead_only_character_keeps_it():
    assert "王建成" in names("星河市市长王建成出席。", "Person")  # 成 is split off the start of a word only


@pytest.mark.parametrize(
    "text, person",
    [("星河大学教授阿利耶·瓦谢尔来到现场。", "阿利耶·瓦谢尔"), ("院士约翰•史密斯教授发表演讲。", "约翰•史密斯")],
)
def test_transliterated_names_after_titles(text, person):
    assert person in names(text, "Person")


def test_a_named_item_of_a_list_reaches_back_to_its_separator():
    text = "包括超快科学中心、星河诊疗和医学影像科学中心、甲乙材料联合创新平台等。"
    found = names(text)
    assert "星河诊疗和医学影像科学中心" in found and "甲乙材料联合创新平台" in found


def test_a_list_item_does_not_reach_over_a_verb():
    text = "园区发展良好、积极推动星河科学中心、甲乙研究院等建设。"
    assert "星河科学中心" in names(text)


def test_a_generic_looking_name_with_a_latin_alias_is_a_name():
    assert "国际科技园" in names("园区已建成国际科技园(XHPARK)等载体。", "Park")
    assert "国际科技园" not in names("园区将建成国际科技园。", "Park")


def test_a_list_item_does_not_reach_over_de_or_a_count():
    text = "园区建有动力电池中心、世界一流的氢能创新中心、5家省级以上企业研究院等载体。"
    found = names(text)
    assert "世界一流的氢能创新中心" not in found and "5家省级以上企业研究院" not in found


def test_a_character_jieba_cut_off_an_unknown_name_belongs_to_it():
    # jieba: 的 | 松 | 湖智谷 | 科技园 (松 tagged as a verb)
    assert "松湖智谷科技园" in names("云溪镇的松湖智谷科技园开园。", "Park")


def test_company_names_end_with_development_or_investment():
    assert names("甲乙(云溪)投资建设有限公司成立于2020年。", "Company") == ["甲乙(云溪)投资建设有限公司"]
    assert names("推动星河新兴产业战略发展平台建设。", "Platform") == []


@pytest.mark.parametrize(
    "text, body",
    [
        ("云溪市政协副主席李建华出席。", "云溪市政协"),
        ("深圳对口帮扶河源指挥部总指挥王建国率队。", "深圳对口帮扶河源指挥部"),
        ("与中国星河调查局共建平台。", "中国星河调查局"),
    ],
)
def test_more_government_heads(text, body):
    assert body in names(text, "GovernmentBody")


def test_a_quoted_word_right_before_an_incubator_head_is_in_its_name():
    assert "“星河点”众创空间" in names("甲乙孵化基地、“星河点”众创空间被认定为国家级众创空间。", "Incubator")


@pytest.mark.parametrize(
    "text, description",
    [
        ("该校是一所创新型大学。", "创新型大学"),
        ("园区建成综合类孵化器一座。", "综合类孵化器"),
        ("作为内陆高新区,发展迅速。", "内陆高新区"),
    ],
)
def test_kinds_and_qualities_make_no_name(text, description):
    assert description not in names(text)


def test_a_quoted_programme_name():
    assert names("引驻国家“星河计划”人才16人。", "Program") == ["星河计划"]
    assert names("重点发展“医药制造、生物工程”两大产业。", "Program") == []
