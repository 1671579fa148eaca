#!/usr/bin/env python3
"""htmlcheck.py PAGE.html - strict checks of tabulate's HTML page, one TAP line each:
  - tags balance (python's html.parser: every non-void element closed, in order; void
    elements not closed; a self-closing tag only for void or SVG elements)
  - it parses as XML (xml.etree: well-formed, only the five XML entities)
  - self-contained: no external resource (src=, href= other than #fragments, @import, url())
  - the viewport meta, a max-width and a print media query are there
  - every <svg> in a bar row carries a rect of class bar (or is an empty, suppressed bar)
"""
import re
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
SVG = {"svg", "rect", "line", "path", "g", "text", "circle", "title"}


class Balance(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.stack, self.errors, self.bars, self.svgs = [], [], 0, 0

    def where(self):
        return "line %d" % self.getpos()[0]

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        self.stack.append(tag)
        if tag == "svg":
            self.svgs += 1
        if tag == "rect" and (("class", "bar") in attrs or ("class", "bar neg") in attrs):
            self.bars += 1

    def handle_startendtag(self, tag, attrs):
        if tag not in VOID and tag not in SVG:
            self.errors.append("%s: <%s/> self-closed" % (self.where(), tag))
        if tag == "rect" and (("class", "bar") in attrs or ("class", "bar neg") in attrs):
            self.bars += 1

    def handle_endtag(self, tag):
        if tag in VOID:
            self.errors.append("%s: </%s> closes a void element" % (self.where(), tag))
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append("%s: </%s> but open is %s" % (self.where(), tag, self.stack[-1:] or "nothing"))
            if tag in self.stack:
                while self.stack.pop() != tag:
                    pass
            return
        self.stack.pop()

    def handle_entityref(self, name):
        if name not in ("amp", "lt", "gt", "quot", "apos"):
            self.errors.append("%s: &%s; is not an XML entity" % (self.where(), name))


def tap(ok, desc, detail=()):
    print(("ok - " if ok else "not ok - ") + desc)
    for d in list(detail)[:5]:
        print("#   " + d)


page = open(sys.argv[1], encoding="utf-8").read()
b = Balance()
b.feed(page)
b.close()
if b.stack:
    b.errors.append("unclosed at the end: %s" % b.stack)
tap(not b.errors, "html: tags balance (strict html.parser check)", b.errors)
try:
    ET.fromstring(re.sub(r"^<!DOCTYPE html>", "", page))
    tap(True, "html: parses as well-formed XML")
except ET.ParseError as e:
    tap(False, "html: parses as well-formed XML", [str(e)])
external = re.findall(r'(?:src|href)="(?!#)[^"]*"|@import|url\(', page)
tap(not external, "html: self-contained (no external files)", external)
tap('name="viewport"' in page and "max-width" in page and "@media print" in page,
    "html: viewport meta, max-width and print CSS")
tap(b.bars > 0 and b.svgs > 0, "html: %d svg bars drawn in %d svg elements" % (b.bars, b.svgs))
