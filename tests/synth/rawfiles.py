"""rawfiles.py - what the test scripts of synth share, written from DOMAIN.md: TAP lines, the
raw files' dd-mm-yyyy dates, and "k calendar months later, a day that does not exist moves
to the month's end"."""
import calendar
from datetime import date


def ok(cond, desc, detail=""):
    print(("ok - " if cond else "not ok - ") + desc + ("" if cond or not detail else ": " + str(detail)))


def dmy(s):
    return date(int(s[6:]), int(s[3:5]), int(s[:2])) if s else None


def add_months(d, k):
    m = d.month - 1 + k
    y, m = d.year + m // 12, m % 12 + 1
    return date(y, m, min(d.day, calendar.monthrange(y, m)[1]))
