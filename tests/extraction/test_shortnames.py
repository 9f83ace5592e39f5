"""Short company names from their context (kg/extraction/shortnames.py)."""

from kg.extraction.mentions import find_mentions


def companies(text):
    return [m.text for m in find_mentions(text) if m.cls == "Company" and m.rule.startswith("context:")]


def test_clause_initial_name_before_what_companies_do():
    assert companies("星图量子率先推出新一代芯片;青禾医疗自主研发的设备获批上市。") == ["星图量子", "青禾医疗"]


def test_common_phrase_before_the_verb_is_not_a_company():
    assert companies("园区企业率先复工;科研团队研发的设备获批。") == []


def test_industry_before_the_verb_is_not_a_company():
    assert companies("人工智能率先落地。") == []


def test_after_a_lead_company_noun():
    assert companies("行业龙头企业云溪纽创,将投资建设基地。") == ["云溪纽创"]


def test_offsets_index_the_text():
    text = "据悉;星图量子率先推出芯片。"
    (m,) = [m for m in find_mentions(text) if m.rule.startswith("context:")]
    assert text[m.start : m.end] == m.text


def test_numbered_institutes_of_groups_and_bureaus():
    from kg.extraction.mentions import find_mentions

    text = "星河海洋局一所、甲乙重工725所等项目正加快建设。全所共有职工30人。"
    found = [(m.text, m.cls) for m in find_mentions(text) if m.cls == "ResearchInstitute"]
    assert found == [("星河海洋局一所", "ResearchInstitute"), ("甲乙重工725所", "ResearchInstitute")]
