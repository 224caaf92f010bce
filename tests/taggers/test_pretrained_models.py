"""Pre-trained models by path: the perplexity step on a folder of CCNet-style per-language files
(`<lang>.arpa.bin` + `<lang>.sp.model`, nothing else), local or behind a URI that Beam's
FileSystems read, and the classifier step on any fastText .bin/.ftz. Every model here is trained
by the test; the URI scheme is a real Beam filesystem serving a local folder, so it runs offline."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import SCHEME

from dolmakit.core.document import Document
from dolmakit.fasttext_training.fit import train_model
from dolmakit.kenlm_models.cutoffs import CCNET_CUTOFFS
from dolmakit.kenlm_models.kenlm import LanguageModel, local_model_dir
from dolmakit.kenlm_training.binaries import find_kenlm_tool
from dolmakit.kenlm_training.build import train_language_model
from dolmakit.taggers.perplexity import CCNetPerplexity, PerplexityConfig
from dolmakit.taggers.quality import QualityClassifier, QualityClassifierConfig

GERMAN = [
    "Der Fluss fließt durch ein breites Tal nach Norden, bevor er das Meer erreicht.",
    "Die Burg wurde im zwölften Jahrhundert gebaut und nach einem Brand wieder aufgebaut.",
    "Die Stadt liegt am nördlichen Ufer des Flusses und ist ein Zentrum des Handels.",
    "Im Sommer legen die Tiere ihre Eier in den Boden, im Winter ruhen sie im Wald.",
] * 30


@pytest.fixture(scope="module")
def ccnet_style_folder(tmp_path_factory) -> Path:
    """A folder as CCNet publishes its models: de.arpa.bin and de.sp.model, no metadata."""
    if find_kenlm_tool("lmplz") is None or find_kenlm_tool("build_binary") is None:
        pytest.skip("KenLM's lmplz/build_binary not built: run scripts/build_kenlm.sh")
    work = tmp_path_factory.mktemp("ccnet-train")
    corpus = work / "de.txt"
    corpus.write_text("\n".join(GERMAN) + "\n", encoding="utf-8")
    train_language_model([corpus], "de", work / "out", vocab_size=200, memory="100M")
    folder = tmp_path_factory.mktemp("ccnet") / "lm"
    folder.mkdir()
    for name in ("de.arpa.bin", "de.sp.model"):
        shutil.copy(work / "out" / name, folder / name)
    return folder


def perplexity_tagger(models: str, **config) -> CCNetPerplexity:
    step = CCNetPerplexity("ccnet_perplexity_v1", PerplexityConfig(models=models, **config))
    step.setup()
    return step


def tag(step, text: str, **attributes) -> dict:
    doc = step.process(Document(id="d", text=text, source="t", attributes=attributes))
    return {
        k.split("__", 1)[1]: v[0][2] for k, v in doc.attributes.items() if k.startswith(step.name)
    }


def test_a_local_folder_of_ccnet_style_files(ccnet_style_folder):
    step = perplexity_tagger(str(ccnet_style_folder), cutoffs="ccnet")
    assert step.available == ["de"] and step.cutoffs == CCNET_CUTOFFS
    text = GERMAN[0]
    scores = tag(step, text, language_id_v1__de=[[0, len(text), 0.9]])
    expected = LanguageModel.load(ccnet_style_folder, "de").perplexity(text)
    assert scores == {"perplexity": expected}  # CCNet's cutoffs are English only: no bucket


def test_a_folder_behind_a_beam_filesystem_uri_is_cached_locally(ccnet_style_folder, tmp_path):
    uri = f"{SCHEME}://{ccnet_style_folder}"
    local = local_model_dir(uri)
    assert local != ccnet_style_folder and sorted(p.name for p in local.iterdir()) == [
        "de.arpa.bin", "de.sp.model"
    ]  # fmt: skip
    step = perplexity_tagger(uri, language="de")
    assert step.model_dir == local
    local_step = perplexity_tagger(str(ccnet_style_folder), language="de")
    assert tag(step, GERMAN[1]) == tag(local_step, GERMAN[1])
    # a worker whose cache is gone fetches again in setup()
    shutil.rmtree(local)
    step.setup()
    assert (local / "de.arpa.bin").stat().st_size == (
        ccnet_style_folder / "de.arpa.bin"
    ).stat().st_size


def test_a_uri_without_models_is_a_config_error(tmp_path):
    from dolmakit.core.errors import ConfigError

    with pytest.raises(ConfigError, match="no KenLM models"):
        CCNetPerplexity("p", PerplexityConfig(models=f"{SCHEME}://{tmp_path}"))


@pytest.fixture(scope="module")
def dclm_style_models(tmp_path_factory) -> dict[str, Path]:
    """A fastText classifier trained outside `dolmakit classifier train`, with DCLM's labels
    (`__label__hq` and `__label__cc`), saved as .bin and quantized as .ftz."""
    folder = tmp_path_factory.mktemp("fasttext")
    good = "the river flows north through a wide valley before it reaches the sea"
    bad = "buy cheap shoes online now free shipping click here best price deal"
    lines = [f"__label__hq {good} {n}" for n in range(300)]
    lines += [f"__label__cc {bad} {n}" for n in range(300)]
    (folder / "train.txt").write_text("\n".join(lines) + "\n")
    from dolmakit.fasttext_training.fit import TrainParams

    model = train_model(folder / "train.txt", TrainParams(epochs=5, min_count=1))
    model.save_model(str(folder / "dclm.bin"))
    model.quantize(input=str(folder / "train.txt"), retrain=False, cutoff=1000)
    model.save_model(str(folder / "dclm.ftz"))
    return {"bin": folder / "dclm.bin", "ftz": folder / "dclm.ftz"}


@pytest.mark.parametrize("kind", ["bin", "ftz"])
@pytest.mark.parametrize("through", ["path", "uri"])
def test_any_fasttext_model_by_path_or_uri(dclm_style_models, kind, through):
    path = str(dclm_style_models[kind])
    model = path if through == "path" else f"{SCHEME}://{path}"
    step = QualityClassifier("q", QualityClassifierConfig(model, label="hq"))
    step.setup()
    good = tag(step, "The river flows north through a wide valley before it reaches the sea.")
    bad = tag(step, "Buy cheap shoes online now! Free shipping, click here for the best price.")
    assert good["hq"] > 0.5 > bad["hq"]
