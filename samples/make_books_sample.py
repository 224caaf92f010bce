"""Build ``samples/books/``: four short invented books in Project Gutenberg's plain-text layout.

Every book, title, author and licence line here was written for this sample (the prose is drawn
from this script's own word and sentence lists with a fixed seed); nothing is copied from Project
Gutenberg, and the EBook numbers (11001-11004) and names are made up. The files:

- ``11001-0.txt``: English, UTF-8, a modern header ("*** START OF THE PROJECT GUTENBERG EBOOK")
  with a "Produced by" credits paragraph and a modern footer;
- ``11002-0.zip``: holds ``11002-0.txt``, a later edition of 11001: another header (the 2000s
  "*** START OF THIS PROJECT GUTENBERG EBOOK" style, another date and number, "End of the
  Project Gutenberg EBook of" footer) and 30 words of the text changed: a near duplicate;
- ``ivory10.txt``: another English book with a 1990s header ("*END*THE SMALL PRINT!") and an
  "End of Project Gutenberg's Etext of" footer, sharing its transcriber's note with 11001;
- ``11004-8.txt``: French, ISO-8859-1 bytes, "Character set encoding: ISO-8859-1" in its header.

Deterministic: seeded generators, CRLF line ends as Gutenberg's files have, a fixed zip date.
Regenerate with::

    python samples/make_books_sample.py
"""

from __future__ import annotations

import random
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent / "books"
NOTE = (
    "TRANSCRIBER'S NOTE: Obvious printing errors have been corrected silently. Spelling and "
    "hyphenation that vary within the book have been kept as the author wrote them. The "
    "chapter headings have been made consistent with the table of contents, and the few "
    "illustrations of the printed edition are not part of this text."
)
ENGLISH = {
    "who": ["the keeper", "his daughter Maren", "the old pilot", "the schoolmaster",
            "a fisherman from the north cove", "the widow Tamsin", "the harbour master",
            "a stranger in a grey coat", "the boy who sold herring", "the lamp inspector"],
    "did": ["climbed the winding stair", "trimmed the great wick", "counted the passing ships",
            "wrote a long letter to the mainland", "mended the torn storm flag",
            "watched the weather turn", "rowed out beyond the reef", "carried oil up the rock",
            "read aloud from the almanac", "listened to the foghorn"],
    "when": ["before the first grey light", "when the tide was at its lowest",
             "after the supper bell", "in the week of the spring gales",
             "while the gulls were quarrelling", "as the lamp was lit", "on the coldest night",
             "long after the village slept", "at the turn of the year", "in a sudden calm"],
    "where": ["on the seaward gallery", "below the lamp room", "by the boat slip",
              "in the kitchen under the tower", "at the edge of the north reef",
              "beside the coal shed", "on the path to the chapel", "near the signal mast",
              "in the narrow store room", "out on the breakwater", "behind the rain barrels"],
    "then": ["and nobody spoke of it again", "though the wind tore at the shutters",
             "and the sea answered with a long grey swell", "because the ledger demanded it",
             "as his father had done for forty years", "and the whole island seemed to wait",
             "with a patience that surprised everyone", "and the light held steady"],
}  # fmt: skip
IVORY = {
    "who": ["the carver Osric", "the merchant's clerk", "a blind lute player", "the abbess",
            "young Wendeline", "the toll collector", "the apothecary's apprentice",
            "a company of pilgrims", "the bishop's cook", "the ferryman's wife"],
    "did": ["polished the ivory lantern", "bargained over a bolt of blue cloth",
            "hid the silver key under a loose stone", "sang at the gate of the priory",
            "crossed the frozen marsh", "ground bitter roots into powder",
            "copied a psalter by candlelight", "argued with the guild about the price of wax",
            "buried the letters in the orchard", "followed the pilgrim road south"],
    "when": ["at vespers", "on the feast of Saint Blaise", "during the long dry summer",
             "in the hour before the market opened", "after the plague had passed",
             "when the river froze from bank to bank", "in the third year of the drought",
             "beneath a sky the colour of pewter", "on the eve of the great fair"],
    "where": ["in the cloister", "beside the salt warehouse", "under the bridge of nine arches",
              "in the carvers' lane", "at the edge of the marsh", "by the chapter house",
              "behind the tannery", "on the causeway", "in a room above the inn"],
    "then": ["yet the lantern never dimmed", "and the town remembered it for a generation",
             "for the guild forgave nothing", "although the abbess had forbidden it",
             "and the bells rang without a hand to pull them", "as the old songs foretold",
             "while the ivory glowed like a banked fire", "and no one asked why"],
}  # fmt: skip
FRENCH = {
    "who": ["le meunier", "la vieille Hélène", "le curé du village", "l'instituteur",
            "un colporteur venu de Lyon", "la fille du forgeron", "le garde champêtre",
            "les enfants de l'école", "le maître de poste", "une voyageuse élégante"],
    "did": ["traversa la rivière à gué", "répara la roue du moulin",
            "écrivit une lettre à sa cousine",
            "vendit ses fromages au marché", "ramassa des châtaignes dans la forêt",
            "écouta le chant des grillons", "ferma les volets de la maison",
            "compta les pièces dans la boîte de fer", "monta au clocher de l'église",
            "prépara une soupe aux poireaux"],
    "when": ["avant l'aube", "à la fin de l'été", "pendant la fête du village",
             "après la grande crue", "au début de l'hiver", "à l'heure où le soleil se couche",
             "le jour du marché", "pendant que la neige tombait", "au printemps suivant"],
    "where": ["près du lavoir", "sur la place de l'église", "derrière la grange",
              "au bord de la rivière", "dans la cuisine de l'auberge", "sous le vieux tilleul",
              "au fond du jardin", "devant la mairie"],
    "then": ["et personne n'en parla plus", "malgré la pluie qui tombait à verse",
             "comme son père l'avait fait avant lui", "sans que le village s'en aperçût",
             "et la vallée entière sembla retenir son souffle", "car il le fallait bien",
             "avec une patience étonnante", "et le moulin tourna de nouveau"],
}  # fmt: skip
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"]


def sentence(rng: random.Random, words: dict[str, list[str]]) -> str:
    parts = [rng.choice(words["when"]).capitalize(), rng.choice(words["who"]),
             rng.choice(words["did"])]  # fmt: skip
    if rng.random() < 0.7:
        parts.append(rng.choice(words["where"]))
    if rng.random() < 0.6:
        parts.append(rng.choice(words["then"]))
    return f"{parts[0]}, {' '.join(parts[1:])}."


def paragraph(rng: random.Random, words: dict[str, list[str]]) -> list[str]:
    """3 to 6 sentences, wrapped as Gutenberg's texts are."""
    return wrap(" ".join(sentence(rng, words) for _ in range(rng.randint(3, 6))))


def body(seed: int, words: dict[str, list[str]], heading: str, chapters: int) -> list[str]:
    rng = random.Random(seed)
    lines: list[str] = []
    for number in ROMAN[:chapters]:
        lines += ["", "", f"{heading} {number}.", ""]
        for _ in range(6):
            lines += [*paragraph(rng, words), ""]
    return lines


def almanac() -> list[str]:
    return ["THE LIGHTHOUSE KEEPER'S ALMANAC", "", "by Agatha Pennyworth", "", "",
            *wrap(NOTE),
            *body(11001, ENGLISH, "CHAPTER", 6), "", "THE END"]  # fmt: skip


def wrap(text: str, width: int = 72) -> list[str]:
    """Lines of at most `width` columns (Gutenberg wraps at 70 to 75)."""
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line]


def edited(lines: list[str], changes: int, seed: int) -> list[str]:
    """A later edition: `changes` words replaced across the body (spelling modernized, a few
    words an editor preferred), the same everywhere else."""
    rng, lines = random.Random(seed), list(lines)
    swaps = {"grey": "gray", "harbour": "harbor", "the": "that", "and": "so", "a": "one"}
    candidates = [(i, j) for i, line in enumerate(lines) if len(line) > 40
                  for j, word in enumerate(line.split()) if word in swaps]  # fmt: skip
    for i, j in sorted(rng.sample(candidates, changes)):
        words = lines[i].split()
        words[j] = swaps[words[j]]
        lines[i] = " ".join(words)
    return lines


def modern(title: str, author: str, number: int, date: str, language: str, charset: str,
           producer: str, book: list[str]) -> list[str]:  # fmt: skip
    upper = title.upper()
    return [
        f"The Project Gutenberg eBook of {title}, by {author}", "",
        "This eBook is for the use of readers everywhere in this invented sample. It is a",
        "stand-in for the licence paragraph of a real Project Gutenberg file.", "",
        f"Title: {title}", "", f"Author: {author}", "", f"Release Date: {date} [eBook #{number}]",
        "", f"Language: {language}", "", f"Character set encoding: {charset}", "",
        f"*** START OF THE PROJECT GUTENBERG EBOOK {upper} ***", "", "", "",
        f"Produced by {producer}", "and the Sample Proofreading Team.", "", "", *book, "", "", "",
        f"*** END OF THE PROJECT GUTENBERG EBOOK {upper} ***", "",
        "Updated editions of this invented sample replace the previous one. This paragraph",
        "stands in for the full licence at the end of a real Project Gutenberg file.", "",
    ]  # fmt: skip


def two_thousands(title: str, author: str, number: int, date: str, book: list[str]) -> list[str]:
    upper = title.upper()
    return [
        f"The Project Gutenberg EBook of {title}, by {author}", "",
        "This eBook is for the use of anyone reading this invented sample; the words here",
        "only stand in for the licence of a real file of the 2000s.", "", "",
        f"Title: {title}", "", f"Author: {author}", "", f"Release Date: {date} [EBook #{number}]",
        "", "Language: English", "", "", f"*** START OF THIS PROJECT GUTENBERG EBOOK {upper} ***",
        "", "", "", "Produced by R. Quillfeather", "", "", "", *book, "", "", "", "",
        f"End of the Project Gutenberg EBook of {title}, by {author}", "",
        f"*** END OF THIS PROJECT GUTENBERG EBOOK {upper} ***", "",
        "This short paragraph stands in for the licence that ends a real file.", "",
    ]  # fmt: skip


def nineties(book: list[str]) -> list[str]:
    small_print = [wrap(paragraph_text) for paragraph_text in (
        "Read these lines before the story: they say who may copy this invented sample file "
        "and how. Keep them with the file when you pass it on to a friend.",
        "These invented lines stand in for the several pages of small print that opened the "
        "etexts of the nineties: the warranty, the disclaimer and the address to write to.",
    )]  # fmt: skip
    return [
        "**The Project Gutenberg Etext of The Ivory Lantern, by Mildred Ashcombe**",
        "#4 in our series by Mildred Ashcombe", "",
        "Check the copyright rules of your own country before sharing this sample file.", "",
        "The Ivory Lantern", "", "by Mildred Ashcombe", "", "August, 1998  [Etext #11003]", "",
        *small_print[0], "", *small_print[1], "",
        "*END*THE SMALL PRINT! FOR PUBLIC DOMAIN ETEXTS*Ver.04.29.93*END*", "", "", "",
        "This etext was prepared by Tobias Wren, a sample volunteer.", "", "", *book, "", "",
        "End of Project Gutenberg's Etext of The Ivory Lantern, by Mildred Ashcombe", "",
    ]  # fmt: skip


def write_text(path: Path, lines: list[str], encoding: str) -> bytes:
    data = "".join(line + "\r\n" for line in lines).encode(encoding)
    path.write_bytes(data)
    return data


def main() -> None:
    HERE.mkdir(parents=True, exist_ok=True)
    title, author = "The Lighthouse Keeper's Almanac", "Agatha Pennyworth"
    first = almanac()
    write_text(HERE / "11001-0.txt", modern(title, author, 11001, "March 3, 2004", "English",
               "UTF-8", "Hester Lumley", first), "utf-8")  # fmt: skip
    second = "".join(line + "\r\n" for line in two_thousands(
        title, author, 11002, "November 12, 2010", edited(first, 30, 7)))  # fmt: skip
    member = zipfile.ZipInfo("11002-0.txt", date_time=(2010, 11, 12, 0, 0, 0))
    member.compress_type = zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(HERE / "11002-0.zip", "w") as archive:
        archive.writestr(member, second.encode("utf-8"))
    ivory = ["THE IVORY LANTERN", "", "A TALE OF THE MARSH TOWNS", "", "", *wrap(NOTE),
             *body(11003, IVORY, "CHAPTER", 5), "", "FINIS"]  # fmt: skip
    write_text(HERE / "ivory10.txt", nineties(ivory), "ascii")
    moulin = ["LE MOULIN DE LA VALLÉE", "", "par Honorine Delacroix", "",
              *body(11004, FRENCH, "CHAPITRE", 4), "", "FIN"]  # fmt: skip
    write_text(HERE / "11004-8.txt", modern("Le Moulin de la Vallée", "Honorine Delacroix",
               11004, "June 21, 2005", "French", "ISO-8859-1", "Lucien Barbet", moulin),
               "latin-1")  # fmt: skip


if __name__ == "__main__":
    main()
