"""Entity extraction cases written for the rules in nlp/entities.py and nlp/numbers.py (own sentences)."""

from __future__ import annotations

import pytest

from nlp.numbers import parse_cn_number


@pytest.fixture(scope="module")
def ex(analyzer):  # noqa: ANN001, ANN201
    # the rules alone (these cases test them), whatever learned selector the analyzer loaded
    from nlp.entities import EntityExtractor

    return EntityExtractor(segmenter=analyzer.segmenter, registry=analyzer.registry, regions=analyzer.regions,
                           model_path=None)


@pytest.mark.parametrize(
    ("raw", "value"),
    [("四五十", 40), ("两三万", 20000), ("七八千", 7000), ("十几万", 100000), ("几十", 10), ("一百二十", 120),
     ("1,500", 1500), ("两万五千", 25000)],
)
def test_ranges_and_vague_numbers_take_the_floor(raw: str, value: int) -> None:
    assert parse_cn_number(raw) == value


def test_bare_magnitude_is_not_a_number() -> None:
    assert parse_cn_number("万") is None
    assert parse_cn_number("亿") is None


def test_masked_place_chain_is_part_of_the_name(ex) -> None:  # noqa: ANN001
    text = "我们是西地省B7县青山机械有限公司的员工，公司已经三个月没发工资。"
    assert ex.employers(text)[0] == "B7县青山机械有限公司"  # 西地省 dropped before a masked county


def test_brand_name_with_verb_or_numeral_characters_kept_after_place(ex) -> None:  # noqa: ANN001
    assert ex.employers("我在C3市拓丰商贸有限公司上班，被拖欠工资。")[0] == "C3市拓丰商贸有限公司"


def test_short_variants_merge_into_the_full_name(ex) -> None:  # noqa: ANN001
    text = "A市A2区金禾物业有限公司拖欠保安工资。金禾物业公司的负责人一直不接电话。"
    assert ex.employers(text) == ["A市A2区金禾物业有限公司"]


def test_alias_after_jian_cheng_is_not_a_second_employer(ex) -> None:  # noqa: ANN001
    text = "我2016年起在D2县宏远陶瓷有限公司（简称宏远陶瓷）做工，到现在没签劳动合同。"
    assert ex.employers(text) == ["D2县宏远陶瓷有限公司"]


def test_site_of_a_company_names_the_company(ex) -> None:  # noqa: ANN001
    text = "我在E市海川建筑有限公司滨江工地做木工，工地欠我们两个月工资。"
    assert ex.employers(text)[0] == "E市海川建筑有限公司"


def test_generic_and_authority_mentions_are_not_employers(ex) -> None:  # noqa: ANN001
    assert ex.employers("请问休产假公司会发工资吗？我在E市工地做过工。") == []
    assert ex.employers("我向B市人力资源和社会保障局投诉过，劳动监察大队至今没回复。") == []


def test_placed_name_without_suffix_before_a_dispute_verb(ex) -> None:  # noqa: ANN001
    assert ex.employers("F2县金鼎源拖欠工人工资半年") == ["F2县金鼎源"]


def test_workers_counts(ex) -> None:  # noqa: ANN001
    assert ex.workers("现在一起维权的有5-6个人") == 5
    assert ex.workers("厂里百多农民工被欠薪") == 100
    assert ex.workers("共有二十多名保洁员没有签合同") == 20
    assert ex.workers("厂里有职工1500人，其中400余名职工被拖欠工资") == 400
    assert ex.workers("该企业宣布裁员1200人") == 1200
    assert ex.workers("今天天气不错") is None


def test_amounts(ex) -> None:  # noqa: ANN001
    assert ex.amount("老板跑路，拖欠工资将近三四十万") == 300000
    assert ex.amount("厂里欠着工人的养老保险近千万，多年没人管") == 10_000_000
    assert ex.amount("公司未缴纳社保，个人账户欠费八千余元") == 8000
    assert ex.amount("欠我们工资2万元，另外社保欠缴5万元") == 20000  # wages first, per the guidelines


def test_digits_of_a_masked_place_code_are_no_worker_count(ex) -> None:  # noqa: ANN001
    assert ex.workers("B5区教师的年终绩效至今没有发放") is None
    assert ex.workers("为什么K3县13个月的工资分两次发") is None


def test_a_lone_complainant_states_no_count(ex) -> None:  # noqa: ANN001
    assert ex.workers("我是一名保洁员，本人在公司干了三年，工资一直被拖欠。") is None


def test_numbers_inside_names_or_counting_things_are_no_workers(ex) -> None:  # noqa: ANN001
    assert ex.workers("我父亲是采矿三队职工，单位多年没交养老保险") is None
    assert ex.workers("县里三个林场职工的工资都没有发") is None
    assert ex.workers("协会有六十多个会员，大家都很关心此事") is None
    assert ex.workers("南方港口2万码头工人罢工要求加薪") == 20000


def test_wage_levels_are_not_amounts_owed(ex) -> None:  # noqa: ANN001
    assert ex.amount("保洁员每个月工资1350元，周末也要加班") is None
    assert ex.amount("工地上说好120元一天，干满一个月再结算") is None
    assert ex.amount("我的退休金只有600元，生活困难") is None


def test_fines_prices_and_debts_are_not_amounts_owed(ex) -> None:  # noqa: ANN001
    assert ex.amount("劳动监察大队责令整改，对该公司处以五千元的罚款") is None
    assert ex.amount("按条例可处2000元以上2万元以下的罚款") is None
    assert ex.amount("学校欠债一百多万，运转困难，老师们很辛苦") is None


def test_arrears_beside_a_wage_level(ex) -> None:  # noqa: ANN001
    text = "我的月工资是3000元，公司拖欠了我们三个月工资共计4.5万元。"
    assert ex.amount(text) == 45000
    assert ex.amount("四月份没有发的工资将近十二万元。") == 120000
    assert ex.amount("学校扣押了几位老师两三万元的课时费") == 20000


def test_adverbs_and_names_with_money_words_are_no_amounts(ex) -> None:  # noqa: ANN001
    assert ex.amount("政府千万不要忘了我们这些农民工，工资到现在还欠着") is None
    assert ex.amount("我在D市五元酒店工作，老板拖欠工资") is None


def test_phrases_ending_in_a_suffix_are_not_names(ex) -> None:  # noqa: ANN001
    assert ex.employers("网点布局调整以后，职工工资一直拖欠") == []
    assert ex.employers("大家都希望政府出面帮忙讨薪") == []
    assert ex.employers("堂堂国有银行连临时工的公积金都不交") == []
    assert ex.employers("B3县有五个国有林场已经停产多年，职工工资没有着落") == []


def test_hospital_where_someone_was_treated_is_not_the_employer(ex) -> None:  # noqa: ANN001
    text = "我在C市远航建材有限公司上班时摔伤，被送往C市骨科医院治疗，公司至今不给工伤赔偿。"
    assert ex.employers(text) == ["C市远航建材有限公司"]
    assert ex.employers("我是D2县人民医院的护士，医院拖欠我们半年绩效工资。") == ["D2县人民医院"]


def test_listed_employers_are_all_returned(ex) -> None:  # noqa: ANN001
    text = "F3县农机站、F3县水利站等单位多年没有给职工缴纳养老保险。"
    assert ex.employers(text) == ["F3县农机站", "F3县水利站"]


def test_town_name_joins_the_organisation(ex) -> None:  # noqa: ANN001
    assert ex.employers("每年拨款五万元到青岗镇畜牧兽医站，却不给我交养老保险")[0] == "青岗镇畜牧兽医站"
    text = "我家住K2县白沙铺镇。我在白沙铺中心小学代课十年，学校一直拖欠代课费。"
    assert ex.employers(text)[0] == "白沙铺中心小学"


def test_headline_subject_without_suffix(ex) -> None:  # noqa: ANN001
    assert ex.employers("星河文旅宣布裁员三成 高管称行业寒冬") == ["星河文旅"]
    assert ex.employers("【#蓝鲸音乐将与所有员工解约#】消息称该公司已停业") == ["蓝鲸音乐"]
    assert ex.employers("煤矿拖欠工资 矿工家属讨说法") == []  # a common noun is no name
    assert ex.employers("北京裁员潮来袭") == []  # a place alone is no employer


def test_brand_list_names_a_headline_subject(analyzer) -> None:  # noqa: ANN001
    from nlp.entities import EntityExtractor

    base = analyzer.entities
    ex = EntityExtractor(segmenter=base.segmenter, registry=base.registry, regions=base.regions, brands={"想象科技"})
    assert ex.employers("想象科技裁员过冬") == ["想象科技"]
    bare = EntityExtractor(segmenter=base.segmenter, registry=base.registry, regions=base.regions, brands=())
    assert bare.brands == frozenset()


def test_name_in_brackets_after_a_company_word(ex) -> None:  # noqa: ANN001
    text = "我们十名员工今年入职该公司(东岭重钢)，工资一直拖着不发。"
    assert ex.employers(text) == ["东岭重钢"]
    text = "我丈夫2003年被西关中学（现南湖中学）聘用，学校一直没有给他买社保。"
    assert ex.employers(text) == ["西关中学", "南湖中学"]


def test_adverb_between_placed_name_and_dispute_verb(ex) -> None:  # noqa: ANN001
    assert ex.employers("H市恒达精密机械已经欠薪快半年") == ["H市恒达精密机械"]


def test_numerals_and_bracketed_words_inside_names(ex) -> None:  # noqa: ANN001
    assert ex.employers("规定出台以后，华南大学附属三医院一直压着合同不续签，工资也没发")[0] == "华南大学附属三医院"
    text = "我在西地省路桥建设(集团)有限公司承建的工地打工，工资至今未结。"
    assert ex.employers(text)[0] == "西地省路桥建设(集团)有限公司"
    assert ex.employers("我想反映海川农业发展银行对劳务派遣工不交公积金的事") == ["海川农业发展银行"]


def test_new_name_after_a_complete_name_or_a_repeated_place(ex) -> None:  # noqa: ANN001
    text = "H2县红星砖厂H2县青石灰厂都没有给工人买社保，H2县红星砖厂和H2县青石灰厂的老板也不露面。"
    assert ex.employers(text) == ["H2县红星砖厂", "H2县青石灰厂"]


def test_address_and_role_words_before_a_name(ex) -> None:  # noqa: ANN001
    assert ex.employers("我在东风路华庭广场三楼金沙足浴上班，老板跑路了")[0] == "金沙足浴"
    assert ex.employers("当初招我们进工地的是施工方南岭路桥公司，一直拖欠工资。")[0] == "南岭路桥公司"


def test_outer_city_dropped_when_the_text_also_writes_it_without(ex) -> None:  # noqa: ANN001
    text = "在B市B3区环卫处工作十年，B3区环卫处一直没有给我们交养老保险。"
    assert ex.employers(text) == ["B3区环卫处"]


def test_contractor_without_suffix_and_person_contractor(ex) -> None:  # noqa: ANN001
    text = "我父亲在由西地省宏远建筑承建的安置房工地做木工，工资至今没有结清。"
    assert "西地省宏远建筑" in ex.employers(text)
    assert ex.employers("我们的包工头是周大海，他欠我们三个月的工钱不给") == ["周大海"]


def test_unknown_name_split_into_single_characters_is_kept(ex) -> None:  # noqa: ANN001
    assert ex.employers("我经乐客租公司介绍进厂，工资三个月没发")[0] == "乐客租公司"
    assert ex.employers("我们去找公司要工资，公司不给") == []


def test_phrases_and_generic_units_are_not_employers(ex) -> None:  # noqa: ANN001
    assert ex.employers("医院里每名物业保洁员都没有加班费") == []
    assert ex.employers("进入了一家中心学校上班，至今没有社保") == []
    assert ex.employers("上面的指标省局派给市局，市局又摊给我们") == []
    assert ex.employers("我去D市社保站查询，才知道单位没交") == []
    assert ex.employers("我在M3县兴旺矿业有限公司工作，没签劳动合同") == ["M3县兴旺矿业有限公司"]


def test_alias_uses_count_for_the_full_name(ex) -> None:  # noqa: ANN001
    text = ("法院在审理工人与M5市农村信用社之间的案件。我2011年进了M3县兴旺矿业有限公司（简称兴旺矿业），"
            "兴旺矿业未与我签合同，兴旺矿业也不交社保，兴旺矿业还拖欠工资。M5市农村信用社的案件也在审理。")
    assert ex.employers(text)[0] == "M3县兴旺矿业有限公司"


def test_branch_names(ex) -> None:  # noqa: ANN001
    text = "恳请督促K市宏光服务有限公司补缴养老保险。我们原来是K市宏光服务有限公司K2区分公司的电工，K市宏光服务有限公司一直推脱。"
    assert ex.employers(text)[0] == "K市宏光服务有限公司"
    text = "劳务派遣公司和南方电网E市分公司都要按新劳动合同法办事"
    assert "南方电网E市分公司" in ex.employers(text)


def test_public_funding_is_not_owed_money(ex) -> None:  # noqa: ANN001
    text = "公司克扣我们的劳动报酬达20万元以上。县里每年专项拨款10万元，至今累计共80万元，公司从未公开。"
    assert ex.amount(text) == 200000


def test_stand_verb_and_generic_governments(ex) -> None:  # noqa: ANN001
    assert ex.employers("全县人民站起来了，可拖欠的工资还是没有着落") == []
    assert ex.employers("依照条例，县级以上人民政府要督促企业缴纳社保") == []
    assert ex.employers("经县委县政府批准停产，职工工资无人过问") == []


def test_branch_part_does_not_return_as_a_second_employer(ex) -> None:  # noqa: ANN001
    text = "恳请督促K市宏光服务有限公司补缴养老保险。我们原来是K市宏光服务有限公司K2区分公司的电工，K2区分公司一直推脱。"
    assert ex.employers(text) == ["K市宏光服务有限公司"]


def test_organisation_named_only_as_a_place_is_no_party(ex) -> None:  # noqa: ANN001
    text = "我们在H3县财政局三楼会议室参加竞标，拿下H3县青山水库整治项目，项目部至今拖欠我们工程款。"
    assert ex.employers(text) == ["H3县青山水库整治项目"]


def test_party_organs_are_no_employers(ex) -> None:  # noqa: ANN001
    text = "E市政法委和E市宏达电信工程有限公司开过协调会，我们的工资还是没有解决"
    assert ex.employers(text) == ["E市宏达电信工程有限公司"]


def test_magnitude_character_inside_a_word_is_no_count(ex) -> None:  # noqa: ANN001
    assert ex.workers("嘉和百货公司员工被无故辞退") is None
    assert ex.workers("单位大量裁员约千人") == 1000
    assert ex.workers("厂里百多农民工被欠薪") == 100


def test_brand_lists_are_optional_and_filtered(tmp_path) -> None:  # noqa: ANN001
    from nlp.entities import load_brands

    assert load_brands(tmp_path / "absent") == frozenset()
    (tmp_path / "a_share_listed_companies.csv").write_text(
        ",TS代码,股票代码,股票名称,行业\n0,1.SZ,1,蓝海机电,机械\n1,2.SZ,2,*ST远山,建筑\n2,3.SZ,3,银行,银行\n", encoding="utf-8")
    (tmp_path / "cluener_company_mentions.csv").write_text(
        "company,mentions,splits\n星河文旅,3,train\n公司,9,train\nX,1,train\n", encoding="utf-8")
    assert load_brands(tmp_path) == frozenset({"蓝海机电", "远山", "星河文旅"})


def test_empty_and_punctuation_only_texts(ex) -> None:  # noqa: ANN001
    for text in ("", "。。。", "（）", "\n\n"):
        e = ex.extract(text)
        assert e.employers == () and e.workers is None and e.amount_yuan is None


def test_count_whose_wages_are_at_issue_wins(ex) -> None:  # noqa: ANN001
    assert ex.workers("工地共有200多名工人，其中30多名工人的工资至今没有结清") == 30
    assert ex.workers("公司有员工500人，80名员工至今未领到工资") == 80


def test_degree_in_brackets_and_a_place_as_workplace_are_no_employers(ex) -> None:  # noqa: ANN001
    assert ex.employers("我1992年从西地省水利专科学校（中专）毕业，分到单位后一直没交社保") == ["西地省水利专科学校"]
    assert ex.employers("如今已经在B市工作并买了社保，想问能否转移") == []


def test_bare_counts_of_people_need_a_labour_context(ex) -> None:  # noqa: ANN001
    assert ex.workers("#某口岸今日检出发热者47人#") is None
    assert ex.workers("违者最多要交3万新元（约15万人民币）的罚款") is None
    assert ex.workers("镇上的治安辅警有几百人，补贴一直没发") == 100


def test_words_ending_in_a_bureau_character(ex) -> None:  # noqa: ANN001
    assert ex.employers("#香港局势# 医护罢工进入第二天") == []


def test_words_that_only_look_like_arrears(ex) -> None:  # noqa: ANN001
    assert ex.amount("汛期还没结束，各地停工停产，损失要以千亿来算了") is None
    assert ex.amount("大家讨论了一下，项目总投资八千万") is None
    assert ex.amount("老板拖着3万元工资不发") == 30000


def test_degenerate_input_stays_fast(ex) -> None:  # noqa: ANN001
    import time

    ex.extract("我在A市宏达有限公司上班")  # loads the tagger
    for text in ("123456789" * 450, "三" * 4000, "A市B2区" * 700, "公司厂局站A市县区的" * 400):
        t0 = time.perf_counter()
        ex.extract(text)
        assert time.perf_counter() - t0 < 1.5, text[:20]


def test_worker_nouns_after_a_measure_word(ex) -> None:  # noqa: ANN001
    assert ex.workers("我们是镇上的五位环卫工，三个月没有领到工资") == 5
    assert ex.workers("工地有十多名钢筋工被拖欠工钱") == 10
    assert ex.workers("工厂三天开工，老板还是拖欠工资") is None  # 开工 is no person
    assert ex.workers("二线员工的奖金一直没有发") is None  # 二线 is a word, not a count
    assert ex.workers("公司将12名老员工赶出了厂门") == 12
    # a modifier ending in 的 after the measure word (讨薪的, 被欠薪的), but not a count of things (项目, 厂, 月)
    assert ex.workers("今天老板门口聚集了60多个讨薪的工人，拉着横幅") == 60
    assert ex.workers("30名被欠薪的农民工围堵大门") == 30
    assert ex.workers("5个项目的工人讨薪") is None
    assert ex.workers("拖欠3个月的工资，工人天天去讨") is None


def test_modifiers_inside_a_count(ex) -> None:  # noqa: ANN001
    assert ex.workers("学校一百二十多在职教师的绩效被扣") == 120
    assert ex.workers("画室里十五名专职和兼职老师都没有签合同") == 15
    assert ex.workers("导致我们等350名华兴电器公司员工被解除劳动关系") == 350
    assert ex.workers("同乡等四十于工人在砖厂干活，老板欠薪") == 40  # 于 written for 余


def test_sum_of_wages_before_a_person_noun_is_no_count(ex) -> None:  # noqa: ANN001
    assert ex.workers("我们十几名工人在项目上干活，项目部欠二十几万民工工资") == 10


def test_layoffs_couples_and_people_alike(ex) -> None:  # noqa: ANN001
    assert ex.workers("该行当年一次性减员3万，许多老员工失业") == 30000
    assert ex.workers("我们两口子在工地干了半年，包工头拖欠工资") == 2
    assert ex.workers("本市有两千多这样被辞退的代课老师，至今没有说法") == 2000


def test_self_count_and_count_in_its_clause_are_tied(ex) -> None:  # noqa: ANN001
    assert ex.workers("厂里有员工300多人。我们五人被无故辞退，至今没有补偿") == 5
    assert ex.workers("公司原有在册职工120人，其中40多位职工的社保一直没有缴纳") == 40


def test_counts_in_titles_names_and_false_claims(ex) -> None:  # noqa: ANN001
    text = "施工队长谎报有工人30人，实际只有12人，拖欠大家工资"
    assert ex.workers(text) == 12
    text = "会上发了《关于王某等80人讨薪问题的答复》，但我们25名工人的工资还是没有发"
    assert ex.workers(text) == 25
    assert ex.workers("A市四人行物流公司拖欠工资，员工多次讨要") is None  # 四人行 is a name
    assert ex.workers("作为4050人员，我在公司干了十年被辞退") is None
    text = "二十多名保安被拖欠工资\n物业公司总共有保安五十多人，管理混乱，今年起一直不发工资"
    assert ex.workers(text) == 20  # the title sums the case up


def test_a_fine_the_employer_puts_on_the_worker_is_money_taken(ex) -> None:  # noqa: ANN001
    # the labels count it as money owed (docked pay)
    assert ex.amount("我拒绝违规操作，公司就对我处以五百元的罚款") == 500
    assert ex.amount("辞职时我又被他们罚款八百元，工资也没结") == 800


def test_amount_named_as_owed_wins_over_totals_and_paid_sums(ex) -> None:  # noqa: ANN001
    text = "我们在工地的工钱总共有9万多，到现在只拿到2万多一点，还拖欠我们6万5千余元，包工头不见人"
    assert ex.amount(text) == 65000
    text = "综上，公司应付给我两个月经济补偿，即7000元。公司依法应当向我支付上述各项合计41000元。"
    assert ex.amount(text) == 41000
    text = "法院判他赔偿我20多万，判决书写明公司向我支付工资、伤残补助金等费用共计213456.5元。"
    assert ex.amount(text) == 213456.5


def test_paid_and_self_paid_sums_are_not_owed(ex) -> None:  # noqa: ANN001
    assert ex.amount("老板拖欠工资，过年只给员工发了800元路费") is None
    assert ex.amount("单位没交社保，退休前我还要自己缴纳3万多元") is None
    assert ex.amount("法院决定国家赔偿他18万元，单位却一直拖着不让他复职") is None


def test_five_insurances_are_social_insurance(ex) -> None:  # noqa: ANN001
    assert ex.amount("公司应给保洁工人购买五险一金共计1,234,560元未购买") == 1234560
    assert ex.amount("公司没有给我们买五险一金，合计约8万元") == 80000


def test_a_per_person_sum_is_not_the_total(ex) -> None:  # noqa: ANN001
    # the guidelines want the total as stated; a per-person sum is not multiplied out
    assert ex.amount("公司拖欠我们12名工人每人6000元的工资") is None
    assert ex.amount("工地拖欠每人6000元工资，共计7.2万元") == 72000
    assert ex.amount("补偿标准一千元/人，公司至今拖着不发，欠薪总额3万多元") == 30000


def test_money_range_reads_as_its_lower_bound(ex) -> None:  # noqa: ANN001
    # the guidelines take the floor of a vague amount; the lower bound takes the upper's unit (三到五万元)
    assert ex.amount("公司拖欠我们工资三到五万元。") == 30000
    assert ex.amount("一共拖欠工人工资3万至5万元。") == 30000
    assert ex.amount("拖欠工资十到二十万元") == 100000
    assert ex.amount("老板拖欠工资2000-3000元") == 2000
    # a lower bound with its own magnitude or 元 keeps it (几千元 is no 几千万)
    assert ex.amount("单位说补偿几千元到一万元，拖欠的工资不提") != 10_000_000


def test_worker_range_of_a_trade_after_a_measure_word(ex) -> None:  # noqa: ANN001
    assert ex.workers("上海嘉华装饰工程有限公司拖欠我们5至6名油漆工的工钱。") == 5


def test_colloquial_mates_after_a_measure_word_are_workers(ex) -> None:  # noqa: ANN001
    assert ex.workers("老板欠我们十几个兄弟的工钱，快半年了。") == 10
    assert ex.workers("厂里二十多个姐妹三个月没发工资。") == 20
    # a sister organisation is no group of people
    assert ex.workers("两个兄弟单位都拖欠工资。") is None


def test_a_count_after_the_noun_labourers(ex) -> None:  # noqa: ANN001
    assert ex.workers("涉及劳动者二十八名，公司已被立案调查。") == 28


def test_latin_shorthand_money_only_in_an_arrears_sentence(ex) -> None:  # noqa: ANN001
    assert ex.amount("公司欠我工资1.2w，打电话就挂。") == 12000
    assert ex.amount("还欠我5k工资没结。") == 5000
    assert ex.amount("欠薪3w多，HR说再等等。") == 30000
    assert ex.amount("新买的显示器是4K的，工资照常发。") is None
    assert ex.amount("公司拖欠工资，跑了5km才找到老板。") is None


def test_a_number_right_before_the_wages_owed_is_money(ex) -> None:  # noqa: ANN001
    assert ex.amount("老板欠我四千五的工钱，拖了半年。") == 4500
    assert ex.amount("欠了我们7千多工资的老板，电话已经停机。") == 7000
    # not owed by its own clause, or a count of months / people before the wages
    assert ex.amount("拖欠3个月工资，至今未发。") is None
    assert ex.amount("公司拖欠300名工人工资。") is None


def test_a_bare_magnitude_with_yu_in_an_owed_clause(ex) -> None:  # noqa: ANN001
    assert ex.amount("公司拖欠司机运费和工资万余元。") == 10000


def test_a_trade_in_gong_after_ge_is_a_count_of_workers(ex) -> None:  # noqa: ANN001
    # round 7: 十几个搬运工 / 12个油漆工 count workers; 三个煤矿职工 counts mines, 两个月工资 no one
    assert ex.workers("白鹤冷链欠我们十几个搬运工两个月工资了") == 10
    assert ex.workers("公司拖欠12个油漆工的工钱") == 12
    assert ex.workers("三个煤矿职工代表多次上访") is None
    assert ex.workers("老板欠了我们两个月工资") is None
