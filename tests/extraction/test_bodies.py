"""Sibling bodies in title chains (kg/extraction/bodies.py)."""

from kg.extraction.extract import extract
from kg.records import Document


def works_for(text):
    return {(a.subject, a.object, a.role) for a in extract(Document("t", text)).assertions if a.property == "worksFor"}


def test_bare_committee_after_a_titled_body_is_the_same_owners():
    assert works_for("星河园区党工委副书记、管委会主任王建国表示。") == {
        ("王建国", "星河园区党工委", "副书记"),
        ("王建国", "星河园区管委会", "主任"),
    }


def test_without_a_comma_and_in_the_other_order():
    assert works_for("云溪高新区管委会主任党工委委员李建华出席。") == {
        ("李建华", "云溪高新区管委会", "主任"),
        ("李建华", "云溪高新区党工委", "委员"),
    }


def test_a_bare_committee_elsewhere_gets_no_owner():
    ex = extract(Document("t", "星河园区党工委召开会议。管委会主任王建国出席。"))
    assert "星河园区管委会" not in {e.key for e in ex.entities}
