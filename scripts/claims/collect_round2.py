"""Round 2 of the claim-matching candidate set (see data/claims/COLLECTION.md, "Round 2").

Run from the repository root:

    python scripts/claims/collect_round2.py            # write data/claims/raw/candidates_round2.jsonl and verify it
    python scripts/claims/collect_round2.py --discover # print cross-outlet sentence pairs used to find seeds

Only the PolNeAR ``train`` and ``dev`` compartments are read; ``test`` is never opened.
Statement texts are never written here: each selection is an (article, start, end) span and
the text is sliced from the source file.
"""
from __future__ import annotations

import argparse
import collections
import csv
import datetime
import json
import math
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
POLNEAR = ROOT.parent / "shared" / "data" / "polnear"
ROUND1 = ROOT / "data" / "claims" / "candidates.jsonl"
OUT = ROOT / "data" / "claims" / "raw" / "candidates_round2.jsonl"
COMPARTMENTS = ("train", "dev")
FIRST_ID, FIRST_GROUP = 219, 40

# (topic label, [(compartment/article, start, end), ...]); spans were chosen by hand from the
# --discover output and keyword searches over date windows, then read in context.
GROUPS = [
    ("Trump's appearance at the Republican Jewish Coalition and his stance on Jerusalem and Netanyahu (Dec 2015)", [
        ("train/politico_2015-12-03_trump-carson-flop-with-jewis", 3001, 3132),
        ("train/politico_2015-12-03_trump-carson-flop-with-jewis", 3284, 3360),
        ("train/wash-post_2015-12-10_netanyahu-rejects-trump-s-r", 4143, 4322),
        ("train/wash-post_2015-12-10_netanyahu-rejects-trump-s-r", 4352, 4431),
        ("train/breitbart_2015-12-20_republican-donor-adelson-an", 3721, 3921),
        ("train/breitbart_2015-12-20_republican-donor-adelson-an", 1330, 1481),
    ]),
    ("'Top secret' material in Clinton's emails and her campaign's response (Jan-Feb 2016)", [
        ("train/wash-post_2016-01-31_state-calls-emails-of-clint", 1073, 1247),
        ("train/wash-post_2016-01-31_state-calls-emails-of-clint", 5749, 5952),
        ("train/politico_2016-02-10_top-clinton-adviser-sent-top", 7273, 7350),
        ("train/politico_2016-02-10_top-clinton-adviser-sent-top", 4026, 4170),
        ("train/nyt_2016-02-01_iowa-caucus-is-first-look-into-m", 2728, 2979),
    ]),
    ("What the Iowa caucuses mean for past Iowa winners and establishment Republicans", [
        ("train/usa-today_2016-02-02_maybe-trump-hasn-t-rewritte", 2720, 2854),
        ("train/nyt_2016-02-04_polls-miss-trump-s-fall-in-iowa-", 3206, 3374),
        ("train/wash-post_2016-02-02_no-clear-favorites-going-in", 3870, 4016),
        ("train/nyt_2016-02-04_polls-miss-trump-s-fall-in-iowa-", 3791, 3999),
        ("train/usa-today_2016-02-02_maybe-trump-hasn-t-rewritte", 2856, 2967),
        ("train/huff-post_2016-02-02_don-t-let-the-media-and-mar", 3785, 3928),
    ]),
    ("Republican exchanges before the New Hampshire primary: Bush vs Trump, waterboarding", [
        ("train/breitbart_2016-02-08_the-latest-nh-towns-cast-fi", 5188, 5271),
        ("train/wash-post_2016-02-09_barbs-and-pleas-before-n-h-", 3127, 3281),
        ("train/huff-post_2016-02-07_the-latest-gop-debate-kicke", 9794, 9937),
        ("train/breitbart_2016-02-08_the-latest-nh-towns-cast-fi", 8681, 8801),
        ("train/west-journal_2016-02-09_trump-supporter-screams-", 368, 494),
    ]),
    ("Sanders's meeting with Al Sharpton after New Hampshire", [
        ("train/wash-post_2016-02-10_after-a-big-loss-clinton-lo", 2582, 2779),
        ("train/politico_2016-02-11_things-to-watch-in-tonight-s", 1840, 1928),
        ("train/usa-today_2016-02-11_sanders-faces-test-on-appea", 2131, 2333),
        ("train/wash-post_2016-02-10_after-a-big-loss-clinton-lo", 2781, 3002),
        ("train/politico_2016-02-11_things-to-watch-in-tonight-s", 198, 384),
        ("train/usa-today_2016-02-11_sanders-faces-test-on-appea", 2414, 2484),
    ]),
    ("Corey Lewandowski and reporter Michelle Fields (March 2016)", [
        ("train/nyt_2016-03-12_protesting-at-trump-rallies-a-ri", 2669, 2889),
        ("train/huff-post_2016-03-15_ted-cruz-physically-assault", 798, 975),
        ("train/huff-post_2016-03-15_ted-cruz-physically-assault", 977, 1177),
        ("train/wash-post_2016-03-30_trump-sticking-by-his-campa", 744, 823),
        ("train/wash-post_2016-03-30_trump-sticking-by-his-campa", 64, 302),
        ("train/nyt_2016-08-18_trump-hires-conservative-website", 3718, 3921),
    ]),
    ("Trump's pledge of neutrality between Israel and the Palestinians and the AIPAC speeches", [
        ("train/politico_2016-03-10_trump-s-rivals-pull-their-pu", 6112, 6240),
        ("train/nyt_2016-03-12_republicans-lower-volume-in-deba", 6109, 6288),
        ("train/wash-post_2016-03-18_rabbis-vow-to-boycott-trump", 791, 1014),
        ("train/usa-today_2016-03-21_trump-campaign-makes-a-capi", 1094, 1306),
        ("train/usa-today_2016-03-22_clinton-trump-s-view-of-the", 711, 834),
        ("train/wash-post_2016-03-22_presidential-candidates-pro", 1010, 1231),
    ]),
    ("Sanders's trip to the Vatican and Pope Francis (April 2016)", [
        ("train/breitbart_2016-04-14_the-latest-trump-delivers-d", 8943, 9111),
        ("train/breitbart_2016-04-14_the-latest-trump-delivers-d", 9310, 9402),
        ("train/usa-today_2016-04-15_fiery-words-light-up-the-de", 2548, 2634),
        ("train/usa-today_2016-04-15_fiery-words-light-up-the-de", 2401, 2547),
        ("train/wash-post_2016-04-18_sanders-says-his-private-me", 75, 203),
        ("train/wash-post_2016-04-18_sanders-says-his-private-me", 1259, 1443),
    ]),
    ("Transcripts of Clinton's paid Wall Street speeches (April 2016)", [
        ("train/breitbart_2016-04-14_the-latest-trump-delivers-d", 1335, 1498),
        ("train/breitbart_2016-04-14_the-latest-trump-delivers-d", 8620, 8804),
        ("train/usa-today_2016-04-15_fiery-words-light-up-the-de", 1211, 1371),
        ("train/huff-post_2016-04-20_hillary-clinton-won-among-w", 1074, 1142),
        ("train/huff-post_2016-04-20_hillary-clinton-won-among-w", 864, 997),
        ("train/wash-post_2016-04-20_beyond-victory-clinton-face", 5086, 5250),
    ]),
    ("Democratic delegate and superdelegate counts (late April - early May 2016)", [
        ("train/huff-post_2016-04-27_hillary-clinton-wins-delawa", 2721, 2808),
        ("train/usa-today_2016-04-26_superdelegates-dems-have-to", 1562, 1799),
        ("train/usa-today_2016-04-28_sanders-lays-off-more-than-", 3175, 3300),
        ("train/wash-post_2016-05-05_sanders-faces-tough-sell-in", 1045, 1197),
        ("train/huff-post_2016-04-27_hillary-clinton-wins-delawa", 2583, 2720),
        ("train/wash-post_2016-05-05_sanders-faces-tough-sell-in", 4814, 5024),
    ]),
    ("Republican congressional leaders on Trump's remarks about Judge Curiel", [
        ("train/huff-post_2016-06-08_chuck-grassley-compares-tru", 2637, 2743),
        ("train/nyt_2016-06-09_ryan-calls-trump-line-racist-but", 131, 261),
        ("train/nyt_2016-06-09_ryan-calls-trump-line-racist-but", 5693, 5910),
        ("train/usa-today_2016-06-09_trump-tries-new-chapter-in-", 1859, 2071),
        ("train/huff-post_2016-06-08_chuck-grassley-compares-tru", 902, 1009),
    ]),
    ("Obama's Democratic convention speech on Clinton's qualifications", [
        ("train/breitbart_2016-07-27_obama-to-frame-election-as-", 892, 1048),
        ("train/west-journal_2016-07-28_obama-claims-hillary-mos", 276, 468),
        ("train/nyt_2016-07-29_obama-lays-out-stakes-for-a-divi", 3427, 3651),
        ("train/west-journal_2016-07-28_obama-claims-hillary-mos", 1218, 1353),
        ("train/breitbart_2016-07-27_obama-to-frame-election-as-", 1781, 1924),
    ]),
    ("Trump's remark inviting Russia to find Clinton's missing emails", [
        ("train/breitbart_2016-07-27_obama-to-frame-election-as-", 2234, 2327),
        ("train/huff-post_2016-07-31_clinton-says-russians-hacke", 1761, 1876),
        ("train/huff-post_2016-07-31_clinton-says-russians-hacke", 1877, 2116),
        ("train/wash-post_2016-08-01_snowden-wikileaks-clash-ove", 2634, 2689),
        ("train/wash-post_2016-08-01_snowden-wikileaks-clash-ove", 2082, 2239),
    ]),
    ("Trump and the re-election endorsements of Paul Ryan, John McCain and Kelly Ayotte (Aug 2016)", [
        ("train/west-journal_2016-08-03_pence-endorses-paul-ryan", 287, 496),
        ("train/west-journal_2016-08-03_pence-endorses-paul-ryan", 498, 589),
        ("train/huff-post_2016-08-05_donald-trump-finally-endors", 56, 232),
        ("train/huff-post_2016-08-05_donald-trump-finally-endors", 1282, 1363),
        ("train/politico_2016-08-08_inside-the-swing-state-trenc", 9984, 10191),
        ("train/huff-post_2016-08-03_francois-hollande-says-dona", 5317, 5440),
    ]),
    ("Trump's 'Second Amendment people' remark at a North Carolina rally", [
        ("train/breitbart_2016-08-10_secret-service-stops-protes", 911, 1071),
        ("train/usa-today_2016-08-10_nd-amendment-people-his-sec", 255, 420),
        ("train/usa-today_2016-08-10_nd-amendment-people-his-sec", 556, 709),
        ("train/west-journal_2016-08-11_reagan-s-daughter-makes-", 329, 458),
        ("train/west-journal_2016-08-11_reagan-s-daughter-makes-", 635, 704),
        ("train/usa-today_2016-08-16_millenials-aren-t-buying-tr", 331, 616),
    ]),
    ("Trump campaign shake-up: Bannon, Conway and Manafort's role (Aug 2016)", [
        ("train/nyt_2016-08-18_trump-hires-conservative-website", 772, 832),
        ("train/politico_2016-08-17_ap-trump-chair-routed-ukrain", 1105, 1214),
        ("train/huff-post_2016-08-17_the-unhappy-campaign-of-pau", 707, 798),
        ("train/nyt_2016-08-18_trump-hires-conservative-website", 968, 1111),
        ("train/nyt_2016-08-22_foundation-and-donors-complicate", 3674, 3857),
        ("train/politico_2016-08-17_ap-trump-chair-routed-ukrain", 1216, 1405),
    ]),
    ("Anthony Weiner's new sexting report and Huma Abedin (Aug 2016)", [
        ("train/huff-post_2016-08-29_anthony-weiner-reportedly-c", 214, 379),
        ("train/west-journal_2016-08-29_anthony-weiner-receives-", 149, 309),
        ("train/usa-today_2016-08-31_abedin-needs-to-get-out-of-", 690, 828),
        ("train/huff-post_2016-08-29_anthony-weiner-reportedly-c", 684, 822),
        ("train/west-journal_2016-08-29_anthony-weiner-receives-", 311, 502),
    ]),
    ("Clinton and the police shooting of Terence Crutcher in Tulsa (Sept 2016)", [
        ("dev/huff-post_2016-09-20_hillary-clinton-speaks-dire", 81, 283),
        ("train/west-journal_2016-09-21_chris-christie-calls-hil", 310, 491),
        ("dev/huff-post_2016-09-20_hillary-clinton-speaks-dire", 1116, 1258),
        ("train/west-journal_2016-09-21_chris-christie-calls-hil", 2702, 2812),
        ("train/wash-post_2016-09-25_phone-video-is-first-public", 7099, 7246),
    ]),
]


def load_meta() -> dict[str, dict]:
    meta = {}
    with open(POLNEAR / "metadata.tsv", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            if row["compartment"] in COMPARTMENTS:
                meta[row["compartment"] + "/" + row["filename"]] = row
    return meta


def read_text(article: str) -> str:
    compartment, name = article.split("/", 1)
    assert compartment in COMPARTMENTS, article
    return (POLNEAR / compartment / "text" / f"{name}.txt").read_text()


def resolve(prefix: str, meta: dict) -> str:
    """Map a (possibly shortened) article name to its unique train/dev article id."""
    name = prefix.split("/", 1)[1]
    hits = [a for a in meta if a.split("/", 1)[1].startswith(name)]
    if len(hits) != 1:
        raise SystemExit(f"article prefix {prefix!r} matches {hits}")
    return hits[0]


def build(meta: dict) -> list[dict]:
    rows, n = [], FIRST_ID
    groups = []
    for topic, spans in GROUPS:
        resolved = [(resolve(a, meta), s, e) for a, s, e in spans]
        first = min(meta[a]["publication_date"] for a, _, _ in resolved)
        groups.append((first, topic, resolved))
    groups.sort(key=lambda g: g[0])  # chronological by earliest statement (stable)
    for gi, (_, topic, spans) in enumerate(groups):
        gid = f"g{FIRST_GROUP + gi:02d}"
        for article, start, end in spans:
            text = read_text(article)[start:end]
            rows.append({
                "id": f"s{n:04d}", "group": gid, "group_topic": topic, "article": article,
                "publisher": meta[article]["publisher"],
                "published": meta[article]["publication_date"],
                "start": start, "end": end, "text": text,
            })
            n += 1
    return rows


ABBREV_END = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|St|Jr|Lt)|\b[A-Z]\.[A-Z])\.$")


def verify(rows: list[dict]) -> list[str]:
    problems = []
    r1 = [json.loads(line) for line in ROUND1.open()]
    ids = [r["id"] for r in rows]
    if len(ids) != len(set(ids)) or set(ids) & {r["id"] for r in r1}:
        problems.append("duplicate ids")
    by_group = collections.defaultdict(list)
    for r in rows:
        by_group[r["group"]].append(r)
        if r["article"].split("/")[0] not in COMPARTMENTS:
            problems.append(f"{r['id']}: not train/dev")
        if read_text(r["article"])[r["start"]:r["end"]] != r["text"]:
            problems.append(f"{r['id']}: text != file slice")
        if not 50 <= len(r["text"]) <= 400:
            problems.append(f"{r['id']}: length {len(r['text'])}")
        if ABBREV_END.search(r["text"]):
            problems.append(f"{r['id']}: ends on an abbreviation")
        for q in r1:
            if q["article"] == r["article"] and q["start"] < r["end"] and r["start"] < q["end"]:
                problems.append(f"{r['id']}: overlaps round-1 {q['id']}")
        for q in rows:
            if q is not r and q["article"] == r["article"] and q["start"] < r["end"] and r["start"] < q["end"]:
                problems.append(f"{r['id']}: overlaps {q['id']}")
    for gid, grp in by_group.items():
        pubs = {r["publisher"] for r in grp}
        if len(pubs) < 3:
            problems.append(f"{gid}: {len(pubs)} publishers")
        if not 4 <= len(grp) <= 7:
            problems.append(f"{gid}: {len(grp)} statements")
        per_article = collections.Counter(r["article"] for r in grp)
        if max(per_article.values()) > 2:
            problems.append(f"{gid}: >2 statements from one article")
        nums = [int(r["id"][1:]) for r in grp]
        if nums != list(range(nums[0], nums[0] + len(nums))):
            problems.append(f"{gid}: ids not contiguous")
    return problems


# ---------------------------------------------------------------- discovery (seed finding)
ABBR = r"(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Col|St|Jr|Sr|Rev|Prof|Sgt|Capt|Jan|Feb|Aug|Sept|Sep|Oct|Nov|Dec|No|vs|Ft|Mt|U\.S|U\.N|D\.C|U\.K|Inc|Co|Corp|Ltd|[A-Z])"
END = re.compile(r'[.!?]+["\u201d\u2019\')]*(?=\s+["\u201c\u2018(]?[A-Z0-9])')
STOP = set("the a an of to in and or for on at by with from as is was were be been are that this it its he she "
           "they his her their said says say would will not but have has had who which what when than also more "
           "about after into over could can just one two mr mrs ms i we you our us".split())


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Paragraph-wise regex splitter keeping offsets; does not split after common abbreviations."""
    out, pos = [], 0
    for para in text.split("\n"):
        start = 0
        for m in END.finditer(para):
            if m.group().startswith(".") and re.search(r'(?:^|[\s("\u201c])' + ABBR + r"\.$",
                                                     para[max(0, m.start() - 8):m.start() + 1]):
                continue
            seg = para[start:m.end()]
            out.append((pos + start + len(seg) - len(seg.lstrip()), pos + m.end()))
            start = m.end()
        seg = para[start:]
        if seg.strip():
            out.append((pos + start + len(seg) - len(seg.lstrip()), pos + len(para.rstrip())))
        pos += len(para) + 1
    return out


def discover(meta: dict, threshold: float = 0.35, days: int = 10) -> None:
    """Print sentence pairs from different publishers within `days` whose TF-IDF cosine >= threshold."""
    sents = []
    for a in meta:
        text = read_text(a)
        for k, (s, e) in enumerate(split_sentences(text)):
            if k and 50 <= e - s <= 400:
                sents.append((a, s, e, text[s:e]))
    toks = [{w for w in re.findall(r"[a-z0-9]+", x[3].lower()) if w not in STOP and len(w) > 1} for x in sents]
    df = collections.Counter(w for t in toks for w in t)
    n = len(sents)
    vecs = []
    for t in toks:
        v = {w: math.log(n / df[w]) for w in t if df[w] > 1}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        vecs.append({w: x / norm for w, x in v.items()})
    inv = collections.defaultdict(list)
    for i, v in enumerate(vecs):
        for w in v:
            if df[w] < 300:
                inv[w].append(i)
    date = [datetime.date.fromisoformat(meta[x[0]]["publication_date"]) for x in sents]
    for i, v in enumerate(vecs):
        acc = collections.Counter()
        for w, x in v.items():
            for j in inv.get(w, ()):
                if j > i:
                    acc[j] += x * vecs[j][w]
        for j, score in acc.items():
            a, b = sents[i], sents[j]
            if (score >= threshold and meta[a[0]]["publisher"] != meta[b[0]]["publisher"]
                    and abs((date[i] - date[j]).days) <= days and a[3].strip() != b[3].strip()):
                print(f"{score:.2f}\t{a[0]}\t{a[1]}\t{a[2]}\t{a[3]}\n\t{b[0]}\t{b[1]}\t{b[2]}\t{b[3]}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--discover", action="store_true", help="print candidate cross-outlet pairs and exit")
    args = ap.parse_args()
    if not POLNEAR.exists():
        print(f"PolNeAR not found at {POLNEAR}", file=sys.stderr)
        return 1
    meta = load_meta()
    if args.discover:
        discover(meta)
        return 0
    rows = build(meta)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    problems = verify(rows)
    groups = collections.Counter(r["group"] for r in rows)
    print(f"wrote {len(rows)} statements in {len(groups)} groups to {OUT.relative_to(ROOT)}")
    print("statements per publisher:", dict(collections.Counter(r["publisher"] for r in rows).most_common()))
    print("problems:", problems or "none")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
