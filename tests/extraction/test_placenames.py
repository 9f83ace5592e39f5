"""Parks named by a place and a valley word (kg/extraction/placenames.py)."""

from kg.extraction.extract import extract
from kg.extraction.mentions import find_mentions
from kg.records import Document


def parks(text):
    return [(m.text, m.key) for m in find_mentions(text) if m.cls == "Park"]


def test_place_and_unknown_valley_word_is_a_park():
    assert parks("青岛乙谷正加快建设。") == [("青岛乙谷", "青岛乙谷")]


def test_listed_valley_heads_count_though_jieba_knows_them():
    assert parks("武汉光谷新增企业三千家。") == [("武汉光谷", "武汉光谷")]


def test_landforms_are_not_parks():
    assert parks("青岛山谷风景优美,武汉低谷时期已过。") == []


def test_bare_valley_word_later_is_the_same_park():
    ex = extract(Document("t", "青岛甲谷新签约项目十个。截至目前,甲谷已引进星河科技有限公司等企业。"))
    keys = {m.key for m in ex.mentions if m.cls == "Park"}
    assert keys == {"青岛甲谷"}
    assert ("青岛甲谷", "hosts", "星河科技有限公司") in {(a.subject, a.property, a.object) for a in ex.assertions}


def test_a_valley_word_without_a_place_is_not_a_park():
    assert parks("甲谷已引进企业十家。") == []


def test_a_zone_area_is_a_park_part_of_the_zone():
    ex = extract(Document("t", "签约仪式在云溪高新区甲滩园区举行。"))
    triples = {(a.subject, a.property, a.object) for a in ex.assertions}
    assert ("云溪高新区甲滩园区", "partOf", "云溪高新区") in triples


def test_a_generic_word_before_yuanqu_is_no_area():
    assert parks("云溪高新区科技园区建设加快。") == []
