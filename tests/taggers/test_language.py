"""language_id_v1 on literal documents, odd inputs and bad model files."""

from __future__ import annotations

import pickle
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dolmakit.core.document import Document
from dolmakit.core.errors import ConfigError
from dolmakit.engine.config import resolve
from dolmakit.fasttext_models.fasttext import resolve_model
from dolmakit.taggers.language import LanguageId, LanguageIdConfig

DOCS = {
    "en": "The library on Mill Street reopens on Monday after a year of repairs to its roof and "
    "its old reading room.",
    "de": "Die Bibliothek in der Mühlenstraße öffnet am Montag wieder, nachdem das Dach ein Jahr "
    "lang repariert wurde.",
    "fr": "La bibliothèque de la rue du Moulin rouvre lundi après une année de travaux sur sa "
    "toiture et sa salle de lecture.",
    "es": "La biblioteca de la calle del Molino vuelve a abrir el lunes después de un año de obras "
    "en el tejado.",
    "it": "La biblioteca di via del Mulino riapre lunedì dopo un anno di lavori al tetto e alla "
    "vecchia sala di lettura.",
    "nl": "De bibliotheek in de Molenstraat gaat maandag weer open na een jaar van herstelwerk aan "
    "het dak en de leeszaal.",
    "pl": "Biblioteka przy ulicy Młyńskiej zostanie ponownie otwarta w poniedziałek po roku "
    "remontu dachu i czytelni.",
    "ru": "Библиотека на Мельничной улице снова откроется в понедельник после года ремонта крыши "
    "и старого читального зала.",
    "zh": "磨坊街的图书馆在屋顶和旧阅览室经过一年的维修之后，将于星期一重新开放。",
    "ja": "水車通りの図書館は、屋根と古い閲覧室の一年にわたる修理を終えて、月曜日に再開します。",
    "ar": "تعيد مكتبة شارع الطاحونة فتح أبوابها يوم الاثنين بعد عام من إصلاح السقف وقاعة المطالعة "
    "القديمة.",
    "ko": "방앗간 거리의 도서관은 지붕과 오래된 열람실을 일 년 동안 수리한 뒤 "
    "월요일에 다시 문을 엽니다.",
}


@pytest.fixture(scope="module")
def tagger() -> LanguageId:
    return LanguageId("language_id_v1", LanguageIdConfig())


@pytest.fixture(scope="module")
def paragraph_tagger() -> LanguageId:
    return LanguageId("language_id_v1", LanguageIdConfig(mode="paragraph"))


def doc(text: str) -> Document:
    return Document(id="d", text=text, source="s")


def scores(step: LanguageId, text: str) -> dict[str, float]:
    """Document-level scores by language, checking every one is a whole-document span."""
    attributes = step.process(doc(text)).attributes
    prefix = f"{step.name}__"
    assert all(key.startswith(prefix) for key in attributes)
    whole = {
        key.removeprefix(prefix): spans
        for key, spans in attributes.items()
        if not key.startswith(prefix + "paragraph_")
    }
    assert all(spans == [[0, len(text), spans[0][2]]] for spans in whole.values())
    return {lang: spans[0][2] for lang, spans in whole.items()}


@pytest.mark.parametrize("language", sorted(DOCS))
def test_top_language_of_literal_documents(tagger, language):
    found = scores(tagger, DOCS[language])
    top = max(found, key=found.__getitem__)
    assert top == language
    assert found[top] > 0.7


def test_top_k_languages_best_first_and_counted(tagger):
    step = LanguageId("lid", LanguageIdConfig(top_k=5))
    found = scores(step, DOCS["nl"])
    assert len(found) == 5 and list(found)[0] == "nl"
    assert list(found.values()) == sorted(found.values(), reverse=True)
    assert all(0.0 < score <= 1.0 for score in found.values())
    step.process(doc(DOCS["de"]))
    assert step.stats == {"language/nl": 1, "language/de": 1}


def test_min_score_drops_unlikely_languages():
    step = LanguageId("language_id_v1", LanguageIdConfig(top_k=3, min_score=0.1))
    assert list(scores(step, DOCS["de"])) == ["de"]


def test_newlines_are_spaces_to_fasttext(tagger):
    lines = DOCS["fr"].replace(", ", ",\n").replace(" sur ", "\n\nsur ")
    assert "\n" in lines
    assert scores(tagger, lines) == scores(tagger, lines.replace("\n", " "))


class _Overconfident:
    """A stand-in model returning what lid.176.ftz returns for some texts: a probability just
    above 1 (hierarchical softmax rounding; 155 of the 7,619 UDHR benchmark texts)."""

    def __init__(self):
        self.f = self  # the step calls the binding, `model.f.predict(line + "\n", k, ...)`

    def predict(self, line: str, k: int, threshold: float, on_unicode_error: str):
        assert line.endswith("\n") and "\n" not in line[:-1]
        return [(1.0000135898590088, "__label__zh"), (1e-05, "__label__wuu")][:k]


def test_scores_above_one_are_clipped():
    step = LanguageId("language_id_v1", LanguageIdConfig(top_k=2))
    step._model = _Overconfident()
    assert scores(step, "人人生而自由，在尊严和权利上一律平等。\n第二行") == {
        "zh": 1.0,
        "wuu": 1e-05,
    }


@pytest.mark.parametrize("text", ["", "   \n\t ", "12345 !!! --- 3.14", "\n\n\n"])
def test_texts_without_letters_get_no_language(tagger, text):
    before = tagger.stats["language/unknown"]
    assert tagger.predict(doc(text)) == {}
    assert tagger.stats["language/unknown"] == before + 1


def test_a_lone_surrogate_does_not_fail(tagger):
    found = scores(tagger, DOCS["en"] + " \ud800")  # JSON input can carry one
    assert max(found, key=found.__getitem__) == "en"


@pytest.mark.parametrize("mode", ["document", "paragraph"])
def test_ten_megabyte_single_line(mode):
    step = LanguageId("language_id_v1", LanguageIdConfig(mode=mode))
    text = (DOCS["de"] + " ") * (10_000_000 // (len(DOCS["de"]) + 1))
    started = time.perf_counter()
    found = scores(step, text)
    assert time.perf_counter() - started < 5.0
    assert max(found, key=found.__getitem__) == "de"


def test_max_chars_reads_only_the_start():
    step = LanguageId("language_id_v1", LanguageIdConfig(max_chars=len(DOCS["it"])))
    found = scores(step, DOCS["it"] + " " + DOCS["pl"] * 50)
    assert max(found, key=found.__getitem__) == "it"


def test_paragraph_mode_weights_lines_by_length(paragraph_tagger, tagger):
    text = f"{DOCS['en']}\n\n----\n{DOCS['de']}\n   \n{DOCS['fr']}"
    attributes = paragraph_tagger.predict(doc(text))
    en_end = len(DOCS["en"])
    de_start = text.index(DOCS["de"])
    fr_start = text.index(DOCS["fr"])
    assert attributes["paragraph_en"] == [[0, en_end, tagger.classify(DOCS["en"])[0][1]]]
    assert attributes["paragraph_de"][0][:2] == [de_start, de_start + len(DOCS["de"])]
    assert attributes["paragraph_fr"][0][:2] == [fr_start, len(text)]
    lines = [DOCS["en"], DOCS["de"], DOCS["fr"]]  # "----" and the blank line have no letters
    total = sum(map(len, lines))
    for lang in ("en", "de", "fr"):
        expected = sum(len(line) * dict(tagger.classify(line)).get(lang, 0.0) for line in lines)
        assert attributes[lang] == [[0, len(text), pytest.approx(expected / total)]]


def test_paragraph_mode_of_a_text_without_letters(paragraph_tagger):
    assert paragraph_tagger.predict(doc("---\n\n123\n")) == {}


def test_pickled_without_its_model_and_reloaded(tagger):
    tagger.setup()
    copy = pickle.loads(pickle.dumps(tagger))
    assert copy._model is None
    copy.setup()
    assert scores(copy, DOCS["ru"]) == scores(tagger, DOCS["ru"])


# --- model files -----------------------------------------------------------------------------


def bundled() -> Path:
    return Path(resolve_model("lid176"))


def test_a_model_given_by_path_works_the_same(tmp_path, tagger):
    own = tmp_path / "my-lid.ftz"
    shutil.copyfile(bundled(), own)
    step = LanguageId("language_id_v1", LanguageIdConfig(model=str(own)))
    assert scores(step, DOCS["es"]) == scores(tagger, DOCS["es"])


def test_a_trained_dense_model(tmp_path):
    rows = [f"__label__cat {DOCS['en']}"] * 30 + [f"__label__dog {DOCS['de']}"] * 30
    (tmp_path / "train.txt").write_text("\n".join(rows) + "\n", encoding="utf-8")
    _train(tmp_path / "train.txt", tmp_path / "animals.bin")
    step = LanguageId("animals", LanguageIdConfig(model=str(tmp_path / "animals.bin"), top_k=2))
    assert set(scores(step, DOCS["en"])) == {"cat", "dog"}


_TRAIN = """import sys, fasttext
model = fasttext.train_supervised(sys.argv[1], thread=1, wordNgrams=2, bucket=1000, verbose=0)
model.save_model(sys.argv[2])
"""


def _train(data: Path, model: Path) -> None:
    """Trains in fresh processes: fasttext-numpy2 0.10.4 stops with "Encountered NaN" on toy
    sets in some processes (every try there) and never in others, whatever the learning rate."""
    for _ in range(5):
        done = subprocess.run([sys.executable, "-c", _TRAIN, str(data), str(model)],
                              capture_output=True, text=True)  # fmt: skip
        if done.returncode == 0:
            return
    pytest.skip(f"fastText could not train the toy model: {done.stderr.strip()[-200:]}")


def expect_model_error(model: str, words: str) -> None:
    started = time.perf_counter()
    with pytest.raises(ConfigError, match=f"^model: .*{words}") as caught:
        LanguageId("language_id_v1", LanguageIdConfig(model=model))
    assert caught.value.key == "model"
    assert time.perf_counter() - started < 2.0  # fastText itself would hang or crash here


def test_missing_model_file(tmp_path):
    expect_model_error(str(tmp_path / "lid.176.bin"), "no model file at")
    expect_model_error(str(tmp_path), "no model file at")


@pytest.mark.parametrize("cut", [0, 8, 100, 4_000, 400_000, -1])
def test_truncated_model_file(tmp_path, cut):
    data = bundled().read_bytes()
    (tmp_path / "cut.ftz").write_bytes(data[:cut])
    expect_model_error(str(tmp_path / "cut.ftz"), "not a usable fastText model")


@pytest.mark.parametrize(
    "content",
    [b"this is not a model\n" * 1000, b"\xba\x16O/\x0c\x00\x00\x00" + b"\xff" * 5000],
)
def test_corrupt_model_file(tmp_path, content):
    (tmp_path / "bad.bin").write_bytes(content)
    expect_model_error(str(tmp_path / "bad.bin"), "not a usable fastText model")


def test_model_errors_name_the_step_and_key_when_resolving(tmp_path):
    data = {
        "name": "lid",
        "input": {"paths": ["x.jsonl"]},
        "output": {"path": str(tmp_path)},
        "steps": [{"type": "language_id_v1", "config": {"model": str(tmp_path / "nope.bin")}}],
    }
    with pytest.raises(ConfigError, match=r"p\.yaml: steps\[0\]\.config: model: no model file"):
        resolve(data, "p.yaml")


@pytest.mark.parametrize(
    ("settings", "key"), [({"top_k": 0}, "top_k"), ({"min_score": 1.5}, "min_score")]
)
def test_bad_settings(settings, key):
    with pytest.raises(ConfigError) as caught:
        LanguageId("language_id_v1", LanguageIdConfig(**settings))
    assert caught.value.key == key


def test_the_step_ships_the_models_name_not_this_machines_path():
    import pickle

    shipped = pickle.dumps(LanguageId("lid", LanguageIdConfig()))
    assert b"lid.176.ftz" not in shipped and b"lid176" in shipped
