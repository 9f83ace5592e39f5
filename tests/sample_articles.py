"""Two small articles written for the tests of the graph's uses (analysis, queries, notebooks).

Two zones in two provinces share one industry (新能源); the first hosts a
research institute that incubated two companies and has a science bureau
with a director; the second hosts an institute that incubated one company.
"""

from __future__ import annotations

from pathlib import Path

ARTICLES = {
    "jinhu.md": """---
title: 金湖高新区加快建设创新高地
date: 2024-03-05
url: https://news.example.cn/jinhu/1
---
金湖高新区位于江苏省淮安市。金湖高新区聚焦新能源和生物医药产业。
2019年，金湖高新区与南京大学共建金湖先进材料研究院。
园区内通过研究院孵化出蓝海科技有限公司、青禾生物有限公司等10多家企业。
金湖高新区科技局局长王明远介绍，园区已引进清风储能研究所。
""",
    "yunxi.md": """---
title: 云溪高新区发布人才计划
date: 2024-04-10
---
云溪高新区位于浙江省湖州市。云溪高新区重点发展新能源产业。
落户云溪高新区的白石智能研究院孵化了远帆科技有限公司。
""",
}


def write_articles(folder: Path) -> Path:
    """Write the articles into ``folder`` (made if missing) and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder
