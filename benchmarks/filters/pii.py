"""PII detection (pii_v1): recall and precision on a labelled public set, false masks on prose.

The labelled set
  Microsoft Presidio's `synth_dataset_v2.json` (presidio-research, MIT licence): 1,500 synthetic
  sentences from Presidio's templates filled with Faker and FakeNameGenerator values, each PII
  span labelled with its entity type and offsets. It ships in the PyPI source distribution of
  presidio-evaluator (data/synth_dataset_v2.json); this script fetches it once with
  `pip download --no-deps --no-binary :all: presidio-evaluator==0.3.2` into the cache
  ($DOLMAKIT_CACHE, default ~/.cache/dolmakit). Nobody on this project wrote it.
  Kinds: EMAIL_ADDRESS, PHONE_NUMBER, IP_ADDRESS, CREDIT_CARD, IBAN_CODE map to pii_v1's
  email_address, phone_number, ip_address, credit_card_number, iban.

The held-out phone set
  The labelled set's phone numbers come from Faker. As a second look at phones, in formats not
  used to write the phone shapes (only its false positives were looked at: postcodes, now
  refused): the 3,000 telephone numbers of FakeNameGenerator.com_3000.csv
  (national formats of 31 countries, shipped in the same package for Presidio's generator), each
  put into one of Presidio's own phone templates (raw_data/templates.txt, in turn) with the same
  record's other fields, as Presidio's generator does. The filling is this script's; the values
  and the sentences are Presidio's.

What it measures
  - recall per kind: a labelled span counts as found when a span of the same kind overlaps it
    (and, separately, when the boundaries match exactly);
  - precision per kind: a found span counts as right when it overlaps a labelled span of its
    kind; the others are listed with what the set labels there (US_SSN, DATE_TIME, ...);
  - false masks on clean prose: every span found in the State of the Union addresses and the
    Brown corpus (dolmakit.io.corpora, public domain), per 100,000 words, each one listed;
  - throughput of the detector on that prose, MB/s on one core.

Goals (the issue): recall >= 0.98 for emails and IP addresses, >= 0.9 for phone and card
numbers; at most 1 false mask per 100,000 words of prose.

Run: .venv/bin/python -m benchmarks.filters.pii   (--misses to list every missed labelled span)
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import Counter
from pathlib import Path

from dolmakit.io.corpora import cache_dir, texts
from dolmakit.text.pii_kinds import KINDS, PiiDetector

PACKAGE, VERSION = "presidio-evaluator", "0.3.2"
ROOT = f"presidio_evaluator-{VERSION}"
MEMBERS = {  # what is taken from the source distribution
    "synth_dataset_v2.json": f"{ROOT}/data/synth_dataset_v2.json",
    "FakeNameGenerator.com_3000.csv": f"{ROOT}/presidio_evaluator/data_generator/raw_data/"
    "FakeNameGenerator.com_3000.csv",
    "templates.txt": f"{ROOT}/presidio_evaluator/data_generator/raw_data/templates.txt",
    "LICENSE": f"{ROOT}/LICENSE",
}
LABELS = {
    "EMAIL_ADDRESS": "email_address",
    "PHONE_NUMBER": "phone_number",
    "IP_ADDRESS": "ip_address",
    "CREDIT_CARD": "credit_card_number",
    "IBAN_CODE": "iban",
}
RECALL_GOALS = {
    "email_address": 0.98,
    "ip_address": 0.98,
    "phone_number": 0.9,
    "credit_card_number": 0.9,
    "iban": None,
}
PROSE_GOAL = 1.0  # false masks per 100,000 words


def presidio_files() -> Path:
    """The folder holding MEMBERS, fetched from PyPI with pip on first use."""
    folder = cache_dir() / "pii-bench" / f"{PACKAGE}-{VERSION}"
    if all((folder / name).is_file() for name in MEMBERS):
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        pip = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps"]
        pip += ["--no-binary", ":all:", "-d", scratch, f"{PACKAGE}=={VERSION}"]
        subprocess.run(pip, check=True)
        with tarfile.open(next(Path(scratch).glob("*.tar.gz"))) as archive:
            for name, member in MEMBERS.items():
                (folder / name).write_bytes(archive.extractfile(member).read())
    return folder


def presidio_set(folder: Path) -> list[dict]:
    """Presidio's labelled sentences: full_text and spans (entity_type, start/end_position)."""
    return json.loads((folder / "synth_dataset_v2.json").read_text(encoding="utf-8"))


def held_out_phones(folder: Path) -> list[dict]:
    """FakeNameGenerator's telephone numbers in Presidio's phone templates, labelled alike."""
    text = (folder / "FakeNameGenerator.com_3000.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    lines = (folder / "templates.txt").read_text(encoding="utf-8").splitlines()
    templates = [line.replace("\\n", "\n") for line in lines if "{{phone_number}}" in line]
    records = []
    for i, row in enumerate(rows):
        phones = (rows[(i + k) % len(rows)]["TelephoneNumber"] for k in range(3))
        records.append(_fill(templates[i % len(templates)], row, phones))
    return records


def _fill(template: str, row: dict[str, str], phones) -> dict:
    street = row["StreetAddress"]
    values = {
        "name": f"{row['GivenName']} {row['Surname']}",
        "first_name": row["GivenName"],
        "organization": row["Company"],
        "address": f"{street}\n{row['City']} {row['ZipCode']}",
        "building_number": street.split(" ", 1)[0],
        "street_name": street.split(" ", 1)[-1],
        "secondary_address": "",
        "city": row["City"],
        "country": row["CountryFull"],
        "postcode": row["ZipCode"],
        "date_time": row["Birthday"],
        "job": row["Occupation"],
        "email": row["EmailAddress"],
        "url": row["Domain"],
    }
    values["person"] = values["name"]
    text, spans = "", []
    for piece in re.split(r"(\{\{\w+\}\})", template):
        key = piece.strip("{}") if piece.startswith("{{") else None
        value = next(phones) if key == "phone_number" else values.get(key, piece)
        if key in ("phone_number", "email"):
            kind = "PHONE_NUMBER" if key == "phone_number" else "EMAIL_ADDRESS"
            spans.append(
                {
                    "entity_type": kind,
                    "start_position": len(text),
                    "end_position": len(text) + len(value),
                }
            )
        text += value
    return {"full_text": text, "spans": spans}


def _count_predictions(
    text: str, gold: list, spans: dict, right: Counter, predicted: Counter, wrong: list
) -> None:
    """Counts each predicted span, and whether a labelled span of its kind overlaps it."""
    for kind, kind_spans in spans.items():
        for s, e, _ in kind_spans:
            predicted[kind] += 1
            labels = [g for g in gold if g[1] < e and s < g[2]]
            if any(g[0] == kind for g in labels):
                right[kind] += 1
            else:
                wrong.append((kind, text[s:e], ",".join(g[0] for g in labels) or "nothing"))


def evaluate(detector: PiiDetector, title: str, records: list[dict], show_misses: bool) -> bool:
    found_any, found_exact, gold_total = Counter(), Counter(), Counter()
    right, predicted, wrong, misses = Counter(), Counter(), [], []
    for record in records:
        text = record["full_text"]
        gold = [
            (LABELS.get(s["entity_type"], s["entity_type"]), s["start_position"], s["end_position"])
            for s in record["spans"]
        ]
        spans = detector.find(text)
        for kind, start, end in gold:
            if kind not in KINDS:
                continue
            gold_total[kind] += 1
            hits = [(s, e) for s, e, _ in spans[kind] if s < end and start < e]
            found_any[kind] += bool(hits)
            found_exact[kind] += (start, end) in hits
            if not hits:
                misses.append((kind, text[start:end], _around(text, start, end)))
        _count_predictions(text, gold, spans, right, predicted, wrong)
    print(f"{title}, {len(records)} sentences")
    print(
        f"{'kind':20} {'labelled':>8} {'found':>6} {'recall':>7} {'exact':>6} {'goal':>6}"
        f" {'predicted':>9} {'precision':>9}"
    )
    ok = True
    for kind in [kind for kind in KINDS if gold_total[kind]]:
        n, goal = gold_total[kind], RECALL_GOALS[kind]
        recall = found_any[kind] / n if n else float("nan")
        exact = found_exact[kind] / n if n else float("nan")
        precision = right[kind] / predicted[kind] if predicted[kind] else float("nan")
        verdict = "" if goal is None else ("ok" if recall >= goal else "MISSED")
        ok &= goal is None or recall >= goal
        print(
            f"{kind:20} {n:8d} {found_any[kind]:6d} {recall:7.3f} {exact:6.3f} "
            f"{goal or '-':>6} {predicted[kind]:9d} {precision:9.3f} {verdict}"
        )
    print(f"spans found where the set labels no span of that kind ({len(wrong)}):")
    for kind, value, label in wrong:
        print(f"  {kind:20} {value!r:40} labelled there: {label}")
    print(f"missed labelled spans: {len(misses)}")
    for kind, value, context in misses if show_misses else []:
        print(f"  {kind:20} {value!r:32} in {context!r}")
    return ok


def prose(detector: PiiDetector) -> bool:
    words, chars, seconds, false_masks = 0, 0, 0.0, []
    for corpus in ("sotu", "brown"):
        for doc_id, text in texts(corpus):
            words += len(text.split())
            chars += len(text.encode("utf-8"))
            began = time.perf_counter()
            spans = detector.find(text)
            seconds += time.perf_counter() - began
            for kind, kind_spans in spans.items():
                false_masks += [
                    (corpus, doc_id, kind, text[s:e], _around(text, s, e)) for s, e, _ in kind_spans
                ]
    rate = len(false_masks) / words * 100_000
    verdict = "ok" if rate <= PROSE_GOAL else "MISSED"
    print(
        f"clean prose: sotu + brown, {words:,} words, {chars / 1e6:.1f} MB: "
        f"{len(false_masks)} false masks = {rate:.2f} per 100,000 words "
        f"(goal <= {PROSE_GOAL}) {verdict}"
    )
    for corpus, doc_id, kind, value, context in false_masks:
        print(f"  {corpus}/{doc_id}: {kind} {value!r} in {context!r}")
    print(f"detector throughput on that prose: {chars / 1e6 / seconds:.1f} MB/s (one core)")
    return rate <= PROSE_GOAL


def _around(text: str, start: int, end: int, width: int = 40) -> str:
    return text[max(0, start - width) : end + width].replace("\n", " ")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--misses", action="store_true", help="list every missed labelled span")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores\n")
    detector, folder = PiiDetector(), presidio_files()
    source = f"{PACKAGE} {VERSION} sdist, MIT licence"
    ok = evaluate(
        detector,
        f"labelled set: Presidio synth_dataset_v2.json ({source})",
        presidio_set(folder),
        args.misses,
    )
    print()
    ok &= evaluate(
        detector,
        f"held-out phones: FakeNameGenerator.com_3000.csv in Presidio's phone templates ({source})",
        held_out_phones(folder),
        args.misses,
    )
    print()
    ok &= prose(detector)
    print("\nall goals met" if ok else "\nsome goals missed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
