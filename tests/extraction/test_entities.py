"""kg.extraction.entities: one entity per key over all articles: the first label, the majority class,
the union of aliases, the first value of each fact."""

from kg.extraction.entities import merge_entities
from kg.records import Document, Entity, Extraction


def ex(doc_id, *entities):
    return Extraction(Document(doc_id, ""), list(entities), [], [])


def test_merge_entities_majority_class_and_union_of_aliases():
    merged = merge_entities(
        [
            ex("a", Entity("星河", "Company", "星河", {"星河公司"})),
            ex("b", Entity("星河", "Company", "星河", {"星河集团"})),
            ex("c", Entity("星河", "ResearchInstitute", "星河", {"星河院"}, {"officialName": "星河研究院"})),
            ex("d", Entity("云溪高新区", "Zone", "云溪高新区")),
        ]
    )
    assert set(merged) == {"星河", "云溪高新区"}
    e = merged["星河"]
    assert e.cls == "Company"
    assert e.aliases == {"星河公司", "星河集团", "星河院"}
    assert e.facts == {"officialName": "星河研究院"}
    assert merged["云溪高新区"].cls == "Zone"


def test_merge_entities_majority_even_when_the_first_article_disagrees():
    merged = merge_entities(
        [
            ex("a", Entity("星河", "ResearchInstitute", "星河")),
            ex("b", Entity("星河", "Company", "星河")),
            ex("c", Entity("星河", "Company", "星河")),
        ]
    )
    assert merged["星河"].cls == "Company"


def test_merge_entities_keeps_the_first_value_of_a_fact():
    merged = merge_entities(
        [
            ex("a", Entity("济南高新区", "Zone", "济南高新区", facts={"province": "山东省"})),
            ex("b", Entity("济南高新区", "Zone", "济南高新区", facts={"province": "山东", "city": "济南市"})),
        ]
    )
    assert merged["济南高新区"].facts == {"province": "山东省", "city": "济南市"}


def test_merge_entities_does_not_change_the_inputs():
    first = Entity("星河", "Company", "星河", {"星河公司"})
    merge_entities([ex("a", first), ex("b", Entity("星河", "Company", "星河", {"星河集团"}))])
    assert first.aliases == {"星河公司"}
