"""Event types, session 17: the types round's constructions (nlp/type_evidence.py, frames.choose_types). Invented
texts only; every construction has a positive and a look-alike."""

from __future__ import annotations

from nlp.type_evidence import own_claims
from tests.unit.nlp._helpers import evidence_of


def test_rest_denied_or_unpaid_leave_forced_is_another_labour_conflict() -> None:
    for text in ("超市春节期间一天都不放假，店长还说谁请假就扣钱",
                 "物流公司全年无休，连续三个月不让员工休息",
                 "酒店强制员工停薪留职三个月，说等生意好了再回来"):
        assert "other_labor" in own_claims(text), text


def test_rest_or_leave_told_without_a_grievance_is_no_other_labour_claim() -> None:
    for text in ("公司国庆放假七天，十月八日正常上班",
                 "我去年申请停薪留职去读研究生，单位批准了",
                 "工地上个月停工，工人们都回家休息了，工资到现在没发"):
        assert "other_labor" not in own_claims(text), text


def test_a_petition_not_done_or_its_papers_is_no_collective_act() -> None:
    from nlp.type_evidence import collective_act, group_act

    for text in ("我们并不想上访，只希望公司把欠的钱还上",
                 "车间主任警告我们十几个工人不要上访，否则扣奖金",
                 "要是还不处理，我们将逐级上访",
                 "我们收到了区里的信访件答复，说让我们走仲裁"):
        assert not collective_act(text), text
        assert not group_act(text), text


def test_a_petition_done_by_several_workers_stays_a_collective_act() -> None:
    from nlp.type_evidence import collective_act

    for text in ("我们二十多名工人多次到市信访办去反映，至今没有结果",
                 "工友们集体上访三次，公司还是不发工资",
                 "老板说要跑路，工人欲跳楼讨薪"):
        assert collective_act(text), text


def test_a_living_allowance_or_an_allowance_unpaid_is_a_wage_claim() -> None:
    from nlp.type_evidence import wage_claim

    for text in ("厂里停产后让我们回家待岗，两年没有发基本生活费，社保也断了",
                 "物业公司至今拖欠夜班津贴，已经三个月了"):
        assert wage_claim(None, text), text
        assert "wage_arrears" in own_claims(text), text


def test_a_living_allowance_or_an_allowance_named_without_arrears_is_no_wage_claim() -> None:
    from nlp.type_evidence import wage_claim

    for text in ("我每月领生活费八百元，可单位从未给我交过养老保险",
                 "公司发了岗位津贴，但一直没有给我们交社保"):
        assert not wage_claim(None, text), text


def test_a_pension_double_pay_or_the_payroll_tie_is_no_wage_evidence() -> None:
    from nlp.type_evidence import evidence

    for text in ("我父亲干了四十年邮递员，退休工资才一千元，单位还欠缴三年养老保险",
                 "公司一直没有和我签劳动合同，我要求公司支付双倍工资",
                 "公司硬是把我的工资关系转去了子公司，档案也扣着不给"):
        assert "wage_arrears" not in evidence(None, text), text


def test_a_wage_owed_beside_them_stays_wage_evidence() -> None:
    from nlp.type_evidence import evidence

    for text in ("退休工资不说，厂里还欠我们三个月工资没发",
                 "老板不签合同，还拖欠双倍工资以外的正常工资两个月"):
        assert "wage_arrears" in evidence(None, text), text


def test_a_dismissal_feared_or_threatened_is_no_dismissal_evidence() -> None:
    for text in ("疫情期间回不去，再不复工就要被裁员了，这个月工资也没发",
                 "车间里人人都怕被领导以下岗相要挟，只好天天加班"):
        assert "dismissal_layoff" not in evidence_of(text), text


def test_a_dismissal_told_as_done_stays_dismissal_evidence() -> None:
    for text in ("上个月公司以疫情为由把我们十几个人裁员了，补偿一分没有",
                 "我担心工资的事问了一句，第二天就被辞退了"):
        assert "dismissal_layoff" in evidence_of(text), text


def test_a_closure_denied_is_no_closure_evidence() -> None:
    for text in ("阀门厂没破产、也没改制，职工的养老保险十多年只交了三年",
                 "公司并未倒闭，却以经营困难为由拖欠我们半年工资"):
        assert "closure_relocation" not in evidence_of(text), text


def test_a_closure_told_stays_closure_evidence() -> None:
    for text in ("阀门厂去年破产，职工的养老保险一直没人管",
                 "还没发工资，公司就倒闭了"):
        assert "closure_relocation" in evidence_of(text), text
