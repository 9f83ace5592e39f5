"""Traditional-character articles: conversion that keeps offsets, and extraction quoting the original."""

from extraction_checks import check_invariants, triples
from rdflib.namespace import SKOS

from kg.extraction.entities import merge_entities
from kg.extraction.extract import extract, in_original, simplified
from kg.rdf.dataset import to_dataset
from kg.reading.script import aligned, changed_share, is_traditional, to_simplified
from kg.records import Document, Entity, Extraction, Mention

TRAD = "2021年,青禾新材料有限公司落戶雲溪高新區,聚焦新能源與環保裝備。"
SIMP = "2021年,青禾新材料有限公司落户云溪高新区,聚焦新能源与环保装备。"
TRAD_ARTICLE = (
    "雲溪高新區位於江蘇北部。據介紹,星河電子科技有限公司落戶雲溪高新區,"
    "主要從事集成電路設計。該公司總經理張曉華表示,將擴大產能。"
)


# ---- conversion -------------------------------------------------------------


def test_conversion_keeps_length_position_by_position():
    for text in (TRAD, TRAD_ARTICLE, "乾坤未定,瞭解後再說。", "蘇錫通園區管委會", ""):
        out = to_simplified(text)
        assert len(out) == len(text)
        for t, s in zip(text, out):  # punctuation, digits, latin stay in place
            if not ("\u4e00" <= t <= "\u9fff"):
                assert t == s
    assert to_simplified(TRAD) == SIMP


def test_phrases_are_converted_as_phrases():
    assert to_simplified("瞭解") == "了解"  # 瞭 alone stays 瞭
    assert to_simplified("乾坤") == "乾坤"  # 乾 alone becomes 干
    assert to_simplified("乾燥") == "干燥"


def test_simplified_text_is_left_as_it_is():
    assert to_simplified(SIMP) == SIMP
    assert to_simplified("显著成效,著作权") == "显著成效,著作权"


def test_stretch_whose_length_changes_falls_back_to_characters():
    def shrinking(s):  # a phrase rule that drops a character
        return s.replace("AB", "X").lower()

    out = aligned("AB CD,ABAB。EF", shrinking)
    assert out == "ab cd,abab。ef"
    assert len(out) == len("AB CD,ABAB。EF")


def test_fallback_keeps_characters_whose_own_conversion_changes_length():
    def odd(s):
        return "".join("xy" if ch == "Q" else ch.lower() for ch in s)

    assert aligned("PQR,ST", odd) == "pQr,st"


def test_conversion_kept_when_its_length_is_right():
    assert aligned("AB,CD", str.lower) == "ab,cd"


def test_is_traditional():
    assert is_traditional(TRAD)
    assert is_traditional(TRAD_ARTICLE)
    assert not is_traditional(SIMP)
    assert not is_traditional("")
    assert not is_traditional("2021, ABC")
    # one traditional name quoted in a long simplified text is not enough
    quoted = "云溪高新区" * 30 + "臺"
    assert to_simplified(quoted) != quoted
    assert not is_traditional(quoted)
    assert changed_share(TRAD, to_simplified(TRAD)) > 0.2


def test_simplified_document_is_the_same_object():
    doc = Document("s", SIMP)
    assert simplified(doc) is doc
    trad = Document("t", TRAD, source="a.md", title="標題", url="u", date="2021-01-01")
    s = simplified(trad)
    assert s.text == SIMP
    assert (s.id, s.source, s.title, s.url, s.date) == ("t", "a.md", "標題", "u", "2021-01-01")


# ---- extraction of a traditional article ------------------------------------


def test_traditional_sentence_gives_the_triples_of_its_simplified_twin():
    trad, simp = extract(Document("t", TRAD)), extract(Document("s", SIMP))
    assert triples(simp)  # the twin does find something
    assert triples(trad) == triples(simp)
    assert {(e.key, e.cls) for e in trad.entities} == {(e.key, e.cls) for e in simp.entities}
    assert [(m.start, m.end, m.key, m.cls) for m in trad.mentions] == [
        (m.start, m.end, m.key, m.cls) for m in simp.mentions
    ]


def test_offsets_and_evidence_point_into_the_original():
    doc = Document("t", TRAD_ARTICLE)
    ex = extract(doc)
    assert ex.doc is doc
    assert ex.mentions and ex.assertions
    check_invariants(ex)
    assert any(m.text == "雲溪高新區" for m in ex.mentions)
    for a in ex.assertions:
        assert a.evidence in TRAD_ARTICLE
        assert a.evidence != to_simplified(a.evidence)  # quoted as written, not converted


def test_entities_keep_simplified_labels_and_gain_traditional_aliases():
    ex = extract(Document("t", TRAD))
    zone = next(e for e in ex.entities if e.key == "云溪高新区")
    assert zone.label == "云溪高新区"
    assert "雲溪高新區" in zone.aliases
    assert zone.label not in zone.aliases
    hosts = next(a for a in ex.assertions if a.property == "hosts")
    assert hosts.evidence == TRAD


def test_names_are_spelled_with_the_article_characters():
    original = Document("t", "江蘇省南通市,臺州灣與台州。")
    doc = simplified(original)
    ents = [
        Entity("江苏省", "AdminRegion", "江苏省", {"江苏"}),
        Entity("台州市", "AdminRegion", "台州市", {"台州"}),  # 台 is written 臺 and 台 here
        Entity("南通", "AdminRegion", "南通", {"南通市", "南通县"}),
    ]  # 县 is not in the text
    mention = Mention(0, 3, doc.text[0:3], "AdminRegion", "test", "江苏省")
    ex = in_original(Extraction(doc, ents, [mention], []), original)
    assert ex.doc is original and ex.mentions[0].text == "江蘇省"
    aliases = {e.key: e.aliases for e in ex.entities}
    assert aliases["江苏省"] == {"江苏", "江蘇省", "江蘇"}
    assert aliases["台州市"] == {"台州"}
    assert aliases["南通"] == {"南通市", "南通县"}  # no mixed spelling added
    assert ents[0].aliases == {"江苏"}  # the input entities are not changed


def test_in_original_leaves_a_simplified_extraction_alone():
    doc = Document("s", SIMP)
    ex = extract(doc)
    assert in_original(ex, doc) is ex


def test_traditional_forms_are_alt_labels_in_rdf():
    ex = extract(Document("t", TRAD))
    ds = to_dataset([ex], merge_entities([ex]))
    alt = {str(o) for _, _, o in ds.triples((None, SKOS.altLabel, None))}
    assert "雲溪高新區" in alt
