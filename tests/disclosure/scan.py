#!/usr/bin/env python3
"""scan.py MIN_N RUN_DIR REFERENCE_DIR

Grep-style scans of one tabulate run (RUN_DIR/tables.csv, report.md, report.html) for
counts that suppression should have hidden. REFERENCE_DIR holds the same tables made with
--min-n 0 (nothing suppressed), which gives the true count of every suppressed cell and of
every block; the two runs list their cells in the same order. Prints one line per finding
(`FOUND ...`) and last a line `checked ...`; exit 0 either way (the test counts findings).

What is checked, all from the published text alone:
  tables.csv   a suppressed row has no estimate, interval or n; every other people row
               (and every model row) has n >= MIN_N
  report.md    every 'n = V' (blocks, model lines) and every n column is x or >= MIN_N;
               the row of each suppressed cell shows x and no count; a block whose true
               n is below MIN_N shows n = x; the true count of a suppressed cell (its n;
               for a handover category its own count) is not in that cell's row
  report.html  the same for 'n = V', '<small>n V</small>', a legend's ', n V', the value of
               each suppressed cell (exactly "x": no interval, no n) and its chart element
               (a bar: none, an aria-label ending in ': x'; a chart of columns, fig1, fig4,
               hours: its legend entry ends in ': x', and the chart draws a column for
               each figure its legend shows, none more)
"""
import csv
import io
import re
import sys


def table(path):
    lines = open(path, encoding='utf-8').read().splitlines()
    assert lines[0] == '#schema table/1'
    return list(csv.DictReader(io.StringIO('\n'.join(lines[1:]))))


def people_rows(rows):
    return [r for r in rows if r['measure'] in ('share', 'mean', 'count')]


def md_sections(text):
    """Table id -> the Markdown of that table (from its '## ... (`id`)' line on)."""
    out, cur = {}, None
    for line in text.splitlines():
        m = re.match(r'^## .*\(`([^`]+)`\)$', line)
        if m:
            cur = m.group(1)
            out[cur] = []
        elif cur:
            out[cur].append(line)
    return out


def md_blocks(text, people_ids):
    """The people tables' blocks in order: [the 'n = ' value, [row lines]]."""
    blocks = []
    for tid, lines in md_sections(text).items():
        if tid not in people_ids:
            continue
        for line in lines:
            m = re.match(r'^(?:Populatie|Population): .*; n = (\S+)$', line)
            if m:
                blocks.append([m.group(1), []])
            elif blocks and line.startswith('| ') and not line.startswith('| |') and line.count('|') == 5:
                blocks[-1][1].append(line)
    return blocks


def html_values(html, people_ids):
    """(aria-label, svg, value) of every bar row of the people tables, in order. A chart of
    columns (fig1, fig4, hours: <svg class="cols"> and a legend) gives per legend entry
    (its text, '', the figures after its last ': '); its columns are counted on their own
    (html_columns)."""
    out = []
    for part in html.split('<section id="t-')[1:]:
        if part.split('"', 1)[0] in people_ids:
            for m in re.finditer(r'<div class="lbl">[^<]*</div><svg[^>]*aria-label="([^"]*)">(.*?)</svg><div class="val">(.*?)</div>'
                                 r'|<svg class="cols"[^>]*>.*?</svg>\s*<ul class="legend">(.*?)</ul>', part, re.S):
                if m.group(4) is None:
                    out.append(m.group(1, 2, 3))
                else:
                    out += [(t, '', t.rsplit(': ', 1)[-1]) for t in re.findall(r'<li><span class="key p\d+"></span>(.*?)</li>', m.group(4))]
    return out


def html_columns(html, people_ids):
    """(columns drawn, legend entries that show a figure) of every chart of columns."""
    out = []
    for part in html.split('<section id="t-')[1:]:
        if part.split('"', 1)[0] in people_ids:
            for svg, legend in re.findall(r'<svg class="cols"[^>]*>(.*?)</svg>\s*<ul class="legend">(.*?)</ul>', part, re.S):
                shown = [t for t in re.findall(r'<li><span class="key p\d+"></span>(.*?)</li>', legend) if not t.endswith(': x')]
                out.append((svg.count('<rect class="col '), len(shown), legend))
    return out


def main():
    min_n, run, ref = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    found = []
    rows, refrows = table(run + '/tables.csv'), table(ref + '/tables.csv')
    assert [r['row'] for r in rows] == [r['row'] for r in refrows], 'the runs list different cells'
    nsup = 0
    for r, t in zip(rows, refrows):
        if r['suppressed'] == '1':
            nsup += 1
            if r['estimate'] or r['ci_low'] or r['ci_high'] or r['n']:
                found.append('tables.csv: suppressed %s/%s/%s shows %s' % (r['table'], r['benefit'], r['row'], r))
        elif r['n'] and int(r['n']) < min_n:
            found.append('tables.csv: %s/%s/%s published with n %s < %d' % (r['table'], r['benefit'], r['row'], r['n'], min_n))
    md = open(run + '/report.md', encoding='utf-8').read()
    html = open(run + '/report.html', encoding='utf-8').read()
    refmd = open(ref + '/report.md', encoding='utf-8').read()
    # a count or x; not the method note's legend 'n = het aantal personen ...' ('n = the number ...')
    for where, text, pattern in (('report.md', md, r'n = (\d+|x)\b'), ('report.html', html, r'n = (\d+|x)\b'),
                                 ('report.html', html, r'<small>n (\w+)</small>'), ('report.html', html, r', n (\w+)</li>')):
        for v in re.findall(pattern, text):
            if v != 'x' and int(v) < min_n:
                found.append('%s: a count %s < %d is shown (%s)' % (where, v, min_n, pattern))
    for line in md.splitlines():
        cells = [c.strip() for c in line.strip('|').split('|')]
        if line.startswith('| ') and len(cells) >= 4 and cells[-1].isdigit() and int(cells[-1]) < min_n:
            found.append('report.md: an n column shows %s < %d: %s' % (cells[-1], min_n, line))
        if line.startswith('| ') and len(cells) >= 4 and 'x' in cells[1:-1] and cells[-1] not in ('x', ''):
            found.append('report.md: a suppressed row shows a count: %s' % line)
    ids = {r['table'] for r in people_rows(rows)}
    blocks = md_blocks(md, ids)
    check_people(found, rows, refrows, blocks, md_blocks(refmd, ids), html_values(html, ids), min_n)
    for ncols, nshown, legend in html_columns(html, ids):
        if ncols != nshown:
            found.append('report.html: a chart draws %d columns for %d figures shown in its legend: %s' % (ncols, nshown, legend[:200]))
    for f in found:
        print('FOUND ' + f)
    print('checked %d cells, %d suppressed, %d blocks' % (len(rows), nsup, len(blocks)))


def check_people(found, rows, refrows, blocks, refblocks, vals, min_n):
    """Pair the people cells with their md rows and html values, in order."""
    pr, pref = people_rows(rows), people_rows(refrows)
    mdrows = [line for b in blocks for line in b[1]]
    if len(mdrows) != len(pr):
        found.append('report.md: %d people rows for %d people cells' % (len(mdrows), len(pr)))
        return
    for (r, t, line) in zip(pr, pref, mdrows):
        if r['suppressed'] != '1':
            continue
        truth = {t['n']}
        if r['table'] == 'handover' and t['estimate']:
            truth.add(str(round(float(t['estimate']) * int(t['n']))))
        cells = [c.strip() for c in line.strip('|').split('|')]
        if cells[1] != 'x' or cells[-1] != 'x' or cells[2] != '':
            found.append('report.md: suppressed %s/%s not shown as x: %s' % (r['table'], r['row'], line))
        for v in truth:
            if re.search(r'(?<![\d,.])%s(?![\d,])' % re.escape(v), line):
                found.append('report.md: suppressed %s/%s: its count %s is in its row: %s' % (r['table'], r['row'], v, line))
    if len(vals) != len(pr):
        found.append('report.html: %d values for %d people cells' % (len(vals), len(pr)))
        return
    for (r, t, (aria, svg, val)) in zip(pr, pref, vals):
        shown_n = re.findall(r'(?:<small>|, )n (\d+)(?:</small>)?$', val)
        if r['suppressed'] != '1' and shown_n and shown_n != [r['n']]:
            found.append('report.html: %s/%s shows n %s, tables.csv n %s (the scan pairs cells wrong)' % (r['table'], r['row'], shown_n[0], r['n']))
        if r['suppressed'] == '1' and (val != 'x' or not aria.endswith(': x') or 'class="bar' in svg or 'class="ci"' in svg):
            found.append('report.html: suppressed %s/%s shows more than x: %s | %s | %s' % (r['table'], r['row'], aria, svg[:80], val))
    for (n, _), (refn, _) in zip(blocks, refblocks):
        if int(refn) < min_n and n != 'x':
            found.append('report.md: a block of %s people shows n = %s' % (refn, n))


if __name__ == '__main__':
    main()
