from __future__ import annotations

from crawlers.encoding import decode_html, normalize_encoding_name
from crawlers.textnorm import fullwidth_to_halfwidth, normalize_text

TEXT = "<html><head><meta charset='gb2312'><title>青浦区欠薪</title></head><body><p>拖欠工资鎔</p></body></html>"


def test_fullwidth() -> None:
    assert fullwidth_to_halfwidth("ＡＢＣ１２３　ｘ") == "ABC123 x"
    assert fullwidth_to_halfwidth("工资，欠薪。") == "工资，欠薪。"  # Chinese punctuation kept


def test_normalize_text_paragraphs() -> None:
    assert normalize_text("  第一段\u3000\n\n\n 第二段 \r\n") == "第一段\n第二段"


def test_gb2312_declared_page_decodes_as_gb18030() -> None:
    raw = TEXT.encode("gb18030")  # 鎔 is outside GB2312: a lying declaration must not garble it
    text, enc = decode_html(raw)
    assert enc == "gb18030"
    assert "拖欠工资鎔" in text


def test_undeclared_gbk_page() -> None:
    raw = TEXT.replace("<meta charset='gb2312'>", "").encode("gbk")
    text, _ = decode_html(raw)
    assert "青浦区欠薪" in text


def test_header_wins_over_wrong_meta() -> None:
    raw = TEXT.replace("gb2312", "utf-8").encode("gbk")
    text, enc = decode_html(raw, header_encoding="GBK")
    assert "青浦区欠薪" in text and enc == "gb18030"


def test_utf8_and_bom() -> None:
    assert decode_html("<p>社保</p>".encode())[0] == "<p>社保</p>"
    assert decode_html(b"\xef\xbb\xbf" + "<p>裁员</p>".encode())[0] == "<p>裁员</p>"
    assert normalize_encoding_name("GB2312") == "gb18030"
    assert normalize_encoding_name("no-such-codec") is None


def test_xml_declaration_gb2312_widened_and_source_override_wins() -> None:
    """Issue 15: feeds are decoded like pages; a wrong declaration (utf-8 on GBK bytes) is not trusted."""
    feed = '<?xml version="1.0" encoding="gb2312"?><rss><item><title>员工王镕讨薪</title></item></rss>'
    text, enc = decode_html(feed.encode("gbk"))
    assert enc == "gb18030" and "王镕" in text
    text, enc = decode_html(feed.replace("gb2312", "utf-8").encode("gbk"), declared="gbk")
    assert enc == "gb18030" and "王镕" in text
    assert normalize_encoding_name("x-gbk") == "gb18030" and normalize_encoding_name("big5") == "big5hkscs"
