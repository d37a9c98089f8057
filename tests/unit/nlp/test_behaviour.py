"""The behavioural suite (nlp/behaviour_suite.yaml) as tests: the issue's targets on the committed bundle, and
the frame layer's own guarantees (invariance, direction) whatever members run."""

from __future__ import annotations

import pytest

from nlp.behaviour import REWRITES, load_suite, run_suite


@pytest.fixture(scope="module")
def summary(analyzer):  # noqa: ANN001, ANN201
    from nlp.analyzer import TextInput

    suite = load_suite()
    outcomes, summ = run_suite(
        suite, lambda texts: analyzer.analyze_inputs([TextInput(str(i), t) for i, t in enumerate(texts)]))
    return outcomes, summ


def _failures(outcomes, capability: str) -> list[str]:  # noqa: ANN001
    return [f"{o.case.group}: {o.case.text} ({o.score:.2f}, {o.types})" for o in outcomes
            if o.case.capability == capability and not o.passed]


def test_suite_covers_every_capability_and_type() -> None:
    suite = load_suite()
    caps = {c.capability for c in suite.cases}
    assert caps == {"mft", "contrast", "robustness", "invariance", "direction", "types"}
    from lwcore.domain import EVENT_TYPES

    assert {c.group for c in suite.cases if c.capability == "mft"} == set(EVENT_TYPES)
    assert {c.group for c in suite.cases if c.capability == "contrast"} >= {
        "advert", "policy", "statistics", "consumer", "housing", "fear", "government"}
    assert {c.group.split(":")[0] for c in suite.cases if c.capability == "robustness"} == set(REWRITES)


def test_rewrites_keep_the_text_readable() -> None:
    t = "厂里拖欠我们工资，老板跑了！"
    assert REWRITES["traditional"](t) != t and "廠" in REWRITES["traditional"](t)
    assert "，" not in REWRITES["no_punct"](t) and "拖欠我们工资" in REWRITES["no_punct"](t)
    assert REWRITES["repost"](t).endswith(t) and "//@" in REWRITES["repost"](t)


def test_explicit_positives_are_caught(summary) -> None:  # noqa: ANN001
    outcomes, s = summary
    assert s["mft"]["rate"] >= 0.97, _failures(outcomes, "mft")


def test_look_alikes_are_cleared(summary) -> None:  # noqa: ANN001
    outcomes, s = summary
    assert s["contrast"]["rate"] >= 0.95, _failures(outcomes, "contrast")


def test_rewrites_keep_the_decision(summary) -> None:  # noqa: ANN001
    outcomes, s = summary
    assert s["robustness"]["rate"] >= 0.95, _failures(outcomes, "robustness")[:20]


def test_no_decision_flips_on_firm_town_or_number_swaps(summary) -> None:  # noqa: ANN001
    outcomes, s = summary
    assert s["invariance"]["flips"] == 0, _failures(outcomes, "invariance")


def test_resolution_and_negation_lower_the_score(summary) -> None:  # noqa: ANN001
    outcomes, s = summary
    assert s["direction"]["rate"] == 1.0, _failures(outcomes, "direction")


def test_event_types_only_with_evidence(summary) -> None:  # noqa: ANN001
    outcomes, s = summary
    assert s["types"]["rate"] == 1.0, _failures(outcomes, "types")


# --- suite B (nlp/behaviour_suite_b.yaml): written independently of the frame rules, split dev / test ----------

@pytest.fixture(scope="module")
def summary_b(analyzer):  # noqa: ANN001, ANN201
    from nlp.analyzer import TextInput
    from nlp.behaviour import SUITE_B_FILE

    out = {}
    for split in ("dev", "test"):
        out[split] = run_suite(load_suite(SUITE_B_FILE, split), lambda texts: analyzer.analyze_inputs(
            [TextInput(str(i), t) for i, t in enumerate(texts)]))
    return out


def test_suite_b_has_two_halves_of_every_kind() -> None:
    from lwcore.domain import EVENT_TYPES
    from nlp.behaviour import EXTRA_REWRITES, SUITE_B_FILE

    for split in ("dev", "test"):
        suite = load_suite(SUITE_B_FILE, split)
        assert {c.split for c in suite.cases} == {split}
        assert {c.capability for c in suite.cases} == {"mft", "contrast", "robustness", "invariance", "direction",
                                                       "types"}
        assert {c.group for c in suite.cases if c.capability == "mft"} == set(EVENT_TYPES)
        assert {c.group for c in suite.cases if c.capability == "contrast"} >= {
            "advert", "policy", "statistics", "consumer", "housing", "fear", "government", "chatter"}
        assert {c.group.split(":")[0] for c in suite.cases if c.capability == "robustness"} == (
            set(REWRITES) | set(EXTRA_REWRITES) | {"pinyin_typo"})
        assert not [c.text for c in suite.cases if "{" in c.text]  # every slot filled
    dev, test = (load_suite(SUITE_B_FILE, s) for s in ("dev", "test"))
    # the halves share no explicit or contrast text: the test half estimates a held-out suite
    assert not {c.text for c in dev.cases if c.capability in ("mft", "contrast")} & {
        c.text for c in test.cases if c.capability in ("mft", "contrast")}


def test_a_bad_suite_file_says_what_is_wrong(tmp_path) -> None:  # noqa: ANN001
    from nlp.behaviour import SUITE_B_FILE

    bad = tmp_path / "suite.yaml"
    bad.write_text("rewrites: [hashtag, upside_down]\nmft: {}\ncontrast: {}\ninvariance: {}\ndirection: []\n"
                   "types: []\n", encoding="utf-8")
    with pytest.raises(ValueError, match="upside_down"):
        load_suite(bad)
    with pytest.raises(ValueError, match="no split 'holdout'"):
        load_suite(SUITE_B_FILE, "holdout")


def test_suite_b_dev_meets_the_targets(summary_b) -> None:  # noqa: ANN001
    outcomes, s = summary_b["dev"]
    assert s["mft"]["rate"] >= 0.97, _failures(outcomes, "mft")
    assert s["contrast"]["rate"] >= 0.95, _failures(outcomes, "contrast")
    assert s["robustness"]["rate"] >= 0.95, _failures(outcomes, "robustness")[:20]
    assert s["invariance"]["flips"] == 0, _failures(outcomes, "invariance")
    assert s["direction"]["rate"] == 1.0, _failures(outcomes, "direction")


def test_suite_b_test_half_holds_its_measured_figures(summary_b) -> None:  # noqa: ANN001
    """Floors at the figures measured after round 11 (bench/nlp_results.md), when the test half had not been read
    for fixes. Session 10 read its failures (round 13), so it no longer estimates a held-out suite: suite C does."""
    outcomes, s = summary_b["test"]
    assert s["contrast"]["rate"] >= 0.95, _failures(outcomes, "contrast")
    assert s["invariance"]["flips"] == 0, _failures(outcomes, "invariance")
    assert s["mft"]["rate"] >= 0.83, _failures(outcomes, "mft")
    assert s["robustness"]["rate"] >= 0.88, len(_failures(outcomes, "robustness"))


# --- suite C (nlp/behaviour_suite_c.yaml): written blind in session 10, never read for fixes ----------------------

def test_suite_c_is_one_held_out_split_of_every_kind() -> None:
    from lwcore.domain import EVENT_TYPES
    from nlp.behaviour import SUITE_B_FILE, SUITE_C_FILE

    suite = load_suite(SUITE_C_FILE)
    assert {c.split for c in suite.cases} == {"test"}
    assert {c.capability for c in suite.cases} == {"mft", "contrast", "robustness", "invariance", "direction", "types"}
    assert {c.group for c in suite.cases if c.capability == "mft"} == set(EVENT_TYPES)
    assert not [c.text for c in suite.cases if "{" in c.text]
    # no explicit or contrast text shared with suite B
    b = {c.text for c in load_suite(SUITE_B_FILE).cases if c.capability in ("mft", "contrast")}
    assert not b & {c.text for c in suite.cases if c.capability in ("mft", "contrast")}


def test_suite_c_holds_its_measured_figures(analyzer) -> None:  # noqa: ANN001
    """Suite C estimated the held-out suite until session 15, which read its failures for fixes: its floors are now a
    regression guard (run without its robustness rewrites, measured 1829/1839 in bench/nlp_results.md, session 15).
    History: session 10 mft 0.775, contrast 0.926; session 13 0.838 / 0.926; session 14 71/80 0.887, 113/121 0.934."""
    from nlp.behaviour import SUITE_C_FILE

    _holds_floors(analyzer, SUITE_C_FILE, {"test": {"mft": 0.98, "contrast": 0.98, "direction": 0.9, "types": 0.9}})


def _holds_floors(analyzer, suite_file, floors: dict[str, dict[str, float]],  # noqa: ANN001
                  max_flips: dict[str, int] | None = None) -> None:
    """Each split of a suite at or over its floors per capability, with no flips; failures are not printed. A split
    whose floors name no robustness runs without its rewrites (four fifths of its cases: the read halves keep
    explicit posts, look-alikes, directions and flips as their guard, and the test run stays inside CI's budget).
    ``max_flips``: per split, the flips measured on a blind half (none elsewhere)."""
    from nlp.analyzer import TextInput
    from nlp.behaviour import Suite

    for split, split_floors in floors.items():
        suite = load_suite(suite_file, split=split)
        if "robustness" not in split_floors:
            suite = Suite([c for c in suite.cases if c.capability != "robustness"])
        s = run_suite(suite, lambda texts: analyzer.analyze_inputs(
            [TextInput(str(i), t) for i, t in enumerate(texts)]))[1]
        assert s["invariance"]["flips"] <= (max_flips or {}).get(split, 0), (split, s["invariance"])
        for cap, floor in split_floors.items():
            assert s[cap]["rate"] >= floor, (split, cap, s[cap])


# --- suite D (nlp/behaviour_suite_d.yaml): written blind in session 12; dev read for fixes, test only reported -----

def _two_disjoint_halves(suite_file, others, *, per_type: int, per_capability: int = 0) -> None:  # noqa: ANN001
    """A suite split in ``dev`` and ``test`` halves, each with every capability, at least ``per_type`` explicit
    positives per event type (and ``per_capability`` explicit positives and look-alikes), no explicit or look-alike
    text shared between the halves or with the ``others`` suites."""
    from lwcore.domain import EVENT_TYPES

    suite = load_suite(suite_file)
    assert {c.split for c in suite.cases} == {"dev", "test"}
    assert not [c.text for c in suite.cases if "{" in c.text]

    def explicit(cases) -> set[str]:  # noqa: ANN001
        return {c.text for c in cases if c.capability in ("mft", "contrast")}

    for split in ("dev", "test"):
        part = [c for c in suite.cases if c.split == split]
        assert {c.capability for c in part} == {"mft", "contrast", "robustness", "invariance", "direction", "types"}
        assert sum(c.capability == "mft" for c in part) >= per_capability, split
        assert sum(c.capability == "contrast" for c in part) >= per_capability, split
        for etype in EVENT_TYPES:
            assert sum(c.capability == "mft" and c.group == etype for c in part) >= per_type, (split, etype)
    assert not explicit(c for c in suite.cases if c.split == "dev") & explicit(
        c for c in suite.cases if c.split == "test")
    for other in others:
        assert not explicit(suite.cases) & explicit(load_suite(other).cases), other


def test_suite_d_has_two_disjoint_splits_of_every_kind() -> None:
    from nlp.behaviour import SUITE_B_FILE, SUITE_C_FILE, SUITE_D_FILE, SUITE_FILE

    _two_disjoint_halves(SUITE_D_FILE, (SUITE_FILE, SUITE_B_FILE, SUITE_C_FILE), per_type=8)


def test_suite_d_holds_its_measured_figures(analyzer) -> None:  # noqa: ANN001
    """Floors from bench/nlp_results.md, round 15: ``test`` (never read) a little under its measurement, ``dev`` at
    what the session-12 helper's frame fixes reach; no flips on either. Failures are deliberately not printed."""
    from nlp.behaviour import SUITE_D_FILE

    _holds_floors(analyzer, SUITE_D_FILE, {"test": TEST_FLOORS_D, "dev": DEV_FLOORS_D})


#: ``test``: a little under its measurement after the session-12 fixes (``python bench/nlp_behaviour.py --suite d``:
#: mft 54/72 0.750, contrast 68/79 0.861, robustness 0.806, direction 6/6; as written 0.708 / 0.861 / 0.785).
#: ``dev``: what the frame fixes reached (mft 67/72, contrast 73/79, robustness 1270/1372 0.926) less a margin.
#: Session 13 (rounds 17-18): test mft 58/72 0.806, contrast 69/79 0.873, robustness 0.838; dev 0.972 / 0.924 / 0.945.
#: Session 14 (round 19): test mft 60/72 0.833, contrast 72/79 0.911, robustness 0.872; dev 1.0 / 0.987 / 0.989.
#: Session 15 read the test half's failures (round 20): test 72/72, 79/79, robustness 1365/1371 (not re-run here).
TEST_FLOORS_D = {"mft": 0.98, "contrast": 0.98, "direction": 1.0}
DEV_FLOORS_D = {"mft": 0.98, "contrast": 0.97, "direction": 1.0}  # (robustness 0.989 measured, not re-run here)


# --- suite E (nlp/behaviour_suite_e.yaml): written blind in round 17; dev read for fixes, test read in session 14 --

def test_suite_e_has_two_disjoint_halves_of_every_kind() -> None:
    from nlp.behaviour import SUITE_B_FILE, SUITE_C_FILE, SUITE_D_FILE, SUITE_E_FILE, SUITE_FILE

    _two_disjoint_halves(SUITE_E_FILE, (SUITE_FILE, SUITE_B_FILE, SUITE_C_FILE, SUITE_D_FILE), per_type=10,
                         per_capability=80)


def test_suite_e_holds_its_measured_figures(analyzer) -> None:  # noqa: ANN001
    """Floors from bench/nlp_results.md, rounds 17 and 19: both halves have been read for fixes (``test`` from session
    14 on), so these are regression guards, not estimates; no flips on either."""
    from nlp.behaviour import SUITE_E_FILE

    _holds_floors(analyzer, SUITE_E_FILE, {"test": TEST_FLOORS_E, "dev": DEV_FLOORS_E})


#: ``test``: a little under its measurement after the round-17 fixes (``python bench/nlp_behaviour.py --suite e``:
#: mft 54/88 0.614, contrast 73/81 0.901, robustness 765/1020 0.750, direction 5/8; as written 0.568 / 0.876 / 0.714,
#: direction 6/8). ``dev``: what the frame fixes reached (mft 77/86, contrast 80/80, robustness 936/1002) less a margin.
#: Session 13, after the lead's last fixes from the dev half: dev mft 81/86 0.942, robustness 960/1002 0.958.
#: Session 14 (round 19, the test half read): test mft 85/88 0.966, contrast 81/81, robustness 0.977, direction 8/8;
#: dev mft 83/86 0.965, contrast 80/80, robustness 0.976, direction 8/8.
#: Session 15: test 86/88, 81/81, robustness 1002/1020 (not re-run here); dev 84/86, 80/80, 985/1002.
TEST_FLOORS_E = {"mft": 0.95, "contrast": 0.98, "direction": 1.0}
DEV_FLOORS_E = {"mft": 0.95, "contrast": 0.98, "direction": 1.0}  # (robustness 0.976 measured, not re-run here)


# --- suite F (nlp/behaviour_suite_f.yaml): written blind in session 14; dev read for fixes, test only reported -----

def test_suite_f_has_two_disjoint_halves_of_every_kind() -> None:
    from nlp.behaviour import SUITE_B_FILE, SUITE_C_FILE, SUITE_D_FILE, SUITE_E_FILE, SUITE_F_FILE, SUITE_FILE

    _two_disjoint_halves(SUITE_F_FILE, (SUITE_FILE, SUITE_B_FILE, SUITE_C_FILE, SUITE_D_FILE, SUITE_E_FILE),
                         per_type=10, per_capability=80)


def test_suite_f_holds_its_measured_figures(analyzer) -> None:  # noqa: ANN001
    """Floors from bench/nlp_results.md, round 19: ``test`` (never read; only its figures and, once, which
    template flipped) a little under its measurement, ``dev`` at what the round-19 fixes reach; no flips on either.
    Failures are deliberately not printed."""
    from nlp.behaviour import SUITE_F_FILE

    _holds_floors(analyzer, SUITE_F_FILE, {"test": TEST_FLOORS_F, "dev": DEV_FLOORS_F})


#: ``test``: as written (session 13's rules) mft 66/88 0.750, contrast 78/88 0.886, robustness 0.813, one flip; after
#: round 19 mft 71/88 0.807, contrast 79/88 0.898, robustness 908/1069 0.849, direction 7/9, no flip.
#: ``dev``: mft 59/88 -> 84/88 0.955, contrast 79/88 -> 87/88 0.989, robustness 0.788 -> 0.966, direction 9/9.
#: Session 15 read the test half's failures (round 20): test mft 88/88, contrast 88/88, robustness 1062/1069 (not
#: re-run here), direction 8/9; dev 84/88, 88/88, 1037/1069.
TEST_FLOORS_F = {"mft": 0.98, "contrast": 0.98, "direction": 0.88}
DEV_FLOORS_F = {"mft": 0.94, "contrast": 0.97, "direction": 1.0}  # (robustness 0.966 measured, not re-run here)


# --- suite G (nlp/behaviour_suite_g.yaml): written blind in session 14 after the session's rules -----------------

def test_suite_g_has_two_disjoint_halves_of_every_kind() -> None:
    """Headlines, Weibo posts and 留言板 letters, both halves never read (floors below)."""
    from nlp import behaviour as b

    _two_disjoint_halves(b.SUITE_G_FILE, (b.SUITE_FILE, b.SUITE_B_FILE, b.SUITE_C_FILE, b.SUITE_D_FILE,
                                          b.SUITE_E_FILE, b.SUITE_F_FILE), per_type=10, per_capability=80)


def test_suite_g_holds_its_measured_figures(analyzer) -> None:  # noqa: ANN001
    """Suite G was written after every rule of session 14; session 15 read both halves' failures for fixes, so its
    floors are a regression guard (run without the robustness rewrites)."""
    from nlp.behaviour import SUITE_G_FILE

    _holds_floors(analyzer, SUITE_G_FILE, {"test": TEST_FLOORS_G, "dev": DEV_FLOORS_G})


#: Round 19's end: dev mft 60/80 0.750, contrast 86/88 0.977, robustness 880/1017 0.865, direction 9/9; test mft 67/80
#: 0.838, contrast 82/87 0.943, robustness 900/1011 0.890, direction 9/9 (session 13's rules: 58 / 84, 62 / 78).
#: Session 15 (round 20, both halves read; the short-post member trained on them): dev 80/80, 88/88, robustness
#: 1012/1017, direction 9/9; test 80/80, 86/87, 1001/1011, 9/9 (robustness not re-run here).
DEV_FLOORS_G = {"mft": 0.98, "contrast": 0.98, "direction": 1.0}
TEST_FLOORS_G = {"mft": 0.98, "contrast": 0.97, "direction": 1.0}


# --- suite H (nlp/behaviour_suite_h.yaml): written blind in session 15 -------------------------------------------

def test_suite_h_has_two_disjoint_halves_of_every_kind() -> None:
    """12345 work orders, 黑猫 complaints, forum / short-video / WeChat voices, news leads and indirect cases; both
    halves (read in session 16) disjoint from each other and from suites A-G."""
    from nlp import behaviour as b

    _two_disjoint_halves(b.SUITE_H_FILE, (b.SUITE_FILE, b.SUITE_B_FILE, b.SUITE_C_FILE, b.SUITE_D_FILE,
                                          b.SUITE_E_FILE, b.SUITE_F_FILE, b.SUITE_G_FILE), per_type=10,
                         per_capability=80)


# --- suite I (nlp/behaviour_suite_i.yaml): written blind in session 15 -------------------------------------------

def test_suite_i_has_two_disjoint_halves_of_every_kind() -> None:
    """Headlines in several styles, short-video captions, WeChat Moments and group chat, 12345 summaries, 留言板
    letters, Zhihu / Xiaohongshu voices, posts on a worker's behalf and gig workers; both halves (read in session 16)
    disjoint from each other and from suites A-H."""
    from nlp import behaviour as b

    _two_disjoint_halves(b.SUITE_I_FILE, (b.SUITE_FILE, b.SUITE_B_FILE, b.SUITE_C_FILE, b.SUITE_D_FILE,
                                          b.SUITE_E_FILE, b.SUITE_F_FILE, b.SUITE_G_FILE, b.SUITE_H_FILE),
                         per_type=10, per_capability=80)


def test_suite_j_has_two_disjoint_halves_of_every_kind() -> None:
    """Short Weibo slang, pinyin and homophones, comment replies, help questions, relatives, local headlines, 12345
    summaries and letters; both halves unread, disjoint from each other and from suites A-I."""
    from nlp import behaviour as b

    _two_disjoint_halves(b.SUITE_J_FILE, (b.SUITE_FILE, b.SUITE_B_FILE, b.SUITE_C_FILE, b.SUITE_D_FILE,
                                          b.SUITE_E_FILE, b.SUITE_F_FILE, b.SUITE_G_FILE, b.SUITE_H_FILE,
                                          b.SUITE_I_FILE), per_type=10, per_capability=80)


def test_suite_k_has_two_disjoint_halves_of_every_kind() -> None:
    """Short-video captions and live-stream comments, Xiaohongshu notes, Zhihu answers, WeChat group screenshots,
    construction, dispatch, night-shift, cleaning and security workers, older workers, domestic helpers, reported
    speech and dialect; both halves unread, disjoint from each other and from suites A-J."""
    from nlp import behaviour as b

    _two_disjoint_halves(b.SUITE_K_FILE, (b.SUITE_FILE, b.SUITE_B_FILE, b.SUITE_C_FILE, b.SUITE_D_FILE,
                                          b.SUITE_E_FILE, b.SUITE_F_FILE, b.SUITE_G_FILE, b.SUITE_H_FILE,
                                          b.SUITE_I_FILE, b.SUITE_J_FILE), per_type=10, per_capability=80)


def test_suite_l_has_two_disjoint_halves_of_every_kind() -> None:
    """Tieba threads, Toutiao comments, local headlines and briefs, WeChat Moments, Bilibili comments, legal-advice
    questions, 12345 summaries, relatives' posts, service, teaching, care, driving, warehouse, sales and factory
    workers, Chinese mixed with English, typos and homophones; both halves unread, disjoint from each other and from
    suites A-K."""
    from nlp import behaviour as b

    _two_disjoint_halves(b.SUITE_L_FILE, (b.SUITE_FILE, b.SUITE_B_FILE, b.SUITE_C_FILE, b.SUITE_D_FILE,
                                          b.SUITE_E_FILE, b.SUITE_F_FILE, b.SUITE_G_FILE, b.SUITE_H_FILE,
                                          b.SUITE_I_FILE, b.SUITE_J_FILE, b.SUITE_K_FILE), per_type=10,
                         per_capability=80)


def test_suite_m_has_two_disjoint_halves_of_every_kind() -> None:
    """Douyin / Kuaishou captions, Xiaohongshu notes, Zhihu answers, Shanghai forum posts, news-app comments, short
    headlines and push lines, group chats retold, lists and Q&A; outsourced cleaning, security, domestic, canteen,
    logistics, construction, printing, pharmaceutical, shipyard, call-centre, livestream, bank and hotel workers;
    pinyin abbreviations, voice transcripts, long run-on and emoji-heavy posts; both halves unread, disjoint from each
    other and from suites A-L."""
    from nlp import behaviour as b

    _two_disjoint_halves(b.SUITE_M_FILE, (b.SUITE_FILE, b.SUITE_B_FILE, b.SUITE_C_FILE, b.SUITE_D_FILE,
                                          b.SUITE_E_FILE, b.SUITE_F_FILE, b.SUITE_G_FILE, b.SUITE_H_FILE,
                                          b.SUITE_I_FILE, b.SUITE_J_FILE, b.SUITE_K_FILE, b.SUITE_L_FILE),
                         per_type=10, per_capability=80)


def test_suite_n_has_two_disjoint_halves_of_every_kind() -> None:
    """12333 hotline records, letters to leaders, 信访 replies, county 融媒体 briefs, union newsletters, 微博超话 posts,
    live-stream 弹幕, 脉脉 / 看准网 and 豆瓣 posts, Northeastern, Sichuanese and Cantonese voices; summer-job students,
    dispatch workers, foreign firms, kindergarten teachers, hospital carers, express and takeaway stations, miners,
    fishing crews, farms, film crews and esports clubs; dialect spelling, full-width mixing, long diary posts and lists;
    both halves unread, disjoint from each other and from suites A-M."""
    from nlp import behaviour as b

    _two_disjoint_halves(b.SUITE_N_FILE, (b.SUITE_FILE, b.SUITE_B_FILE, b.SUITE_C_FILE, b.SUITE_D_FILE,
                                          b.SUITE_E_FILE, b.SUITE_F_FILE, b.SUITE_G_FILE, b.SUITE_H_FILE,
                                          b.SUITE_I_FILE, b.SUITE_J_FILE, b.SUITE_K_FILE, b.SUITE_L_FILE,
                                          b.SUITE_M_FILE),
                         per_type=10, per_capability=80)


def test_suite_o_has_two_disjoint_halves_of_every_kind() -> None:
    """Labour-inspection orders, arbitration notices, procuratorates' support of suits, legal-aid briefs, letters to
    leaders, Tieba / Bilibili / Moments / Xiaohongshu / Zhihu voices, Wu, Taiwanese, Henan-Hubei and classical-tinged
    styles; private hospitals, studios, anchors, trucking, seafarers, ports, airlines and strikes abroad; 20 look-alike
    genres; both halves blind in session 21 and read in session 22, disjoint from each other and from suites A-N."""
    from nlp import behaviour as b

    _two_disjoint_halves(b.SUITE_O_FILE, (b.SUITE_FILE, b.SUITE_B_FILE, b.SUITE_C_FILE, b.SUITE_D_FILE,
                                          b.SUITE_E_FILE, b.SUITE_F_FILE, b.SUITE_G_FILE, b.SUITE_H_FILE,
                                          b.SUITE_I_FILE, b.SUITE_J_FILE, b.SUITE_K_FILE, b.SUITE_L_FILE,
                                          b.SUITE_M_FILE, b.SUITE_N_FILE),
                         per_type=10, per_capability=80)


def test_suite_p_has_two_disjoint_halves_of_every_kind() -> None:
    """WeChat group logs, 12345 replies, deputies' proposals, village notices, grid workers' logs, WeCom / DingTalk
    notices, BOSS直聘 chats, Q&A threads, voice-to-text; Shandong, Shaanxi, Xiang and Hakka voices; sanitation,
    property, security, care homes, private schools, driving schools, shops, cinemas, hotels, salons, shipyards,
    mills, electronics plants, mines, cotton fields, strikes abroad; 20 look-alike genres; both halves unread,
    disjoint from each other and from suites A-O."""
    from nlp import behaviour as b

    _two_disjoint_halves(b.SUITE_P_FILE, (b.SUITE_FILE, b.SUITE_B_FILE, b.SUITE_C_FILE, b.SUITE_D_FILE,
                                          b.SUITE_E_FILE, b.SUITE_F_FILE, b.SUITE_G_FILE, b.SUITE_H_FILE,
                                          b.SUITE_I_FILE, b.SUITE_J_FILE, b.SUITE_K_FILE, b.SUITE_L_FILE,
                                          b.SUITE_M_FILE, b.SUITE_N_FILE, b.SUITE_O_FILE),
                         per_type=10, per_capability=80)


def test_suite_q_has_two_disjoint_halves_of_every_kind() -> None:
    """Douyin comment sections, Kuaishou live captions, Douban groups, Xianyu chats, Toutiao briefs, letters to a county
    head, union notes; Cantonese, Sichuanese, Northeastern and Minnan voices; bubble-tea shops, nail salons, wedding
    studios, funeral homes, amusement parks, ski resorts, fishing boats, tea plantations, greenhouses, chip fabs, battery
    and PV plants, call centres, game studios, MCN agencies, tutors after 双减, airport and railway outsourcing,
    hospital cleaners, strikes and layoffs abroad; 20 look-alike genres; robust groups of quoted replies, OCR noise,
    links, hashtag tails, full-width digits, emoji sentence ends and pinyin with English; both halves unread (no
    pass-rate floor), disjoint from each other and from suites A-P."""
    from nlp import behaviour as b

    suite = load_suite(b.SUITE_Q_FILE)
    for split in ("dev", "test"):
        part = [c for c in suite.cases if c.split == split]
        counts = {cap: sum(c.capability == cap for c in part) for cap in
                  ("mft", "contrast", "robustness", "invariance", "direction", "types")}
        assert counts == {"mft": 80, "contrast": 80, "robustness": 988, "invariance": 192, "direction": 20,
                          "types": 12}, (split, counts)
        assert len({c.group for c in part if c.capability == "contrast"}) == 20, split
    assert "q" in b.BLIND and b.SUITES["q"] == b.SUITE_Q_FILE
    _two_disjoint_halves(b.SUITE_Q_FILE, (b.SUITE_FILE, b.SUITE_B_FILE, b.SUITE_C_FILE, b.SUITE_D_FILE,
                                          b.SUITE_E_FILE, b.SUITE_F_FILE, b.SUITE_G_FILE, b.SUITE_H_FILE,
                                          b.SUITE_I_FILE, b.SUITE_J_FILE, b.SUITE_K_FILE, b.SUITE_L_FILE,
                                          b.SUITE_M_FILE, b.SUITE_N_FILE, b.SUITE_O_FILE, b.SUITE_P_FILE),
                         per_type=10, per_capability=80)


def test_suite_h_holds_its_measured_figures(analyzer) -> None:  # noqa: ANN001
    """Suite H was written blind in session 15; session 16 read both halves' failures for frame fixes and trains the
    short-post member on it, so it runs as a read suite (no rewrites). Floors a little under session 16's figures."""
    from nlp.behaviour import SUITE_H_FILE

    _holds_floors(analyzer, SUITE_H_FILE, {"dev": DEV_FLOORS_H, "test": TEST_FLOORS_H})


#: Session 15 (bench/nlp_results.md, round 20): as written (session 14's rules) dev mft 68/80, contrast 77/85; test
#: 71/80, 77/85; at its end dev 72/80, 80/85; test 74/80, 77/85. Session 16 (round 21, read and trained on): dev mft
#: 78/80, contrast 84/85, direction 9/9; test 77/80, 84/85, 9/9; no flips.
DEV_FLOORS_H = {"mft": 0.95, "contrast": 0.97, "direction": 1.0}
TEST_FLOORS_H = {"mft": 0.94, "contrast": 0.97, "direction": 1.0}


def test_suite_i_holds_its_measured_figures(analyzer) -> None:  # noqa: ANN001
    """Suite I was written blind in session 15; session 16 read its dev flip and its test half's failures and trains
    the short-post member on it, so it runs as a read suite (no rewrites). Floors a little under session 16's
    figures; the dev flip is gone at its cause."""
    from nlp.behaviour import SUITE_I_FILE

    _holds_floors(analyzer, SUITE_I_FILE, {"dev": DEV_FLOORS_I, "test": TEST_FLOORS_I})


#: Session 15: with session 14's rules dev mft 58/80, contrast 79/85; test 64/80, 79/85; with session 15's rules and
#: the short-post member dev 66/80, 84/85, one flip; test 68/80, 82/85. Session 16 (round 21): dev mft 76/80,
#: contrast 84/85, direction 9/9, no flip; test 79/80, 84/85, 9/9.
DEV_FLOORS_I = {"mft": 0.93, "contrast": 0.96, "direction": 1.0}
TEST_FLOORS_I = {"mft": 0.95, "contrast": 0.96, "direction": 1.0}


def test_suite_j_holds_its_measured_figures(analyzer) -> None:  # noqa: ANN001
    """Suite J was written blind at the start of session 16; session 17 read both halves' failures for frame fixes
    (the short-post member is still not trained on it: measured neutral on suite K and lower on the labelled data), so
    it runs as a read suite (no rewrites). Floors a little under session 17's figures."""
    from nlp.behaviour import SUITE_J_FILE

    _holds_floors(analyzer, SUITE_J_FILE, {"dev": DEV_FLOORS_J, "test": TEST_FLOORS_J})


#: Session 16 (bench/nlp_results.md, round 21; `python bench/nlp_short_member.py suite --suite j`), blind: at its
#: start dev mft 70/80, contrast 79/86, one flip; test 62/80, 79/85, two flips; at its end dev 69/80, 80/86, direction
#: 9/9; test 64/80, 82/85, 8/9, no flip. Session 17 (round 22, read): dev mft 80/80, contrast 86/86, direction 9/9;
#: test 80/80, 84/85, 8/9; no flips.
DEV_FLOORS_J = {"mft": 0.97, "contrast": 0.97, "direction": 1.0}
TEST_FLOORS_J = {"mft": 0.97, "contrast": 0.97, "direction": 0.88}


def test_suite_k_holds_its_measured_figures(analyzer) -> None:  # noqa: ANN001
    """Suite K was written blind at the start of session 17 (new voices: video captions, Xiaohongshu notes, Zhihu
    answers, group-chat screenshots, construction, dispatch and night-shift workers, disputes told late in a long post
    or in reported speech). Its ``dev`` half was read for frame fixes and trains the short-post encoder member; its
    ``test`` half is a blind estimate (figures only, never its failures). Floors a little under session 18's figures;
    the dev half keeps its one measured flip (session 18, with the encoder member; the test half's flip went)."""
    from nlp.behaviour import SUITE_K_FILE

    _holds_floors(analyzer, SUITE_K_FILE, {"dev": DEV_FLOORS_K, "test": TEST_FLOORS_K}, max_flips={"dev": 1})


#: Session 17 (bench/nlp_results.md, round 22; `python bench/nlp_short_member.py suite --suite k`): as written (session
#: 16's rules and member) dev mft 60/80, contrast 70/84, robustness 796/998, direction 19/20; test 56/80, 69/84,
#: 758/998, 20/20, one flip. After round 22 (suite J and K's dev half read): dev mft 79/80, contrast 78/84,
#: robustness 951/998, direction 19/20, no flip; test (blind) mft 56/80 0.700, contrast 70/84 0.833, robustness
#: 764/998 0.766, direction 20/20, one flip.
#: Session 18 (round 23, the short-post encoder member at weight 0.3): dev mft 79/80, contrast 82/84, direction 18/20,
#: one flip; test (blind) mft 68/80 0.850, contrast 73/84 0.869, robustness 856/998 0.858, direction 19/20, no flip.
#: Session 19 (round 24, the rescue of short texts no member scored): dev unchanged; test mft 76/80 0.950, contrast
#: 73/84, robustness 892/998 0.894, direction 19/20, no flip.
DEV_FLOORS_K = {"mft": 0.96, "contrast": 0.95, "direction": 0.85}
TEST_FLOORS_K = {"mft": 0.93, "contrast": 0.85, "robustness": 0.87, "direction": 0.9}


def test_suite_l_holds_its_measured_figures(analyzer) -> None:  # noqa: ANN001
    """Suite L was written blind at the start of session 18 (Tieba threads, Toutiao comments, headlines and briefs,
    WeChat Moments, Bilibili comments, legal-advice questions, 12345 summaries, relatives' posts). Its test half is a
    blind estimate (figures only, never its failures); of its dev half, session 19 read only the six missed explicit
    posts that no member had scored. Floors a little under session 19's figures, with the flips measured then."""
    from nlp.behaviour import SUITE_L_FILE

    _holds_floors(analyzer, SUITE_L_FILE, {"dev": DEV_FLOORS_L, "test": TEST_FLOORS_L}, max_flips=MAX_FLIPS_L)


#: Session 18 (round 23; `python bench/nlp_short_member.py suite --suite l`): as written, with the character member
#: only, dev mft 65/80, contrast 76/84, robustness 864/998, direction 20/20, three flips; test 65/80, 70/84, 821/998,
#: 20/20, no flip. With the short-post encoder member at weight 0.3: dev 69/80 0.863, 83/84 0.988, 921/998 0.923,
#: 20/20, two flips; test 70/80 0.875, 74/84 0.881, 875/998 0.877, 20/20, one flip.
#: Session 19 (round 24, with the rescue): dev mft 72/80 0.900, contrast 83/84, robustness 935/998 0.937, 20/20, two
#: flips; test 73/80 0.9125, 74/84 0.881, 889/998 0.891, 20/20, one flip. The test half stays unread; of the dev
#: half, the six missed explicit posts no member had scored were read (to find where posts were lost), no rule.
DEV_FLOORS_L = {"mft": 0.88, "contrast": 0.96, "robustness": 0.92, "direction": 1.0}
TEST_FLOORS_L = {"mft": 0.89, "contrast": 0.86, "robustness": 0.87, "direction": 1.0}
MAX_FLIPS_L = {"dev": 2, "test": 1}


def test_suite_m_holds_its_measured_figures(analyzer) -> None:  # noqa: ANN001
    """Suite M was written blind at the start of session 19 (Douyin / Kuaishou captions, Xiaohongshu notes, Zhihu
    answers, local forums, outsourced and service workers; 21 look-alike genres, half of them new). Both halves were
    blind estimates in session 19; session 20 read their failures for frame constructions once suite N was written.
    No member trains on it. Floors a little under the figures measured, with the flips measured then."""
    from nlp.behaviour import SUITE_M_FILE

    _holds_floors(analyzer, SUITE_M_FILE, {"dev": DEV_FLOORS_M, "test": TEST_FLOORS_M}, max_flips=MAX_FLIPS_M)


#: Session 19 (round 24; `python bench/nlp_short_member.py suite --suite m`): without both short-post members dev mft
#: 66/80, contrast 80/84, robustness 881/1000; test 66/80, 73/84, 850/1000. With both and the rescue: dev mft 78/80
#: 0.975, contrast 81/84 0.964, robustness 962/1000, direction 20/20, one flip; test 78/80 0.975, 78/84 0.929,
#: 945/1000, 20/20, no flip. Session 20 (after reading it): dev mft 79/80, contrast 83/84, robustness 977/1000, one
#: flip; test 80/80, 81/84, 970/1000, no flip.
#: (Read now, it runs without its rewrites like the other read suites: the blind suite N takes its place in the budget.)
DEV_FLOORS_M = {"mft": 0.96, "contrast": 0.96, "direction": 1.0}
TEST_FLOORS_M = {"mft": 0.97, "contrast": 0.93, "direction": 1.0}
MAX_FLIPS_M = {"dev": 1, "test": 0}


def test_suite_n_holds_its_measured_figures(analyzer) -> None:  # noqa: ANN001
    """Suite N was written blind at the start of session 20 (hotline records, letters to leaders, 信访 replies, county
    briefs, union newsletters, 超话, 弹幕, 闲鱼, 脉脉, 豆瓣 groups, dialects, elderly writers; interns, dispatch
    workers, kindergartens, carers, stations, mines, fishing boats, farms, film crews; 21 look-alike genres). Both
    halves were blind estimates in session 20; session 21 read their failures once suite O was written, and both
    short-post members train on it since. Floors a little under session 21's figures."""
    from nlp.behaviour import SUITE_N_FILE

    _holds_floors(analyzer, SUITE_N_FILE, {"dev": DEV_FLOORS_N, "test": TEST_FLOORS_N}, max_flips=MAX_FLIPS_N)


#: Session 20 (round 25; scratch script over `nlp.behaviour.run_suite`, the shipped analyzer): at the session's start
#: dev mft 74/80, contrast 82/84, robustness 950/1004, direction 19/20, no flip; test 74/80, 84/84, 960/1004, 18/20,
#: no flip. After the session's frame constructions, English words and the members' agreement: dev 75/80 (0.9375),
#: 82/84 (0.976), 955/1004, 19/20, no flip; test 77/80 (0.9625), 83/84 (0.988), 971/1004, 18/20, no flip.
#: Session 21 (round 26, read and trained on): dev 80/80, 84/84, 1002/1004, 19/20, no flip; test 80/80, 84/84,
#: 1003/1004, 20/20, no flip. (Read now, it runs without its rewrites: the blind suite O takes its place.)
DEV_FLOORS_N = {"mft": 0.98, "contrast": 0.98, "direction": 0.95}
TEST_FLOORS_N = {"mft": 0.98, "contrast": 0.98, "direction": 0.95}
MAX_FLIPS_N = {"dev": 0, "test": 0}


def test_suite_o_holds_its_measured_figures(analyzer) -> None:  # noqa: ANN001
    """Suite O was written blind at the start of session 21 (labour-inspection orders, arbitration notices,
    procuratorates' support of suits, legal-aid briefs, Tieba / Bilibili / Moments / Xiaohongshu / Zhihu voices, Wu,
    Taiwanese, Henan-Hubei and classical-tinged styles; private hospitals, studios, anchors, trucking, seafarers,
    ports, airlines, strikes abroad; 20 look-alike genres). Both halves were blind estimates in session 21; session 22
    read their failures once suite Q was written, and both short-post members train on it since. Floors a little
    under session 22's figures."""
    from nlp.behaviour import SUITE_O_FILE

    _holds_floors(analyzer, SUITE_O_FILE, {"dev": DEV_FLOORS_O, "test": TEST_FLOORS_O}, max_flips=MAX_FLIPS_O)


#: Session 21 (round 26; scratch script over `nlp.behaviour.run_suite`, the shipped analyzer): at the session's start
#: dev mft 77/80, contrast 77/80, robustness 943/984, direction 17/20, no flip; test 74/80, 78/80, 933/984, 19/20,
#: no flip. At its end (suite N's constructions, both short-post members refitted on the read suites, types round
#: 21): dev 79/80 (0.9875), 78/80 (0.975), 958/984, 17/20, no flip; test 75/80 (0.9375), 79/80 (0.9875), 942/984,
#: 19/20, no flip. Session 22 (round 27, read and trained on): dev 80/80, 80/80, 976/984, 20/20, no flip; test
#: 78/80, 80/80, 970/984, 20/20, no flip. (Read now, it runs without its rewrites: the blind suite P takes its place.)
DEV_FLOORS_O = {"mft": 0.98, "contrast": 0.98, "direction": 0.95}
TEST_FLOORS_O = {"mft": 0.95, "contrast": 0.98, "direction": 0.95}
MAX_FLIPS_O = {"dev": 0, "test": 0}


def test_suite_p_holds_its_measured_figures(analyzer) -> None:  # noqa: ANN001
    """Suite P was written blind at the end of session 21 (WeChat group logs, 12345 replies, deputies' proposals,
    village and grid-worker notices, WeCom / DingTalk notices, BOSS直聘 chats, voice-to-text; Shandong, Shaanxi, Xiang
    and Hakka voices; 20 look-alike genres). Both halves are blind estimates (figures only, never their failures); no
    member trains on it. Floors a little under session 22's figures, with the flip measured then; it runs with its
    rewrites, as the blind suite of the test run."""
    from nlp.behaviour import SUITE_P_FILE

    _holds_floors(analyzer, SUITE_P_FILE, {"dev": DEV_FLOORS_P, "test": TEST_FLOORS_P}, max_flips=MAX_FLIPS_P)


#: Session 21's end (taken once): dev mft 74/80, contrast 79/80, robustness 940/988, direction 18/20, one flip; test
#: 74/80, 74/80, 911/988, 17/20, one flip. Session 22 (round 27; suite O's constructions, both short-post members with
#: O): dev 72/80 (0.90), 79/80 (0.9875), 936/988 (0.947), 18/20, one flip; test 74/80 (0.925), 74/80 (0.925), 913/988
#: (0.924), 17/20, no flip.
DEV_FLOORS_P = {"mft": 0.875, "contrast": 0.96, "robustness": 0.94, "direction": 0.85}
TEST_FLOORS_P = {"mft": 0.9, "contrast": 0.9, "robustness": 0.915, "direction": 0.8}
MAX_FLIPS_P = {"dev": 1, "test": 0}


def test_suite_q_holds_its_measured_figures(analyzer) -> None:  # noqa: ANN001
    """Suite Q was written blind at the start of session 22 (Douyin, Kuaishou, Douban, Xianyu and Toutiao voices,
    letters to a county head; Cantonese, Sichuanese, Northeastern and Minnan; 20 new look-alike genres). Both halves
    are blind estimates (figures only, never their failures); no member trains on it. Floors a little under session
    22's figures, with the flip measured then; without its rewrites (P holds the test run's rewrite budget)."""
    from nlp.behaviour import SUITE_Q_FILE

    _holds_floors(analyzer, SUITE_Q_FILE, {"dev": DEV_FLOORS_Q, "test": TEST_FLOORS_Q}, max_flips=MAX_FLIPS_Q)


#: Session 22 (round 27): at its start dev mft 78/80, contrast 74/80, robustness 942/988, direction 19/20, one flip;
#: test 74/80, 77/80, 936/988, 16/20, no flip. At its end: dev 77/80 (0.9625), 78/80 (0.975), 946/988, 20/20, one
#: flip; test 74/80 (0.925), 79/80 (0.9875), 943/988, 16/20, no flip.
DEV_FLOORS_Q = {"mft": 0.95, "contrast": 0.95, "direction": 0.95}
TEST_FLOORS_Q = {"mft": 0.9, "contrast": 0.96, "direction": 0.75}
MAX_FLIPS_Q = {"dev": 1, "test": 0}
