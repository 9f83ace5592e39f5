"""Extraction of one article, end to end."""

from extraction_checks import check_invariants, triples

from kg.extraction.extract import extract, split_levels
from kg.records import Document, Mention

SENTENCE = "2020年，青禾新材料有限公司落户云溪高新区，聚焦新能源。"


def test_end_to_end_on_one_sentence():
    ex = extract(Document("d1", SENTENCE))
    assert ex.doc.id == "d1"
    assert triples(ex) == {("云溪高新区", "hosts", "青禾新材料有限公司"), ("青禾新材料有限公司", "focusesOn", "新能源")}
    assert {(e.key, e.cls) for e in ex.entities} == {
        ("青禾新材料有限公司", "Company"),
        ("云溪高新区", "Zone"),
        ("新能源", "Industry"),
    }
    check_invariants(ex)


def test_evidence_rule_confidence_and_date():
    ex = extract(Document("d1", SENTENCE))
    for a in ex.assertions:
        assert a.evidence == SENTENCE
        assert (a.start, a.end) == (0, len(SENTENCE))
        assert a.rule.startswith("pattern:")
        assert 0.0 < a.confidence <= 1.0
        assert a.date == "2020"


def test_evidence_is_the_sentence_of_the_fact():
    text = "云溪高新区地处苏南。2021年，星河智能科技有限公司落户云溪高新区。该公司主攻工业机器人。"
    ex = extract(Document("d2", text))
    a = next(
        a for a in ex.assertions if (a.subject, a.property, a.object) == ("云溪高新区", "hosts", "星河智能科技有限公司")
    )
    assert a.evidence == "2021年，星河智能科技有限公司落户云溪高新区。"
    assert text[a.start : a.end] == a.evidence
    assert a.date == "2021"
    check_invariants(ex)


def test_no_date_without_a_year():
    ex = extract(Document("d3", "青禾新材料有限公司落户云溪高新区，总投资2020万元。"))
    (a,) = [a for a in ex.assertions if a.property == "hosts"]
    assert a.date == ""  # 2020万元 is money, not a year


def test_year_of_another_sentence_does_not_date_the_fact():
    text = "星河研究院成立于2018年。该研究院聚焦新材料。"
    ex = extract(Document("d4", text))
    a = next(a for a in ex.assertions if (a.subject, a.property, a.object) == ("星河研究院", "focusesOn", "新材料"))
    assert a.evidence == "该研究院聚焦新材料。"
    assert a.date == ""


def test_anaphor_subject_is_resolved_in_assertions():
    text = "2019年，云溪高新区与星河大学共建星河研究院。该研究院聚焦新材料、生物医药等产业。"
    ex = extract(Document("d5", text))
    t = triples(ex)
    assert {
        ("星河研究院", "focusesOn", "新材料"),
        ("星河研究院", "focusesOn", "生物医药"),
        ("星河研究院", "establishedBy", "云溪高新区"),
        ("星河研究院", "establishedBy", "星河大学"),
    } <= t
    assert not any("该研究院" in x for tr in t for x in tr)
    check_invariants(ex)


def test_invariants_on_a_longer_article():
    text = (
        "云溪高新区举办科技创新大会\n\n"
        "2022年，江苏云溪高新区管委会发布了“星火燎原”计划。云溪高新区党工委副书记、管委会常务副主任王建国介绍，"
        "星河孵化器已孵化出甲乙科技、丙丁智能、戊己新能源等30多家企业。青禾新材料科技有限公司（以下简称青禾新材）"
        "入选“江苏省专精特新企业”。青禾新材聚焦新材料和新能源。园区将继续优化营商环境。"
    )
    ex = extract(Document("d6", text))
    check_invariants(ex)
    assert ex.assertions
    t = triples(ex)
    assert ("甲乙科技", "incubatedBy", "星河孵化器") in t
    assert ("青禾新材料科技有限公司", "focusesOn", "新材料") in t
    assert ("王建国", "worksFor", "云溪高新区管委会") in t


def test_empty_document():
    ex = extract(Document("d0", ""))
    assert (ex.mentions, ex.entities, ex.assertions) == ([], [], [])


def test_split_levels_separates_nested_mentions():
    outer = Mention(0, 8, "云溪高新区科技局", "GovernmentBody", "r")
    zone = Mention(0, 5, "云溪高新区", "Zone", "r")
    after = Mention(10, 13, "王建国", "Person", "r")
    top, inner = split_levels([after, zone, outer])
    assert top == [outer, after]
    assert inner == [zone]
