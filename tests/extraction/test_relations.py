"""Relations: the pattern file, each relation family on a tiny sentence, and the
domain/range filter."""

import pytest

import kg.extraction.patterns as patterns
import kg.extraction.relations as relations
from kg.errors import DataFileError
from kg.extraction.extract import extract, split_levels
from kg.extraction.mentions import find_mentions
from kg.extraction.relations import CLOSE, OPEN, compile_pattern, from_patterns, load_patterns, skeleton, structural
from kg.extraction.resolve import resolve
from kg.extraction.sentences import split_sentences
from kg.records import PROPERTIES, Document, Mention


def found(text):
    """{(subject, property, object): Assertion} of one short article."""
    return {(a.subject, a.property, a.object): a for a in extract(Document("t", text)).assertions}


def of(text, prop):
    return {(s, o) for (s, p, o) in found(text) if p == prop}


def slot(cls, i):
    """The placeholder skeleton() writes for the i-th mention, of class ``cls``."""
    return f"{OPEN}{relations.CODE[cls]}{i}{CLOSE}"


# --- compiling patterns --------------------------------------------------------------------------


def test_compiled_pattern_matches_a_skeleton():
    p = compile_pattern("t", "hosts", 0.9, "位于{s:Zone|Park}的{o:ORG}")
    assert (p.id, p.property, p.confidence) == ("t", "hosts", 0.9)
    assert p.regex.search(f"位于{slot('Zone', 0)}的{slot('Company', 1)}")
    assert p.regex.search(f"位于{slot('Park', 0)}的{slot('ResearchInstitute', 1)}")
    # a person is not an organisation, an industry is not a zone
    assert not p.regex.search(f"位于{slot('Zone', 0)}的{slot('Person', 1)}")
    assert not p.regex.search(f"位于{slot('Industry', 0)}的{slot('Company', 1)}")


def test_plural_slot_takes_a_list():
    p = compile_pattern("t", "focusesOn", 0.8, "{s:ORG}聚焦{o+:Industry}")
    m = p.regex.search(f"{slot('Company', 0)}聚焦{slot('Industry', 1)}、{slot('Industry', 2)}和{slot('Industry', 3)}。")
    assert m.group("o") == f"{slot('Industry', 1)}、{slot('Industry', 2)}和{slot('Industry', 3)}"


def test_role_slot_takes_a_title_chain():
    p = compile_pattern("t", "worksFor", 0.8, "{s:Person}任{o:ORG}{role}")
    m = p.regex.search(f"{slot('Person', 0)}任{slot('GovernmentBody', 1)}常务副主任。")
    assert m.group("role") == "常务副主任"


def test_skeleton_replaces_mentions_by_class_coded_slots():
    text = "位于云溪高新区的青禾新材料科技有限公司成立于2016年。"
    (sent,) = split_sentences(text)
    ms = [Mention(2, 7, "云溪高新区", "Zone", "r"), Mention(8, 19, "青禾新材料科技有限公司", "Company", "r")]
    skel, slots = skeleton(sent, ms)
    assert skel == f"位于{slot('Zone', 0)}的{slot('Company', 1)}成立于2016年。"
    assert slots == ms


def test_shipped_patterns_load():
    ps = load_patterns()
    assert ps
    assert {p.property for p in ps} <= set(PROPERTIES)
    assert all(0 <= p.confidence <= 1 for p in ps)
    assert len({p.id for p in ps}) == len(ps)


# --- a malformed pattern file names file and line --------------------------------------------------


@pytest.fixture
def pattern_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(patterns, "DATA", tmp_path)
    load_patterns.cache_clear()
    yield tmp_path
    load_patterns.cache_clear()  # never leave a pattern set from tmp_path in the cache


GOOD = "hosts.t\thosts\t0.9\t位于{s:Zone|Park}的{o:ORG}\n"


@pytest.mark.parametrize(
    "bad, why",
    [
        ("hosts.x\thosts\t位于{s:Zone}的{o:ORG}\n", "columns"),  # 3 columns
        ("hosts.x\tsits\t0.9\t位于{s:Zone}的{o:ORG}\n", "sits"),  # unknown property
        ("hosts.x\thosts\t0.9\t位于({s:Zone}的{o:ORG}\n", "pattern"),  # unbalanced bracket
        ("hosts.x\thosts\t0.9\t位于{s:Robot}的{o:ORG}\n", "pattern"),  # unknown class
        ("hosts.x\thosts\thigh\t位于{s:Zone}的{o:ORG}\n", "pattern"),  # confidence is not a number
    ],
)
def test_bad_pattern_line(pattern_dir, bad, why):
    path = pattern_dir / "patterns.tsv"
    path.write_text("# id\tproperty\tconfidence\tpattern\n" + GOOD + "\n" + bad, encoding="utf-8")
    with pytest.raises(DataFileError) as e:
        load_patterns("patterns.tsv")
    assert e.value.path == str(path)
    assert e.value.line == 4
    assert f"{path}:4" in str(e.value)
    assert why in str(e.value)


def test_pattern_file_from_the_data_folder(pattern_dir):
    (pattern_dir / "patterns.tsv").write_text("# c\n\n" + GOOD, encoding="utf-8")
    (p,) = load_patterns("patterns.tsv")
    assert (p.id, p.property, p.confidence) == ("hosts.t", "hosts", 0.9)


# --- one sentence per relation family ----------------------------------------------------------------


def test_hosts_located_at_of():
    got = found("位于云溪高新区的青禾新材料科技有限公司成立于2016年。")
    a = got[("云溪高新区", "hosts", "青禾新材料科技有限公司")]
    assert a.rule == "pattern:hosts.located_at_of"


def test_hosts_settled_in_distributes_over_a_list():
    text = "青禾新材料科技有限公司、星河智能科技有限公司先后落户云溪高新区。"
    assert of(text, "hosts") == {("云溪高新区", "青禾新材料科技有限公司"), ("云溪高新区", "星河智能科技有限公司")}


def test_hosts_attracts():
    text = "云溪高新区引进了青禾新材料科技有限公司、星河智能科技有限公司等企业。"
    assert of(text, "hosts") == {("云溪高新区", "青禾新材料科技有限公司"), ("云溪高新区", "星河智能科技有限公司")}


def test_zone_hosts_the_park_written_after_it():
    got = found("云溪高新区星河科创园正式开园。")
    assert ("云溪高新区", "hosts", "星河科创园") in got


def test_zone_hosts_an_institute_named_after_it():
    got = found("济南高新区星河研究院正式揭牌。")
    assert ("济南高新区", "hosts", "济南高新区星河研究院") in got


def test_established_by_two_co_builders():
    text = "青禾科技有限公司与星河大学共建星河研究院。"
    assert of(text, "establishedBy") == {("星河研究院", "青禾科技有限公司"), ("星河研究院", "星河大学")}
    assert found(text)[("星河研究院", "establishedBy", "星河大学")].rule == "pattern:establishedBy.co_build"


def test_established_by_zone_and_university_with_year():
    text = "2019年，云溪高新区与星河大学共建星河研究院。"
    got = found(text)
    assert {("星河研究院", "云溪高新区"), ("星河研究院", "星河大学")} <= of(text, "establishedBy")
    assert got[("星河研究院", "establishedBy", "星河大学")].date == "2019"


def test_established_by_built_by():
    text = "星河研究院由云溪高新区管委会与星河大学共同打造。"
    assert of(text, "establishedBy") == {("星河研究院", "云溪高新区管委会"), ("星河研究院", "星河大学")}


@pytest.mark.xfail(
    reason="establishedBy.co_build takes exactly two builders ({o}…与{o2}); with a list after 与 nothing is extracted",
    strict=True,
)
def test_established_by_three_co_builders():
    text = "云溪高新区与星河大学、青禾研究院共建星河创新中心。"
    assert of(text, "establishedBy") == {
        ("星河创新中心", "云溪高新区"),
        ("星河创新中心", "星河大学"),
        ("星河创新中心", "青禾研究院"),
    }


def test_incubated_by_distributes_over_a_list():
    text = "星河孵化器孵化出甲乙科技、丙丁智能、戊己新能源等30多家企业。"
    assert of(text, "incubatedBy") == {
        ("甲乙科技", "星河孵化器"),
        ("丙丁智能", "星河孵化器"),
        ("戊己新能源", "星河孵化器"),
    }


def test_focuses_on_distributes_over_a_list():
    text = "青禾新材料科技有限公司聚焦新能源、新材料和生物医药。"
    assert of(text, "focusesOn") == {("青禾新材料科技有限公司", i) for i in ("新能源", "新材料", "生物医药")}


def test_focuses_on_main_industry():
    text = "云溪高新区的主导产业为新能源和新材料。"
    assert of(text, "focusesOn") == {("云溪高新区", "新能源"), ("云溪高新区", "新材料")}


def test_received_award_listed():
    text = "入选“江苏省潜在独角兽企业”的有青禾新材料科技有限公司、星河智能科技有限公司。"
    got = found(text)
    pairs = {(s, o) for (s, p, o) in got if p == "receivedAward"}
    assert {s for s, _ in pairs} == {"青禾新材料科技有限公司", "星河智能科技有限公司"}
    assert len({o for _, o in pairs}) == 1
    assert "江苏省潜在独角兽企业" in next(iter(pairs))[1]
    assert all(got[k].rule == "pattern:receivedAward.listed" for k in got if k[1] == "receivedAward")


def test_received_award_won():
    text = "2020年，星河智能科技有限公司入选“江苏省专精特新企业”。"
    (a,) = [a for a in found(text).values() if a.property == "receivedAward"]
    assert a.subject == "星河智能科技有限公司" and "江苏省专精特新企业" in a.object
    assert a.date == "2020"


def test_launched():
    ex = extract(Document("t", "云溪高新区管委会发布了“星火燎原”计划。"))
    (prog,) = [e for e in ex.entities if e.cls == "Program"]
    assert "星火燎原" in prog.key
    (a,) = [a for a in ex.assertions if a.property == "launched"]
    assert (a.subject, a.object) == ("云溪高新区管委会", prog.key)


def test_works_for_from_a_title_chain():
    text = "云溪高新区党工委副书记、管委会常务副主任王建国出席。"
    got = found(text)
    works = {(a.object, a.role) for a in got.values() if a.property == "worksFor" and a.subject == "王建国"}
    assert works == {("云溪高新区党工委", "副书记"), ("云溪高新区管委会", "常务副主任")}


def test_works_for_adjacent_title():
    a = found("星河研究院院长李明华介绍，该院已孵化企业20家。")[("李明华", "worksFor", "星河研究院")]
    assert a.role == "院长"


def test_works_for_serves_as_with_a_known_person():
    text = "星河研究院院长李明华介绍了情况。2021年，李明华出任青禾研究院院长。"
    a = found(text)[("李明华", "worksFor", "青禾研究院")]
    assert a.role == "院长" and a.date == "2021"


@pytest.mark.xfail(
    reason="persons are only found after a title, so a name before 出任/担任 is never a mention and "
    "worksFor.serves_as / takes_post cannot fire on a first mention",
    strict=True,
)
def test_works_for_serves_as_first_mention():
    a = found("李明华出任星河研究院院长。")[("李明华", "worksFor", "星河研究院")]
    assert a.role == "院长"


@pytest.mark.xfail(
    reason="王建国任云溪高新区管委会主任: jieba's 任云溪 token glues the person and the verb onto the "
    "zone name (Zone 王建国任云溪高新区)",
    strict=True,
)
def test_works_for_ren():
    got = found("王建国任云溪高新区管委会主任。")
    assert ("云溪高新区管委会", "partOf", "云溪高新区") in got
    assert ("王建国", "worksFor", "云溪高新区管委会") in got


def test_located_in_from_the_zone_name():
    got = found("江苏溧阳高新区举办招商推介会。")
    a = got[("溧阳高新区", "locatedIn", "溧阳市")]
    assert a.rule == "name:zone-place"


@pytest.mark.xfail(
    reason="no pattern gives locatedIn from a sentence (patterns.tsv has none); only zone names do", strict=True
)
def test_located_in_from_weiyu():
    got = found("云溪高新区位于江苏省溧阳市。")
    assert ("云溪高新区", "locatedIn", "溧阳市") in got


def test_part_of_from_the_body_name():
    got = found("云溪高新区科技局发布通知。")
    assert got[("云溪高新区科技局", "partOf", "云溪高新区")].rule == "name:zone-unit"


def test_part_of_carrier():
    got = found("星河科技园是云溪高新区的核心区。")
    assert got[("星河科技园", "partOf", "云溪高新区")].rule == "pattern:partOf.carrier"


@pytest.mark.xfail(
    reason="_verb_inside_name keeps 是 inside a name when the word before it is unknown to jieba, "
    "so 星河科创园是云溪高新区 becomes one Zone",
    strict=True,
)
def test_part_of_carrier_after_kechuangyuan():
    got = found("星河科创园是云溪高新区的核心承载区。")
    assert ("星河科创园", "partOf", "云溪高新区") in got


# --- the domain/range filter ---------------------------------------------------------------------------


def _resolved(text):
    ms, _ = resolve(text, find_mentions(text))
    top, inner = split_levels(ms)
    (sent,) = split_sentences(text)
    return sent, top, inner


def test_domain_and_range_filter(monkeypatch):
    # a deliberately loose pattern: any class on both sides of 位于
    loose = compile_pattern("loose", "locatedIn", 0.5, "{s:ANY}位于{o:ANY}")
    monkeypatch.setattr(relations, "load_patterns", lambda name="patterns.tsv": (loose,))
    # an institute in a city: in domain and range
    sent, top, _ = _resolved("星河研究院位于溧阳市。")
    assert [(a.subject, a.object) for a in from_patterns("t", sent, top)] == [("星河研究院", "溧阳市")]
    # locatedIn points at an AdminRegion, not at a zone (that is hosts)
    sent, top, _ = _resolved("星河研究院位于云溪高新区。")
    assert from_patterns("t", sent, top) == []
    # an industry is not located anywhere
    sent, top, _ = _resolved("新能源位于溧阳市。")
    assert from_patterns("t", sent, top) == []


def test_no_relation_of_an_entity_with_itself(monkeypatch):
    loose = compile_pattern("loose", "hosts", 0.5, "{s:ANY}位于{o:ANY}")
    monkeypatch.setattr(relations, "load_patterns", lambda name="patterns.tsv": (loose,))
    sent, top, _ = _resolved("云溪高新区位于云溪高新区。")
    assert len(top) == 2
    assert from_patterns("t", sent, top) == []


def test_structural_relations_only_for_the_sentence_given():
    text = "云溪高新区科技局发布通知。江苏溧阳高新区举办推介会。"
    ms, _ = resolve(text, find_mentions(text))
    top, inner = split_levels(ms)
    first, second = split_sentences(text)
    got1 = {(a.subject, a.property, a.object) for a in structural("t", text, first, top, inner)}
    got2 = {(a.subject, a.property, a.object) for a in structural("t", text, second, top, inner)}
    assert ("云溪高新区科技局", "partOf", "云溪高新区") in got1
    assert ("溧阳高新区", "locatedIn", "溧阳市") in got2
    assert not got1 & got2


def test_park_name_states_where_it_lies():
    assert of("无锡星河集成电路设计产业园正式开园。", "locatedIn") == {("无锡星河集成电路设计产业园", "无锡市")}


def test_place_written_before_a_park():
    assert ("江苏星河科技产业园", "常州市") in of("常州市江苏星河科技产业园新签项目十个。", "locatedIn")


def test_topic_is_the_zone_of_the_title():
    text = (
        "云溪高新区加快建设创新高地\n"
        "记者从星河高新区了解到,星河高新区与云溪高新区合作。云溪高新区引进甲乙科技、丙丁智能等企业。"
        "甲乙科技、丙丁智能发展迅速,聚焦新材料产业。"
    )
    topic = {a.subject for a in extract(Document("t", text)).assertions if a.rule.startswith("discourse:")}
    assert topic <= {"云溪高新区"}


def test_institute_named_after_a_university_is_established_by_it():
    assert ("星河大学青岛研究院", "星河大学") in of("星河大学青岛研究院落户云溪高新区。", "establishedBy")


def test_topic_does_not_host_national_institutions():
    text = "云溪高新区建设创新高地\n云溪高新区与中国星河科学院、星河理工大学合作,甲乙科技等企业落户。"
    hosted = {o for s, o in of(text, "hosts") if s == "云溪高新区"}
    assert "中国星河科学院" not in hosted


def test_topic_does_not_host_provincial_institutions():
    text = "云溪高新区建设创新高地\n云溪高新区与甘肃省星河研究院、青禾研究院合作,甲乙科技等企业落户。"
    hosted = {o for s, o in of(text, "hosts") if s == "云溪高新区"}
    assert "甘肃省星河研究院" not in hosted and "青禾研究院" in hosted


def test_university_science_park_is_not_founded_by_a_university():
    text = "星河纳米技术国家大学科技园开园。"
    assert of(text, "establishedBy") == set()


def test_byline_in_brackets_is_not_part_of_a_name():
    text = "(记者王建国)星河交大张江科学园建设启动。"
    from kg.extraction.mentions import find_mentions

    assert "星河交大张江科学园" in [m.text for m in find_mentions(text)]


def test_settled_in_the_inner_of_two_nested_zones():
    text = "甲乙科技有限公司位于云溪经济技术开发区星河工业园区。"
    hosts = of(text, "hosts")
    assert ("星河工业园区", "甲乙科技有限公司") in hosts
    assert ("云溪经济技术开发区", "星河工业园区") in hosts


def test_topic_focus_needs_the_industry_used_as_one():
    text = (
        "云溪高新区建设创新高地\n"
        "云溪高新区全力打造储能、氢能等产业集群。"
        "云溪高新区举办创业大赛,大赛包括新能源汽车、集成电路。"
    )
    focus = {o for s, o in of(text, "focusesOn") if s == "云溪高新区"}
    assert {"储能", "氢能"} <= focus
    assert not focus & {"新能源汽车", "集成电路"}


def test_focuses_on_led_by():
    text = "星河科技园著力构建以智能装备、电子信息以及现代服务业为主导的产业体系。"
    assert of(text, "focusesOn") == {("星河科技园", i) for i in ("智能装备", "电子信息", "现代服务业")}


def test_focuses_on_leads_in_after_a_comma_only():
    leads = "云溪高新区是国家级开发区,在生物医药、集成电路等领域处于国内领先地位。"
    assert of(leads, "focusesOn") == {("云溪高新区", "生物医药"), ("云溪高新区", "集成电路")}
    borrowed = "云溪高新区借助上海在生物医药、集成电路等方面的优势发展。"
    assert of(borrowed, "focusesOn") == set()


def test_party_working_committee_secretary_works_for_the_committee():
    text = "据星河高新区党工委书记王建国介绍,园区发展良好。"
    assert of(text, "worksFor") == {("王建国", "星河高新区党工委")}
    assert found(text)[("王建国", "worksFor", "星河高新区党工委")].role == "书记"


@pytest.mark.parametrize(
    "text, person, org, role",
    [
        ("甲乙集团王海波董事长称,项目进展顺利。", "王海波", "甲乙集团", "董事长"),
        ("星河科技有限公司王建国总经理表示,订单增长。", "王建国", "星河科技有限公司", "总经理"),
    ],
)
def test_name_between_organisation_and_title(text, person, org, role):
    assert found(text)[(person, "worksFor", org)].role == role


def test_listed_zone_opening_with_its_city_is_located_there():
    # 苏州工业园区 is in the national zone list; its name opens with the city
    assert of("苏州工业园区举行签约活动。", "locatedIn") == {("苏州工业园区", "苏州市")}


def test_city_that_jieba_mistags_still_opens_a_park_name():
    # jieba tags 大连 as an adverb; a prefecture-level city is a place whatever its tag
    assert of("大连星河科学城正式启动。", "locatedIn") == {("大连星河科学城", "大连市")}


def test_focus_without_a_subject_continues_the_park_that_opened_a_sentence_before():
    text = "星河科技产业园位于云溪市。项目总投资5亿元。此外还将围绕新能源、新材料等新兴产业,开展精准招商。"
    assert {("星河科技产业园", "新能源"), ("星河科技产业园", "新材料")} <= of(text, "focusesOn")


def test_a_sentence_with_its_own_subject_is_not_continued():
    text = "星河科技产业园位于云溪市。甲乙科技有限公司围绕新能源开展研发。"
    assert ("星河科技产业园", "新能源") not in of(text, "focusesOn")


def test_a_sentence_pointing_here_is_near_the_topic():
    text = (
        "云溪高新区建设创新高地\n"
        "云溪高新区位于云溪市。园区面积10平方公里。项目进展顺利。项目总投资5亿元。"
        "今年星河大学、青禾大学2所高校在此设立分院。"
    )
    hosted = {o for s, o in of(text, "hosts") if s == "云溪高新区"}
    assert {"星河大学", "青禾大学"} <= hosted


def test_companies_signing_into_the_park_named_before():
    text = "星河集成电路设计产业园揭牌开园,甲乙半导体、丙丁科技等13家企业签约入园。"
    hosted = {o for s, o in of(text, "hosts") if s == "星河集成电路设计产业园"}
    assert {"甲乙半导体", "丙丁科技"} <= hosted


def test_bare_pianqu_refers_to_the_zone_part():
    text = (
        "云溪科创区北仑片区新开工项目\n"
        "云溪科创区北仑片区位于云溪市。项目总投资5亿元。项目进展顺利。"
        "片区推动甲乙汽车总部、丙丁设计总部等项目全面开工。"
    )
    hosted = {o for s, o in of(text, "hosts") if s == "云溪科创区北仑片区"}
    assert {"甲乙汽车总部", "丙丁设计总部"} <= hosted


@pytest.mark.parametrize(
    "text, subject, builders",
    [
        (
            "由云溪市人民政府与星河高新区共同建设的“甲乙科技产业园”项目正式挂牌。",
            "甲乙科技产业园",
            {"云溪市人民政府", "星河高新区"},
        ),
        ("星河科技产业园是中国政府与奥地利政府共同建设的生态园区。", "星河科技产业园", {"中国政府", "奥地利政府"}),
        (
            "星河科技产业园携手中国科学院,共建甲乙先进储能研究院。",
            "甲乙先进储能研究院",
            {"星河科技产业园", "中国科学院"},
        ),
    ],
)
def test_established_by_two_builders(text, subject, builders):
    assert {o for s, o in of(text, "establishedBy") if s == subject} == builders


@pytest.mark.parametrize(
    "text, person, org, role",
    [
        ("甲乙(中国)有限公司高级副总裁王建国说,工厂投入运营。", "王建国", "甲乙(中国)有限公司", "高级副总裁"),
        ("星河创客空间部门负责人黄建华介绍,创客来到这里。", "黄建华", "星河创客空间", "部门负责人"),
    ],
)
def test_graded_titles_and_unit_titles(text, person, org, role):
    assert found(text)[(person, "worksFor", org)].role == role


def test_bare_gongsi_is_the_company_just_named():
    text = "星河(厦门)科技有限公司创办于2019年。公司负责人王建华说,产品供不应求。"
    assert ("王建华", "星河(厦门)科技有限公司") in of(text, "worksFor")


def test_a_park_does_not_attract_a_zone():
    text = "星河科技产业园位于云溪市。该园区计划引进新材料等产业,推动云溪高新区主导产业发展。"
    assert ("星河科技产业园", "云溪高新区") not in of(text, "hosts")
