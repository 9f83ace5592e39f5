import codecs
import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.reading.read import decode, read_file, read_paths
from kg.records import Document, Skipped

SEED = Path(__file__).resolve().parents[2] / "data" / "seed" / "000_db9541ef606ed3d2.txt"

MD = """---
url: http://example.com/news/1.html
title: 甲市高新区新建孵化器
date: 2023-12-20
---

甲市高新区新建孵化器一座,已入驻企业十家。

园区负责人表示,明年将继续扩建。
"""


def write(path: Path, text: str, encoding="utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


def only(records):
    (record,) = records
    return record


# --- markdown ----------------------------------------------------------------------


def test_markdown_front_matter(tmp_path):
    doc = only(read_file(write(tmp_path / "d01.md", MD)))
    assert isinstance(doc, Document)
    assert doc.id == "d01"
    assert doc.source == str(tmp_path / "d01.md")
    assert doc.title == "甲市高新区新建孵化器"
    assert doc.url == "http://example.com/news/1.html"
    assert doc.date == "2023-12-20"  # YAML gives a datetime.date
    assert (
        doc.text
        == "甲市高新区新建孵化器\n\n甲市高新区新建孵化器一座,已入驻企业十家。\n\n园区负责人表示,明年将继续扩建。"
    )
    assert doc.line is None


def test_markdown_without_front_matter_and_datetime_and_string_dates(tmp_path):
    doc = only(read_file(write(tmp_path / "a.markdown", "\n正文一段。\n\n")))
    assert (doc.id, doc.title, doc.text, doc.date) == ("a", "", "正文一段。", "")
    doc = only(read_file(write(tmp_path / "b.md", "---\ndate: 2023-12-20 08:30:00\n---\n正文。")))
    assert doc.date == "2023-12-20"
    doc = only(read_file(write(tmp_path / "c.md", "---\ndate: '2023年12月'\ntitle: 标题\n---\n正文。")))
    assert (doc.date, doc.text) == ("2023年12月", "标题\n\n正文。")


def test_markdown_invalid_yaml_is_skipped(tmp_path):
    path = write(tmp_path / "bad.md", "---\ntitle: [unclosed\nurl: x\n---\n正文。\n")
    skipped = only(read_file(path))
    assert isinstance(skipped, Skipped)
    assert skipped.reason.startswith("front matter is not valid YAML: ")
    assert "\n" not in skipped.reason
    assert isinstance(only(read_file(write(tmp_path / "list.md", "---\n- a\n---\n正文。"))), Skipped)
    assert isinstance(only(read_file(write(tmp_path / "open.md", "---\ntitle: x\n正文。"))), Skipped)


# --- encodings ---------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "gb18030", "gbk", "gb2312"])
def test_encodings(tmp_path, encoding):
    doc = only(read_file(write(tmp_path / "d02.md", MD, encoding)))
    assert doc.title == "甲市高新区新建孵化器"
    assert not doc.text.startswith("\ufeff")


def test_line_endings_are_normalised(tmp_path):
    doc = only(read_file(write(tmp_path / "crlf.md", MD.replace("\n", "\r\n"))))
    assert "\r" not in doc.text and doc.date == "2023-12-20"
    assert decode("甲\r乙\r\n丙".encode("gbk")) == "甲\n乙\n丙"


def test_binary_undecodable_and_empty_files_are_skipped(tmp_path):
    binary = tmp_path / "x.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert only(read_file(binary)).reason == "not text (binary)"
    bad = tmp_path / "y.txt"
    bad.write_bytes(b"\xff\xfe\xfd"[1:] + b"\x80\x80\x80 abc")  # not UTF-8, GB18030 or Big5
    assert only(read_file(bad)).reason == "cannot decode as UTF-8, GB18030 or Big5"
    assert only(read_file(write(tmp_path / "e.md", " \n\u3000\n"))).reason == "empty file"
    assert only(read_file(write(tmp_path / "f.txt", ""))).reason == "empty file"


# --- plain text pages ---------------------------------------------------------------------


def test_seed_page_gives_six_numbered_documents(tmp_path):
    page = tmp_path / "000_db9541ef606ed3d2.txt"
    shutil.copy(SEED, page)
    docs = read_file(page)
    assert [d.id for d in docs] == [f"000_db9541ef606ed3d2-{i}" for i in range(1, 7)]
    assert all(d.source == str(page) for d in docs)
    assert docs[3].title == "广东清远高新区 佳鑫科技产业园开园"
    assert docs[3].text.startswith("广东清远高新区\n\n佳鑫科技产业园开园\n\n12月20日")
    assert "入驻孵化。同时" in docs[0].text


def test_single_article_txt_gets_the_stem(tmp_path):
    doc = only(read_file(write(tmp_path / "note.txt", "园区要闻\r\n\r\n甲园区开园。\r\n")))
    assert (doc.id, doc.title, doc.text) == ("note", "园区要闻", "园区要闻\n\n甲园区开园。")


# --- html -------------------------------------------------------------------------------------

HTML = """<html><head><title>站点名称</title>
<meta property="og:title" content="乙市高新区发布人才新政">
<meta name="date" content="2023-12-22">
<link rel="canonical" href="http://example.com/b.html"></head>
<body><nav><ul><li>首页</li><li>新闻中心</li><li>联系我们</li></ul></nav>
<article><h1>乙市高新区发布人才新政</h1>
<p>12月22日,乙市高新区发布人才新政,对引进的高层次人才给予安家补贴和科研经费支持,政策自明年起实施。</p>
<p>该区负责人表示,新政将重点支持新能源、新材料和生物医药等主导产业的人才团队,进一步优化创新创业环境。</p>
</article><footer>版权所有 某某网站 备案号</footer></body></html>"""


def test_html_main_text_title_date_url(tmp_path):
    doc = only(read_file(write(tmp_path / "page.html", HTML)))
    assert isinstance(doc, Document)
    assert doc.id == "page"
    assert doc.title == "乙市高新区发布人才新政"
    assert doc.text.startswith("乙市高新区发布人才新政\n\n12月22日,乙市高新区发布人才新政")
    assert doc.text.count("乙市高新区发布人才新政\n") == 1
    assert "首页" not in doc.text and "版权所有" not in doc.text
    assert doc.date == "2023-12-22"
    assert doc.url == "http://example.com/b.html"


def test_html_without_text_is_skipped(tmp_path):
    skipped = only(
        read_file(
            write(
                tmp_path / "empty.htm",
                "<html><head><title>t</title></head><body><script>var a = 1;</script></body></html>",
            )
        )
    )
    assert isinstance(skipped, Skipped)


# --- json lines --------------------------------------------------------------------------------


def test_jsonl_lines_and_bad_lines(tmp_path):
    lines = [
        json.dumps(
            {"text": "甲园区开园。", "title": "开园", "url": "http://e.com/1", "date": "2023-01-02"}, ensure_ascii=False
        ),
        "",
        "{not json",
        json.dumps({"title": "无正文"}, ensure_ascii=False),
        json.dumps({"text": 5}),
        json.dumps(["text"]),
        json.dumps({"text": "乙企业入驻。"}, ensure_ascii=False),
    ]
    records = read_file(write(tmp_path / "batch.jsonl", "\n".join(lines) + "\n"))
    docs = [r for r in records if isinstance(r, Document)]
    skipped = [r for r in records if isinstance(r, Skipped)]
    assert [(d.id, d.line, d.text) for d in docs] == [
        ("batch-L1", 1, "开园\n\n甲园区开园。"),
        ("batch-L7", 7, "乙企业入驻。"),
    ]
    assert (docs[0].title, docs[0].url, docs[0].date) == ("开园", "http://e.com/1", "2023-01-02")
    assert [s.line for s in skipped] == [3, 4, 5, 6]
    assert all(s.source == str(tmp_path / "batch.jsonl") for s in skipped)
    assert str(skipped[0]).startswith(f"{tmp_path / 'batch.jsonl'}:3: not valid JSON")


# --- paths and folders ---------------------------------------------------------------------------


def test_folders_are_walked_in_sorted_order(tmp_path):
    write(tmp_path / "b" / "z.md", "正文z。")
    write(tmp_path / "b" / "a.txt", "正文a。")
    write(tmp_path / "a.md", "正文0。")
    write(tmp_path / "c" / "deep" / "d.markdown", "正文d。")
    write(tmp_path / "notes.csv", "x,y")  # unknown extension: ignored in folders
    write(tmp_path / ".hidden.md", "隐藏。")
    write(tmp_path / ".git" / "x.md", "隐藏。")
    write(tmp_path / "b" / "picture.png", "x")
    ids = [r.id for r in read_paths([tmp_path])]
    assert ids == ["a", "a~2", "z", "d"]  # a.md, b/a.txt (same stem), b/z.md, c/deep/d.markdown
    assert [r.id for r in read_paths([str(tmp_path)])] == ids


def test_a_folder_too_large_to_sort_in_memory_is_walked_in_sorted_order(tmp_path, monkeypatch):
    import kg.reading.inputs

    names = [f"{c}{i}.md" for i in range(7) for c in "zay"]
    for name in names:
        write(tmp_path / name, "正文。")
    write(tmp_path / "m" / "k.md", "正文。")
    expected = sorted(names + ["m"])
    expected[expected.index("m")] = os.path.join("m", "k.md")
    in_memory = list(kg.reading.inputs.input_files([tmp_path]))
    assert in_memory == [str(tmp_path / e) for e in expected]
    monkeypatch.setattr(kg.reading.inputs, "IN_MEMORY", 2)  # 22 names: sorted on disk
    assert list(kg.reading.inputs.input_files([tmp_path])) == in_memory


@pytest.mark.skipif(sys.platform != "linux", reason="needs file names that are not UTF-8")
def test_names_that_are_not_utf8_sort_the_same_in_memory_and_on_disk(tmp_path, monkeypatch):
    import kg.reading.inputs

    for raw in (b"\xff\xfe.md", "园区".encode("gbk") + b".txt", b"a.md", "乙.md".encode()):
        Path(os.fsdecode(os.fsencode(tmp_path) + b"/" + raw)).write_bytes(b"x")
    in_memory = list(kg.reading.inputs.input_files([tmp_path]))
    monkeypatch.setattr(kg.reading.inputs, "IN_MEMORY", 1)
    assert list(kg.reading.inputs.input_files([tmp_path])) == in_memory and len(in_memory) == 4


def test_explicit_files_mix_with_folders_and_are_read_once(tmp_path):
    md = write(tmp_path / "in" / "d01.md", MD)
    other = write(tmp_path / "d05.md", "正文。")
    records = list(read_paths([other, tmp_path / "in", md]))
    assert [r.id for r in records] == ["d05", "d01"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs and symlinks (POSIX)")
def test_walk_follows_folder_links_once_and_leaves_out_what_is_not_a_file(tmp_path):
    write(tmp_path / "in" / "a.md", "正文a。")
    write(tmp_path / "other" / "b.md", "正文b。")
    os.mkfifo(tmp_path / "in" / "pipe.md")  # reading it would wait forever
    (tmp_path / "in" / "gone.md").symlink_to(tmp_path / "nowhere.md")
    (tmp_path / "in" / "linked").symlink_to(tmp_path / "other", target_is_directory=True)
    (tmp_path / "other" / "back").symlink_to(tmp_path / "in", target_is_directory=True)  # a loop
    assert [r.id for r in read_paths([tmp_path / "in"])] == ["a", "b"]


def test_ids_and_files_are_counted_beyond_one_batch(tmp_path):
    for i in range(300):  # more than kg.spool.numbered reads at once
        write(tmp_path / f"f{i:03d}" / "x.md", f"正文{i}。")
    (tmp_path / "f000" / "y.md").hardlink_to(tmp_path / "f299" / "x.md")  # one file, two names
    ids = [r.id for r in read_paths([tmp_path, tmp_path / "f150" / "x.md"])]
    assert ids == ["x", "y"] + [f"x~{n}" for n in range(2, 300)]  # f299/x.md is f000/y.md


def test_sources_are_written_as_pathlib_writes_them(tmp_path, monkeypatch):
    write(tmp_path / "in" / "a.md", "正文a。")
    write(tmp_path / "in" / "sub" / "b.txt", "正文b。")
    monkeypatch.chdir(tmp_path / "in")
    sources = [r.source for r in read_paths(["."])]
    assert sources == ["a.md", str(Path("sub") / "b.txt")]
    assert [r.source for r in read_paths(["./sub//", "./a.md"])] == [str(Path("sub") / "b.txt"), "a.md"]
    assert only(read_file(Path("sub") / "b.txt")).source == str(Path("sub") / "b.txt")


@pytest.mark.parametrize("reader", ["read_paths", "cached"])
def test_reading_a_folder_interns_no_string_per_file(tmp_path, interned, reader):
    # pathlib interns each part of a Path, file names included: a Path a file would grow
    # Python's table of interned strings with a 100,000-file input (conftest.interned)
    from kg.storage.cache import Cache
    from kg.storage.cached_input import articles

    def count(n: int) -> int:
        folder = tmp_path / f"in{n}"
        for i in range(n):
            write(folder / f"article{i:04d}.md", f"正文{i}。")
        if reader == "read_paths":
            return interned(lambda: list(read_paths([folder])))
        with Cache(tmp_path / f"cache{n}") as cache:
            return interned(lambda: list(articles([folder], cache)))

    count(1)  # what a first call does once (metadata, caches)
    few, many = count(3), count(60)
    assert few > 0  # the folder given itself is a Path: the counter counts
    assert many == few


def test_unsupported_explicit_file_is_skipped(tmp_path):
    path = write(tmp_path / "data.xyz", "正文。")
    skipped = only(read_paths([path]))
    assert skipped == Skipped(str(path), "unsupported file type .xyz")
    assert "no extension" in only(read_file(write(tmp_path / "README", "正文。"))).reason


def test_missing_path_raises_input_error(tmp_path):
    with pytest.raises(InputError, match="no such file or folder: .*missing"):
        list(read_paths([tmp_path / "missing"]))
    write(tmp_path / "ok.md", "正文。")
    with pytest.raises(InputError):  # checked before anything is read
        next(read_paths([tmp_path / "ok.md", tmp_path / "missing"]))


def test_bom_utf16_with_nul_bytes_is_text():
    assert decode("园区".encode("utf-16")) == "园区"
    assert decode(codecs.BOM_UTF8 + "园区".encode()) == "园区"
