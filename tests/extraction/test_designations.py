"""Graded titles without quotes (kg/extraction/designations.py)."""

from kg.extraction.extract import extract
from kg.extraction.mentions import find_mentions
from kg.records import Document


def awards(text):
    return [m.text for m in find_mentions(text) if m.cls == "Award"]


def test_graded_titles_after_a_verb_of_awarding_and_their_list():
    assert awards("星河孵化器被认定为国家级科技企业孵化器、省级众创空间。") == ["国家级科技企业孵化器", "省级众创空间"]


def test_a_title_without_grade_or_verb_is_no_award():
    assert awards("星河孵化器是一家科技企业孵化器。") == []
    assert awards("园区认定为重点项目。") == []


def test_the_holder_receives_the_title():
    ex = extract(Document("t", "星河科技产业园获认定为国家级科技企业孵化器培育单位。"))
    assert ("星河科技产业园", "receivedAward", "国家级科技企业孵化器培育单位") in {
        (a.subject, a.property, a.object) for a in ex.assertions
    }


def events(text):
    return [m.text for m in find_mentions(text) if m.cls == "Event"]


def test_event_named_by_a_phrase_from_its_opener_to_its_head():
    assert events("5月30日,云溪经开区科技创新发展大会召开。") == ["云溪经开区科技创新发展大会"]
    assert events("在星河数字经济与低空飞行发展研讨会上,专家表示。") == ["星河数字经济与低空飞行发展研讨会"]


def test_numbered_edition_and_generic_events():
    assert events("第二十三届星洽会在兰州举行。") == ["第二十三届星洽会"]
    assert events("园区举办各类学术论坛。") == []


def test_an_event_after_cong():
    assert events("记者从云溪经开区科技创新发展大会获悉。") == ["云溪经开区科技创新发展大会"]
