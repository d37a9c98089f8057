"""The 待复核 queue's pick (logic) and the model pages' permissions (no index needed)."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from laborwatch.web.review import pick_queue


def _doc(pid: str, score: float, flagged: bool = False) -> dict:
    return {"id": pid, "analysis": {"score": score, "labor_dispute": flagged}}


def test_nearest_the_threshold_first_plus_a_seeded_random_share() -> None:
    uncertain = [_doc(f"u{k}", s) for k, s in enumerate([0.1, 0.44, 0.52, 0.8, 0.47, 0.3])]
    unflagged = [_doc(f"r{k}", 0.0) for k in range(30)]
    q = pick_queue(uncertain, unflagged, threshold=0.5, size=5, random_share=0.2, skip={"u2"}, seed="2026-12-06")
    assert [i.post_id for i in q if i.why == "uncertain"] == ["u4", "u1", "u5", "u3"]  # u2 decided already
    rand = [i.post_id for i in q if i.why == "random"]
    assert len(rand) == 1 and rand[0].startswith("r")
    again = pick_queue(uncertain, unflagged[::-1], threshold=0.5, size=5, random_share=0.2, skip={"u2"},
                       seed="2026-12-06")
    assert [i.post_id for i in again] == [i.post_id for i in q]  # the same sample for everyone that day
    assert pick_queue(uncertain, unflagged, threshold=0.5, size=0, random_share=0.2, skip=set(), seed="x") == []
    # too few uncertain posts: the random sample fills the day's cap
    assert len(pick_queue(uncertain[:1], unflagged, threshold=0.5, size=5, random_share=0.2, skip=set(),
                          seed="x")) == 5


def test_model_pages_are_for_administrators(client_as: Callable[..., TestClient]) -> None:
    admin = client_as("admin")
    page = admin.get("/admin/models")
    assert page.status_code == 200 and "模型管理" in page.text and "使用中" in page.text
    assert client_as("verifier").get("/admin/models").status_code == 403
    review = client_as("verifier").get("/review")
    assert review.status_code == 200 and "待复核" in review.text and "检索索引暂不可用" in review.text
