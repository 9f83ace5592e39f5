from pathlib import Path

import pytest

from kg.errors import DataFileError
from kg.reading.pages import load_bylines, match_byline, split_page

SEED = Path(__file__).resolve().parents[2] / "data" / "seed" / "000_db9541ef606ed3d2.txt"


def split(page):
    articles = split_page(page)
    for a in articles:  # the invariant every test relies on
        assert a.text == "".join(page[s:e] for s, e in a.spans)
        assert all(s < e for s, e in a.spans)
        assert all(e1 < s2 for (_, e1), (s2, _) in zip(a.spans, a.spans[1:]))
    return articles


# --- the sample page ----------------------------------------------------------------


@pytest.fixture(scope="module")
def seed():
    return split(SEED.read_text(encoding="utf-8"))


def test_seed_has_six_articles_with_their_titles(seed):
    assert [a.title for a in seed] == [
        "聚焦主导产业 持续攀高向新 江苏溧阳高新区走出特色产业发展路",
        "济南高新区:深耕“美丽经济” 打造“北方美谷”",
        "园镜头 贵阳高新区发布“白鹭创谷”计划",
        "广东清远高新区 佳鑫科技产业园开园",
        "新疆科技成果(技术)交易中心 在乌鲁木齐高新区(新市区)揭牌",
        "10家国家高新区获评 最佳促进就业城市(高新区)",
    ]


def test_seed_titles_open_the_text(seed):
    for a in seed:
        assert a.text.replace("\n\n", " ").startswith(a.title + " ")
    assert seed[3].text.startswith("广东清远高新区\n\n佳鑫科技产业园开园\n\n12月20日,记者获悉")


def test_seed_continuation_is_moved_to_the_cut_article(seed):
    liyang, jinan = seed[0], seed[1]
    assert "入驻孵化。同时" in liyang.text
    assert "许微宇" in liyang.text
    assert liyang.text.endswith("增添新动能。")
    assert "同时,溧阳高新区还做好" not in jinan.text
    assert "许微宇" not in jinan.text
    assert jinan.text.endswith("年均复合增长率为10.7%。")


def test_seed_adjacent_cut_paragraphs_are_joined(seed):
    assert "重点化品企业的企业家" in seed[1].text


def test_seed_subheadings_stay_inside_their_article(seed):
    assert "早布局,下好特色产业“先手棋”" in seed[0].text
    assert "建平台,孵化更多科创型企业" in seed[0].text
    assert "筹划“第三极”,济南高新区有“美丽梦想”" in seed[1].text


def test_seed_bylines_are_removed(seed):
    for a in seed:
        for word in ("◎", "本报记者", "实习记者", "何星辉", "龙跃梅", "朱彤", "科技日报("):
            assert word not in a.text
    assert "\n\n12月22日,记者从贵州省贵阳高新区获悉" in seed[2].text
    assert "\n\n12月20日,中国(新疆)自由贸易试验区" in seed[4].text


# --- bylines ------------------------------------------------------------------------------


def test_whole_line_byline_starts_an_article_and_is_dropped():
    page = (
        "第一条新闻标题\n\n◎ 本报记者 张小明\n\n甲市高新区举行开园仪式。\n\n"
        "第二条新闻标题\n\n本报记者 李大伟 通讯员 王芳\n\n乙市科技局发布新政策。\n"
    )
    a, b = split(page)
    assert (a.title, a.text) == ("第一条新闻标题", "第一条新闻标题\n\n甲市高新区举行开园仪式。")
    assert (b.title, b.text) == ("第二条新闻标题", "第二条新闻标题\n\n乙市科技局发布新政策。")


@pytest.mark.parametrize(
    "prefix",
    [
        "科技日报(记者张三)",
        "科技日报（通讯员李四 王五 记者赵六）",
        "科技日报(刘七 实习记者孙八)",
        "本报讯(记者 周九)",
        "本报讯（记者 周九 通讯员 吴十）",
        "新华社北京12月1日电(记者 郑一)",
        "新华社北京12月1日电 ",
        "本报北京3月5日电（记者 钱二）",
        "江海日报讯 ",
    ],
)
def test_inline_byline_prefix_is_removed(prefix):
    page = (
        f"甲文标题\n\n◎ 本报记者 张三\n\n上一篇的正文结束了。\n\n"
        f"丙县园区获评示范基地\n\n{prefix}近日,丙县园区获评省级示范基地。\n"
    )
    first, second = split(page)
    assert first.text == "甲文标题\n\n上一篇的正文结束了。"
    assert second.title == "丙县园区获评示范基地"
    assert second.text == "丙县园区获评示范基地\n\n近日,丙县园区获评省级示范基地。"


def test_body_paragraphs_that_look_like_bylines_are_not():
    assert match_byline("记者了解到,园区今年新增企业20家。") is None
    assert match_byline("据科技日报(记者张三)报道,园区开园。") is None
    assert match_byline("记者手记") is None
    page = "标题\n\n◎ 本报记者 张三\n\n园区开园。\n\n记者了解到,园区新增企业。\n\n记者手记\n\n园区很好。\n"
    assert len(split(page)) == 1


def test_two_bylines_in_a_row_belong_to_one_article():
    page = "标题\n\n◎ 本报记者 张三\n\n本报讯(通讯员 李四)园区开园。\n"
    (a,) = split(page)
    assert a.text == "标题\n\n园区开园。"


# --- headlines and boundaries -----------------------------------------------------------------


def test_text_before_the_first_byline_belongs_to_the_first_article():
    page = "版面导读：今日园区\n\n前一版接续的文字，到此为止。\n\n大标题\n\n◎ 记者 张三\n\n正文。\n"
    (a,) = split(page)
    assert a.title == "大标题"
    assert a.text == "版面导读：今日园区\n\n前一版接续的文字，到此为止。\n\n大标题\n\n正文。"


def test_headline_is_at_most_four_short_lines():
    long_line = "这是一行很长的文字" * 6
    page = f"甲文\n\n◎ 记者 李四\n\n{long_line}\n\n一\n\n二\n\n三\n\n四\n\n五\n\n◎ 本报记者 张三\n\n正文。\n"
    a, b = split(page)
    assert a.text == f"甲文\n\n{long_line}\n\n一"
    assert b.title == "二 三 四 五"
    page = f"甲文\n\n◎ 记者 李四\n\n结束。\n\n{long_line}\n\n标题\n\n◎ 本报记者 张三\n\n正文。\n"
    assert split(page)[0].text.endswith(long_line)
    assert split(page)[1].title == "标题"


def test_subheadings_are_not_boundaries():
    page = "园区新闻\n\n◎ 本报记者 张三\n\n第一段正文。\n\n小标题一\n\n第二段正文。\n\n小标题二\n\n第三段正文。\n"
    (a,) = split(page)
    assert a.text == "园区新闻\n\n第一段正文。\n\n小标题一\n\n第二段正文。\n\n小标题二\n\n第三段正文。"


def test_page_without_byline_is_one_article():
    (a,) = split("园区要闻\n\n甲园区开园。\n\n乙企业入驻。\n")
    assert (a.title, a.text) == ("园区要闻", "园区要闻\n\n甲园区开园。\n\n乙企业入驻。")
    (b,) = split("甲园区今天举行了开园仪式，多家企业入驻。\n")
    assert (b.title, b.text) == ("", "甲园区今天举行了开园仪式，多家企业入驻。")


def test_blank_page_has_no_article():
    assert split("") == []
    assert split(" \n\n\u3000\n") == []


def test_crlf_free_single_newlines_and_indents():
    page = "标题\n◎ 本报记者 张三\n\u3000\u3000第一段。\n\u3000\u3000第二段。"
    (a,) = split(page)
    assert a.text == "标题\n第一段。\n第二段。"


# --- layout cuts ------------------------------------------------------------------------------


def test_adjacent_cut_paragraph_is_joined_without_separator():
    page = (
        "标题\n\n◎ 本报记者 张三\n\n今年以来,园区围绕主导产业精准招商,引进了新能源、新材料、生物医药等多个领域的重点企\n\n"
        "业,带动就业三千人。\n\n下一段。\n"
    )
    (a,) = split(page)
    assert (
        a.text
        == "标题\n\n今年以来,园区围绕主导产业精准招商,引进了新能源、新材料、生物医药等多个领域的重点企业,带动就业三千人。\n\n下一段。"
    )


def test_cut_paragraph_before_a_subheading_is_not_joined():
    page = "标题\n\n◎ 本报记者 张三\n\n今年以来,园区围绕主导产业精准招商,引进了新能源、新材料、生物医药等多个领域的重点企业\n\n小标题\n\n正文。\n"
    (a,) = split(page)
    assert "重点企业\n\n小标题\n\n正文。" in a.text


def test_continuation_printed_after_a_later_article_is_moved_back():
    page = (
        "甲文标题\n\n◎ 本报记者 张三\n\n甲文第一段。\n\n"
        "甲文第二段写到,园区正在加快建设一批新型研发机构和公共技术服务平台,完善孵化体系,推动科技成果转\n\n"
        "乙文标题\n\n◎ 本报记者 李四\n\n乙文第一段。\n\n乙文第二段。\n\n"
        "化。此外,甲园区还设立了基金。\n\n甲文最后一段。\n\n"
        "丙文标题\n\n科技日报(记者王五)丙文第一段。\n"
    )
    a, b, c = split(page)
    assert a.text.endswith("推动科技成果转化。此外,甲园区还设立了基金。\n\n甲文最后一段。")
    assert b.text == "乙文标题\n\n乙文第一段。\n\n乙文第二段。"
    assert c.text == "丙文标题\n\n丙文第一段。"
    assert len(a.spans) >= 3


def test_continuation_starting_with_punctuation_is_found():
    page = (
        "甲文标题\n\n◎ 本报记者 张三\n\n园区今年共引进重点项目二十个,总投资超过一百亿元,其中包括多家行业龙头企业\n\n"
        "乙文标题\n\n◎ 本报记者 李四\n\n乙文正文。\n\n,带动就业五千人。\n"
    )
    a, b = split(page)
    assert a.text.endswith("行业龙头企业,带动就业五千人。")
    assert b.text == "乙文标题\n\n乙文正文。"


def test_cut_article_without_continuation_is_left_as_is():
    page = (
        "甲文标题\n\n◎ 本报记者 张三\n\n园区今年共引进重点项目二十个,总投资超过一百亿元,其中包括多家行业龙头企业\n\n"
        "乙文标题\n\n◎ 本报记者 李四\n\n乙文正文。\n\n乙文第二段。\n"
    )
    a, b = split(page)
    assert a.text.endswith("行业龙头企业")
    assert b.text == "乙文标题\n\n乙文正文。\n\n乙文第二段。"


# --- the data file ---------------------------------------------------------------------------


def test_bylines_file_loads():
    assert len(load_bylines()) >= 5


def test_bad_pattern_names_file_and_line(tmp_path):
    path = tmp_path / "bylines.txt"
    path.write_text("# comment\n\n◎.*\n本报讯(\n", encoding="utf-8")
    with pytest.raises(DataFileError) as e:
        load_bylines(path)
    assert e.value.line == 4
    assert str(e.value).startswith(f"{path}:4: ")


def test_custom_patterns_can_be_passed(tmp_path):
    path = tmp_path / "bylines.txt"
    path.write_text("——本刊记者\\S+$\n", encoding="utf-8")
    page = "标题\n\n——本刊记者张三\n\n正文。\n"
    (a,) = split_page(page, patterns=load_bylines(path))
    assert a.text == "标题\n\n正文。"


def test_photo_caption_ending_in_its_credit_is_not_cut():
    page = (
        "标题\n\n◎ 本报记者 张三\n\n图为园区孵化大楼外景,楼内已入驻科技型企业三十余家。本报记者 张三摄\n\n"
        "正文第一段,园区今年发展很快,新增企业较多。\n\n"
        "图为园区实验室一角,科研人员正在调试新型储能电池样品。 李四 摄\n\n正文第二段。\n"
    )
    (a,) = split(page)
    assert "张三摄\n\n正文第一段" in a.text
    assert "李四 摄\n\n正文第二段。" in a.text
