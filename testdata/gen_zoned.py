"""Write testdata/zoned/zoned.json: datetimes whose tzinfo is a zone of
zoneinfo, pytz or dateutil, or that have fold=1, pickled by CPython beside
the instant Python says each one is.

Run with an interpreter that has pytz and dateutil (Debian's python3):
    /usr/bin/python3 testdata/gen_zoned.py            # writes the fixture
    /usr/bin/python3 testdata/gen_zoned.py --stdout   # prints it
    /usr/bin/python3 testdata/gen_zoned.py --sweep    # every transition of
        # eight zones, one pickle per zone and library (live test)
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
    # Negative summer time, where dateutil's reading of a wall time
    # differs from PEP 495's; London's double summer time, and its local
    # mean time (-75 s, which dateutil rounds to a minute).
    "Europe/Dublin": [(2023, 10, 29, 1, 30, 0, 0), (2023, 10, 29, 2, 30, 0, 0), (2023, 3, 26, 1, 30, 0, 0)],
    "Africa/Casablanca": [(2023, 3, 19, 2, 30, 0, 0), (2023, 4, 23, 2, 30, 0, 0)],
    "Europe/London": [(1944, 4, 2, 2, 30, 0, 0), (1944, 9, 17, 1, 30, 0, 0), (1890, 6, 1, 12, 0, 0, 0)],
}

# The zones of the sweep (--sweep): every transition from 1900 to 2040,
# wall times from 3 hours before to 3 hours after it.
SWEEP_ZONES = ["Europe/Dublin", "Africa/Casablanca", "Europe/London", "America/New_York",
               "Australia/Lord_Howe", "America/Sao_Paulo", "Pacific/Apia", "America/St_Johns"]


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
        # its offset is checked only where the time exists in its zone;
        # and only for zoneinfo and fixed offsets, which read the system's
        # zone database as Go does (pytz and dateutil have rules of their
        # own: only their instants are compared).
        exists = aware and isinstance(value.tzinfo, (zoneinfo.ZoneInfo, dt.timezone)) and \
            value.astimezone(dt.timezone.utc).astimezone(value.tzinfo).replace(tzinfo=None) == value.replace(tzinfo=None, fold=0)
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


def sweep():
    """One pickle per zone and library of every wall time around every
    transition, fold 0 and 1 (the zone pickled once), and the instants
    Python loads them as."""
    import pytz
    from dateutil import tz as dtz
    out = []
    for zone in SWEEP_ZONES:
        walls = set()
        for t in dtz.gettz(zone)._trans_list_utc:
            if not -2208988800 <= t <= 2240524800:
                continue
            for off in (-4, 0, 4):
                local = dt.datetime(1970, 1, 1) + dt.timedelta(seconds=t + off * 3600)
                for step in range(-3, 4):
                    walls.add(local + dt.timedelta(minutes=30 * step))
        walls = sorted(walls)
        makers = {
            "zoneinfo": lambda w, f, z=zoneinfo.ZoneInfo(zone): w.replace(fold=f, tzinfo=z),
            "pytz": lambda w, f, z=pytz.timezone(zone): z.localize(w, is_dst=not f),
            "dateutil": lambda w, f, z=dtz.gettz(zone): w.replace(fold=f, tzinfo=z),
        }
        for lib, make in makers.items():
            values = [make(w, f) for w in walls for f in (0, 1)]
            data = pickle.dumps(values, protocol=4)
            loaded = pickle.loads(data)
            out.append({
                "name": "%s/%s" % (lib, zone),
                "pickle": base64.b64encode(data).decode(),
                "micros": [(v - EPOCH) // dt.timedelta(microseconds=1) for v in loaded],
            })
    return out


def main():
    if "--sweep" in sys.argv:
        sys.stdout.write(json.dumps({"python": sys.version.split()[0], "sweeps": sweep()}) + "\n")
        return
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
