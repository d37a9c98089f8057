"""The short-post encoder member (nlp.short_encoder): a read-out on the frozen encoder's embeddings of short texts."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from lwcore.settings import load_settings
from nlp.short_encoder import ENCODER_SHORT_FILE, HELD_OUT, EncoderShortMember


def _toy(n: int = 200, dim: int = 16, seed: int = 3) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    y = rng.random(n) < 0.4
    x = rng.normal(size=(n, dim)).astype(np.float32)
    x[:, 0] += np.where(y, 2.0, -2.0)  # the label lies along one direction
    return x, y


@pytest.mark.parametrize("hidden", [(), (8,)], ids=["logistic", "mlp"])
def test_it_learns_a_direction_and_survives_a_round_trip(tmp_path: Path, hidden: tuple[int, ...]) -> None:
    x, y = _toy()
    m = EncoderShortMember.fit(x, y.tolist(), hidden=hidden, meta={"base_fingerprint": "abc"})
    assert len(m.layers) == 1 + len(hidden)
    p = m.proba(x)
    assert ((p >= 0.5) == y).mean() > 0.9
    # the scale of an embedding does not matter (rows are read at unit length)
    assert np.allclose(m.proba(x * 7.0), p, atol=1e-6)
    m.save(tmp_path / ENCODER_SHORT_FILE)
    back = EncoderShortMember.load(tmp_path / ENCODER_SHORT_FILE)
    assert back.base_fingerprint == "abc" and np.allclose(back.proba(x), p, atol=1e-5)


def test_embeddings_of_another_width_are_refused_by_name() -> None:
    x, y = _toy()
    m = EncoderShortMember.fit(x, y.tolist(), hidden=())
    with pytest.raises(ValueError, match=r"expected \(n, 16\)"):
        m.proba(np.zeros((2, 8), dtype=np.float32))
    assert m.proba(np.zeros((0, 16), dtype=np.float32)).shape == (0,)


def test_a_file_lacking_an_array_is_refused_with_its_path(tmp_path: Path) -> None:
    path = tmp_path / ENCODER_SHORT_FILE
    np.savez(path, w0=np.zeros((4, 1), dtype=np.float32))
    with pytest.raises(ValueError, match=r"lacks \['b0', 'meta'\]"):
        EncoderShortMember.load(path)
    with pytest.raises(ValueError, match="do not chain"):
        EncoderShortMember([(np.zeros((4, 3)), np.zeros(3)), (np.zeros((2, 1)), np.zeros(1))])


def test_it_never_trains_on_the_blind_suite_or_the_blind_half() -> None:
    from nlp.behaviour import SUITES, load_suite
    from nlp.short_member import training_texts

    assert {"p", "q", "k:test"} <= set(HELD_OUT) and "o" not in HELD_OUT  # O, read in session 22, trains it
    texts, labels = training_texts(SUITES, exclude=HELD_OUT)
    seen = set(texts)
    k = load_suite(SUITES["k"]).cases
    assert {c.text for c in load_suite(SUITES["o"]).cases if c.capability == "mft"} <= seen
    assert not seen & {c.text for c in load_suite(SUITES["p"]).cases}
    assert not seen & {c.text for c in load_suite(SUITES["q"]).cases}
    assert not seen & {c.text for c in k if c.split == "test"} - {c.text for c in k if c.split == "dev"}
    assert {c.text for c in k if c.split == "dev" and c.capability == "mft"} <= seen
    assert any(labels) and not all(labels)


@pytest.fixture(scope="module")
def encoder_analyzer():  # noqa: ANN201
    from nlp.analyzer import Analyzer

    an = Analyzer.from_settings(load_settings(environ={}))
    if "encoder" not in an.members:
        pytest.skip("the encoder base is not built here (laborwatch nlp build-base; scripts/setup.sh builds it)")
    return an


def test_the_analyzer_runs_it_on_short_candidates_and_says_so(encoder_analyzer) -> None:  # noqa: ANN001
    from nlp.analyzer import TextInput

    an = encoder_analyzer
    assert "short_encoder" in an.members and "+senc-" in an.model_version
    short = "老板拖欠我们三个月工资，过年回不了家"
    long = "尊敬的领导：" + "我们是某公司的员工，公司自去年以来一直拖欠我们的工资，" * 6
    a, b = an.analyze_inputs([TextInput("1", short), TextInput("2", long)])
    assert "short_encoder" in a.explanation["members"] and 0.0 <= a.explanation["short_encoder_score"] <= 1.0
    assert "short_encoder" not in b.explanation["members"] and "short_encoder_score" not in b.explanation
    # it moves the score the others gave in logit space by its weight, after the character member
    from nlp.analyzer import Analyzer
    from nlp.short_encoder import WEIGHT
    from nlp.short_member import ShortPostMember

    without = Analyzer.from_settings(load_settings(environ={}))
    without._load()
    without._short_enc = None
    (c,) = without.analyze_inputs([TextInput("1", short)])
    assert "short_encoder" not in c.explanation["members"]
    p = a.explanation["short_encoder_score"]
    assert a.score == pytest.approx(ShortPostMember.adjust(c.score, p, WEIGHT), abs=2e-4)
    assert (a.score > c.score) == (p > 0.5)


def test_a_member_fitted_on_another_base_does_not_run_and_is_reported(tmp_path: Path, encoder_analyzer) -> None:  # noqa: ANN001
    from nlp.analyzer import Analyzer
    from nlp.members import member_status
    from nlp.resources import DEFAULT_MODEL_DIR

    bundle = tmp_path / "bundle"
    shutil.copytree(DEFAULT_MODEL_DIR, bundle)
    m = EncoderShortMember.load(bundle / ENCODER_SHORT_FILE)
    m.meta["base_fingerprint"] = "0000000000000000"
    m.save(bundle / ENCODER_SHORT_FILE)
    s = load_settings(environ={"LW__NLP__MODEL_DIR": str(bundle)})
    st = member_status(s)
    assert st.degraded and "fitted on base 0000000000000000" in st.missing["short_encoder"]
    an = Analyzer.from_settings(s)
    assert "short_encoder" not in an.members and an.missing_members == ("short_encoder",)
    assert "+senc-" not in an.model_version


def test_the_rescue_needs_both_members_over_their_bars() -> None:
    from nlp.short_encoder import RESCUE_CHAR, RESCUE_ENCODER, rescue_score

    assert rescue_score(RESCUE_CHAR - 0.01, 0.99) is None
    assert rescue_score(0.99, RESCUE_ENCODER - 0.01) is None
    at_bars = rescue_score(RESCUE_CHAR, RESCUE_ENCODER)
    assert at_bars == pytest.approx(np.sqrt(RESCUE_CHAR * RESCUE_ENCODER))
    # at its bars a rescued text is over the shipped bundle's threshold, and more agreement scores higher
    from nlp.bundle import BundleInfo
    from nlp.resources import DEFAULT_MODEL_DIR

    assert at_bars > BundleInfo.load(DEFAULT_MODEL_DIR).threshold
    assert rescue_score(0.9, 0.95) > at_bars  # type: ignore[operator]


def test_the_analyzer_rescues_a_short_text_no_member_scored_only_when_both_claim_it(
        encoder_analyzer, monkeypatch) -> None:  # noqa: ANN001
    from nlp.analyzer import TextInput

    an = encoder_analyzer
    an._load()
    text = "今天下午去公园散步，天气很好"  # no lexicon hit, no frame: "no-candidate" with 0.0 before the rescue
    (plain,) = an.analyze_inputs([TextInput("0", text)])
    assert plain.explanation["rule"] == "no-candidate" and plain.score == 0.0 and not plain.labor_dispute
    read: list[int] = []

    def claim(p_char: float, p_enc: float) -> None:
        monkeypatch.setattr(an._short, "proba", lambda texts: np.full(len(texts), p_char))
        monkeypatch.setattr(an._short_enc, "proba", lambda e: read.append(len(e)) or np.full(len(e), p_enc))

    claim(0.8, 0.9)
    (a,) = an.analyze_inputs([TextInput("1", text)])
    assert a.labor_dispute and a.explanation["rule"] == "rescue"
    assert a.score == pytest.approx(np.sqrt(0.8 * 0.9), abs=1e-4)
    # its score went through the frame rules as a candidate's model score does (no frame here: unchanged)
    assert a.explanation["model_score"] == pytest.approx(np.sqrt(0.8 * 0.9), abs=1e-4)
    assert {"short", "short_encoder"} <= set(a.explanation["members"])
    assert a.explanation["short_score"] == 0.8 and a.explanation["short_encoder_score"] == 0.9
    assert a.event_types  # a relevant post always gets a type (the TF-IDF type heads read it)
    claim(0.8, 0.6)  # the encoder member disagrees: nothing changes
    (b,) = an.analyze_inputs([TextInput("2", text)])
    assert b.explanation["rule"] == "no-candidate" and b.score == 0.0
    read.clear()
    claim(0.3, 0.99)  # under the character member's bar the encoder never reads it
    (c,) = an.analyze_inputs([TextInput("3", text)])
    assert c.explanation["rule"] == "no-candidate" and not read
    # a long text is never rescued, nor anything with the rescue off
    claim(0.8, 0.9)
    (d,) = an.analyze_inputs([TextInput("4", text * 12)])
    assert d.explanation["rule"] == "no-candidate"
    monkeypatch.setattr(an, "use_rescue", False)
    (e,) = an.analyze_inputs([TextInput("5", text)])
    assert e.explanation["rule"] == "no-candidate"



def test_agreement_needs_both_members_sure() -> None:
    from nlp.short_encoder import AGREE_CHAR, AGREE_ENCODER, agreement_score

    assert agreement_score(None, 0.99) is None and agreement_score(0.99, None) is None
    assert agreement_score(AGREE_CHAR - 0.01, 0.99) is None
    assert agreement_score(0.99, AGREE_ENCODER - 0.01) is None
    assert agreement_score(AGREE_CHAR, AGREE_ENCODER) == pytest.approx(np.sqrt(AGREE_CHAR * AGREE_ENCODER))
    # its bars are stricter than the rescue's: a candidate has a score of its own already
    from nlp.short_encoder import RESCUE_CHAR, RESCUE_ENCODER

    assert AGREE_CHAR > RESCUE_CHAR and AGREE_ENCODER > RESCUE_ENCODER


def test_the_analyzer_gives_a_short_candidate_both_members_are_sure_of_their_score(
        encoder_analyzer, monkeypatch) -> None:  # noqa: ANN001
    from nlp.analyzer import TextInput

    an = encoder_analyzer
    an._load()
    text = "公司年会上老板讲了明年的工资安排"  # a candidate no frame rule moves, scored low by the others

    def claim(p_char: float, p_enc: float) -> None:
        monkeypatch.setattr(an._short, "proba", lambda texts: np.full(len(texts), p_char))
        monkeypatch.setattr(an._short_enc, "proba", lambda e: np.full(len(e), p_enc))

    claim(0.2, 0.2)
    (plain,) = an.analyze_inputs([TextInput("0", text)])
    assert plain.explanation["rule"] == "model" and not plain.labor_dispute
    claim(0.8, 0.95)
    (a,) = an.analyze_inputs([TextInput("1", text)])
    assert a.explanation["rule"] == "agree" and a.labor_dispute
    assert a.score == pytest.approx(np.sqrt(0.8 * 0.95), abs=1e-4)
    assert {"short", "short_encoder"} <= set(a.explanation["members"])
    claim(0.8, 0.85)  # the encoder member is not sure enough: the adjusted score stands
    (b,) = an.analyze_inputs([TextInput("2", text)])
    assert b.explanation["rule"] == "model" and b.score < a.score
    # a score the frame rules set (a resolution here) is never replaced
    claim(0.9, 0.99)
    (c,) = an.analyze_inputs([TextInput("3", "拖欠的工资上周已经全部结清了")])
    assert c.explanation["rule"] == "resolved"
