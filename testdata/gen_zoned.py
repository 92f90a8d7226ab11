"""Write testdata/zoned/zoned.json: datetimes whose tzinfo is a zone of
zoneinfo, pytz or dateutil, or that have fold=1, pickled by CPython beside
the instant Python says each one is.

Run with an interpreter that has pytz and dateutil (Debian's python3):
    /usr/bin/python3 testdata/gen_zoned.py            # writes the fixture
    /usr/bin/python3 testdata/gen_zoned.py --stdout   # prints it (live test)
With --stdlib only the zoneinfo and datetime.timezone cases are made, so
that any python3 of 3.9 or later can run it.
"""

import base64
import datetime as dt
import json
import os
import pickle
import sys
import zoneinfo

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)

# Wall-clock times around each zone's transitions: an ordinary one, one the
# clock shows twice (autumn), one it skips (spring).
WALLS = {
    "Europe/Paris": [(2020, 1, 1, 12, 30, 0, 123456), (2021, 10, 31, 2, 30, 0, 0), (2021, 3, 28, 2, 30, 0, 0)],
    "America/New_York": [(1999, 7, 4, 9, 0, 0, 0), (2022, 11, 6, 1, 15, 0, 0), (2022, 3, 13, 2, 15, 0, 0)],
    "Australia/Lord_Howe": [(2023, 1, 1, 0, 0, 0, 0), (2023, 4, 2, 1, 45, 0, 0), (2023, 10, 1, 2, 15, 0, 0)],
    "Asia/Kolkata": [(1942, 5, 15, 0, 0, 0, 0), (2024, 2, 29, 23, 59, 59, 999999)],
    "UTC": [(2000, 1, 1, 0, 0, 0, 0)],
}


def case(name, value, protos=(0, 2, 4)):
    out = []
    for proto in protos:
        data = pickle.dumps(value, protocol=proto)
        # What Python loads is the oracle: below protocol 4 datetime
        # pickles no fold.
        value = pickle.loads(data)
        aware = value.tzinfo is not None and value.utcoffset() is not None
        micros = (value - EPOCH) // dt.timedelta(microseconds=1) if aware else None
        # A wall time the clock skips has no Go time.Time showing it, so
        # its offset is checked only where the time exists in its zone.
        exists = aware and value.astimezone(dt.timezone.utc).astimezone(value.tzinfo).replace(tzinfo=None) == value.replace(tzinfo=None, fold=0)
        out.append({
            "name": "%s/p%d" % (name, proto),
            "pickle": base64.b64encode(data).decode(),
            "micros": micros,
            "offset": int(value.utcoffset().total_seconds()) if exists else None,
            "zone": getattr(value.tzinfo, "key", None) or getattr(value.tzinfo, "zone", None),
            "wall": [value.year, value.month, value.day, value.hour, value.minute, value.second, value.microsecond],
        })
    return out


def cases(stdlib_only):
    out = []
    for zone, walls in WALLS.items():
        for w in walls:
            for fold in (0, 1):
                base = dt.datetime(*w, fold=fold)
                label = "%s/%04d-%02d-%02dT%02d:%02d/fold%d" % ((zone,) + w[:5] + (fold,))
                out += case("zoneinfo/" + label, base.replace(tzinfo=zoneinfo.ZoneInfo(zone)))
                if stdlib_only:
                    continue
                import pytz
                from dateutil import tz as dtz
                # pytz localizes with is_dst; fold means nothing to it.
                out += case("pytz/%s/is_dst%d" % (label, fold),
                            pytz.timezone(zone).localize(base.replace(fold=0), is_dst=bool(1 - fold)))
                out += case("dateutil/" + label, base.replace(tzinfo=dtz.gettz(zone)))
    out += case("timezone/utc/fold1", dt.datetime(2020, 5, 1, 8, 0, fold=1, tzinfo=dt.timezone.utc))
    out += case("timezone/+0530/fold1", dt.datetime(2020, 5, 1, 8, 0, fold=1, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=30))))
    out += case("naive/fold1", dt.datetime(2021, 10, 31, 2, 30, fold=1))
    if not stdlib_only:
        import pytz
        from dateutil import tz as dtz
        out += case("pytz/utc", dt.datetime(2020, 5, 1, 8, 0, tzinfo=pytz.utc))
        out += case("pytz/fixed", dt.datetime(2020, 5, 1, 8, 0, tzinfo=pytz.FixedOffset(-150)))
        out += case("pytz/static/EST", pytz.timezone("EST").localize(dt.datetime(2020, 5, 1, 8, 0)))
        # Below protocol 2 these two are copyreg._reconstructor(cls,
        # datetime.tzinfo, datetime.tzinfo()).
        out += case("dateutil/tzutc", dt.datetime(2020, 5, 1, 8, 0, tzinfo=dtz.tzutc()), (0, 1, 2, 4))
        out += case("dateutil/tzoffset", dt.datetime(2020, 5, 1, 8, 0, tzinfo=dtz.tzoffset("X", 3600 * 3)), (0, 1, 2, 4))
    return out


def main():
    stdlib_only = "--stdlib" in sys.argv
    doc = {"python": sys.version.split()[0], "cases": cases(stdlib_only)}
    text = json.dumps(doc, indent=1, sort_keys=True) + "\n"
    if "--stdout" in sys.argv:
        sys.stdout.write(text)
        return
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "zoned", "zoned.json")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
    print("%s: %d cases" % (path, len(doc["cases"])))


main()
