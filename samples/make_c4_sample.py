"""Build ``samples/c4/c4-train.0000{0,1}-of-00002.json.gz``: two small C4-format shards.

C4 as released (allenai/c4, ``en/c4-train.00000-of-01024.json.gz``) is gzip-compressed JSON
lines with three fields, ``text``, ``url`` and ``timestamp``, in that order, written with
``ensure_ascii`` off. These two shards have the same layout; every page was written for this
sample (nothing comes from C4 or the web) and every domain is fictitious (``*.example``,
``*.test``). The pages are chosen to exercise pipelines/c4.yaml: a line C4 drops for
"javascript", a policy line, navigation lines without an end mark, a "lorem ipsum" page, a page
with a curly bracket, one with too few sentences, a German and a French page, an exact
duplicate and a near duplicate across the two shards, a line repeated across pages, an e-mail
address to mask, and one malformed JSON line. samples/c4/README.md lists each page's fate.

The output is byte-for-byte deterministic (gzip with mtime 0 and no file name). Regenerate with::

    python samples/make_c4_sample.py
"""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent / "c4"
SIGN_OFF = "Thanks for reading, and see you at the Saturday market next week."

# (url, timestamp, text) per shard; the notes say what each page is for
SHARD_0 = [
    # a plain English page: kept as it is
    (
        "https://www.greenfinch-gardens.example/advice/winter-compost",
        "2019-04-18T09:12:44Z",
        "Winter is the best time to start a new compost heap in a small garden.\n"
        "Collect fallen leaves in autumn and store them in a dry corner until you need them.\n"
        "Mix one part of green kitchen waste with two parts of brown leaves and twigs.\n"
        "Turn the heap every three weeks so that air reaches the middle of the pile.\n"
        "By late spring the heap will have shrunk to half its height and smell of forest soil.\n"
        + SIGN_OFF,
    ),
    # the tricky page: a javascript line, a policy line, menu lines and a citation marker
    (
        "https://www.spokes-and-gravel.example/blog/riding-through-winter",
        "2019-04-20T17:03:09Z",
        "Home | Blog | Routes | Contact\n"
        "Riding through winter\n"
        "Cold mornings are no reason to leave the bicycle in the shed until March.\n"
        "Please enable JavaScript in your browser to see the route map below.\n"
        "Wide tyres at lower pressure give far more grip on wet and frozen roads.[1]\n"
        "Wear thin layers rather than one thick coat, and keep your fingers warm.\n"
        "This website uses cookies to give you the best riding experience.\n"
        "Lights are not optional when the sun sets before five in the afternoon.\n"
        "Share this post...\n"
        "Posted in Winter, Gear",
    ),
    # "lorem ipsum" in a line that survives the line rules: C4 drops the whole page
    (
        "https://www.northwind-outdoor.example/blog/new-tent-range",
        "2019-04-21T08:45:00Z",
        "Our new range of tents arrives in the shop at the end of the month.\n"
        "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.\n"
        "Every tent comes with a repair kit and a spare set of aluminium pegs.\n"
        "Visit the shop to see the tents pitched in our showroom before you buy.",
    ),
    # German: removed by the language filter
    (
        "https://www.wanderfreunde.example/touren/muehlenweg",
        "2019-04-22T06:30:12Z",
        "Der Mühlenweg führt in drei Stunden durch das stille Tal der alten Mühlen.\n"
        "Am Parkplatz beginnt der Weg und folgt dem Bach bis zur ersten Wassermühle.\n"
        "Im Herbst leuchten die Buchenwälder am Hang in allen Farben zwischen Gelb und Rot.\n"
        "Festes Schuhwerk ist nach Regentagen unbedingt zu empfehlen, weil der Weg matschig ist.",
    ),
    # the original of a syndicated story (its near duplicate is in shard 1)
    (
        "https://www.riverside-gazette.example/news/library-reopens",
        "2019-04-15T11:00:00Z",
        "The Riverside public library reopened on Saturday after eighteen months of repairs.\n"
        "Workers replaced the leaking roof, rebuilt the reading room and added a lift.\n"
        "The children's corner now has twice as many books and a small puppet theatre.\n"
        "Librarians said more than four hundred visitors came through the doors on the first day.\n"
        "The library is open every day except Monday from nine in the morning until seven.\n"
        "Anyone who returns an overdue book this month will not have to pay a fine.",
    ),
    # only menu lines: no line passes C4's rules
    (
        "https://www.cityguide-portal.example/useful-links",
        "2019-04-23T13:13:13Z",
        "Useful links\nBus timetables\nParking\nCity council\nWeather\nContact us",
    ),
    # an e-mail address: masked by pii_mask_v1
    (
        "https://www.riverside-bakery.example/contact",
        "2019-04-24T10:20:30Z",
        "We bake bread, rolls and cakes every morning except on public holidays.\n"
        "Orders for birthday cakes need to reach us at least three days in advance.\n"
        "Write to orders@riverside-bakery.example with the date and the size you want.\n"
        "Our shop on Mill Street opens at seven and closes when the bread is gone.\n" + SIGN_OFF,
    ),
]

SHARD_1 = [
    # an exact copy of shard 0's first page under another URL, crawled later
    ("https://mirror.garden-digest.test/winter-compost", "2019-04-25T09:12:44Z", SHARD_0[0][2]),
    # near duplicate of shard 0's library story, re-wrapped by the syndicating site (two
    # sentences a line, so line_dedup finds no equal line) with one word changed
    (
        "https://www.valley-news.test/local/riverside-library",
        "2019-04-16T07:30:00Z",
        "The Riverside public library reopened on Saturday after eighteen months of repairs. "
        "Workers replaced the leaking roof, rebuilt the reading room and added a lift.\n"
        "The children's corner now has twice as many books and a little puppet theatre. "
        "Librarians said more than four hundred visitors came through the doors on the first day.\n"
        "The library is open every day except Monday from nine in the morning until seven. "
        "Anyone who returns an overdue book this month will not have to pay a fine.",
    ),
    # French: removed by the language filter
    (
        "https://www.carnet-de-village.example/marche-du-samedi",
        "2019-04-19T05:55:00Z",
        "Le marché du samedi rassemble une trentaine de producteurs sur la place de l'église.\n"
        "On y trouve des fromages de chèvre, du miel de montagne et des légumes de saison.\n"
        "Les habitants viennent tôt le matin pour choisir les plus belles tomates du jour.\n"
        "À midi, les marchands rangent leurs étals et la place retrouve son calme habituel.",
    ),
    # a curly bracket in a kept line: C4 drops the page (code, templates)
    (
        "https://devnotes.test/posts/config-files",
        "2019-04-26T12:00:00Z",
        "Configuration files are easier to review when every setting has a comment.\n"
        'Write the default value next to each key, as in {"retries": 3} for the client.\n'
        "Keep secrets out of the file and read them from the environment instead.\n"
        "Review the file like code, because a wrong setting breaks a service just as well.",
    ),
    # two sentences: fewer than C4's three
    (
        "https://www.backyard-skies.test/notes/saturn",
        "2019-04-27T21:40:00Z",
        "Saturn rises late in the evening this month, low in the south-east sky.\n"
        "A small telescope at forty times magnification already shows its rings clearly.",
    ),
    # shares the market sign-off line with shard 0: line_dedup drops it here
    (
        "https://www.riverside-kitchen.example/recipes/white-beans",
        "2019-04-28T15:15:15Z",
        "Soak the white beans overnight in plenty of cold water with a pinch of salt.\n"
        "Drain them, cover with fresh water and simmer gently with a bay leaf for an hour.\n"
        "Add sliced onions, garlic and a generous glass of olive oil halfway through.\n"
        "Serve the beans warm with toasted bread and a handful of chopped parsley.\n" + SIGN_OFF,
    ),
]
# a record cut in the middle: the reader reports it and goes on with the next line
BROKEN_LINE = '{"text": "This record was cut off in the middle of its text'
BROKEN_AFTER = 2  # in shard 1, after this many records


def json_line(url: str, timestamp: str, text: str) -> str:
    return json.dumps({"text": text, "url": url, "timestamp": timestamp}, ensure_ascii=False)


def write_shard(path: Path, lines: list[str]) -> None:
    buffer = io.BytesIO()
    # mtime 0 and an empty name: the bytes depend on the content only
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0) as stream:
        stream.write("".join(line + "\n" for line in lines).encode("utf-8"))
    path.write_bytes(buffer.getvalue())


def main() -> None:
    HERE.mkdir(parents=True, exist_ok=True)
    first = [json_line(*page) for page in SHARD_0]
    second = [json_line(*page) for page in SHARD_1]
    second.insert(BROKEN_AFTER, BROKEN_LINE)
    write_shard(HERE / "c4-train.00000-of-00002.json.gz", first)
    write_shard(HERE / "c4-train.00001-of-00002.json.gz", second)


if __name__ == "__main__":
    main()
