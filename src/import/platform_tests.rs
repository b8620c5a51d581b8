//! Kuaishou, Youzan and the Taobao/Tmall templates on inline strings: each
//! quirk of formats.md, detection across every preset, and the refusals that
//! name what to tick.

use super::parse::ReportReader;
use super::presets::{self, Preset};
use super::record::Row;
use super::refusal::Refusal;
use crate::domain::{OrderStatus, Platform};
use crate::i18n::Lang;

fn open(text: &str, platform: Option<Platform>) -> Result<Vec<Row>, Refusal> {
    let mut r = ReportReader::open(text.as_bytes(), platform)?;
    let mut out = vec![];
    while let Some(row) = r.next_row()? {
        out.push(row);
    }
    Ok(out)
}

fn rows(text: &str) -> Vec<Row> {
    open(text, None).unwrap_or_else(|e| panic!("{e}"))
}

fn orders(text: &str) -> Vec<crate::import::OrderRecord> {
    rows(text)
        .into_iter()
        .map(|r| match r {
            Row::Order(o) => *o,
            other => panic!("{other:?}"),
        })
        .collect()
}

fn preset_of(text: &str) -> &'static str {
    match ReportReader::open(text.as_bytes(), None) {
        Ok(r) => r.preset.name.1,
        Err(e) => panic!("{text}: {e}"),
    }
}

fn refusal(text: &str) -> Refusal {
    match open(text, None) {
        Err(e) => e,
        Ok(rows) => panic!("not refused: {rows:?}"),
    }
}

const KS_HEADER: &str = "订单号,订单创建时间,订单支付时间,订单状态,实付款,成交数量,买家留言,退货退款,商品名称,商品规格,商品单价,商品ID,收货人,收货人电话,收货地址\n";

#[test]
fn kuaishou_receiver_key_currency_amounts_and_inline_line() {
    let o = &orders(&format!(
        "{KS_HEADER}2412019876543210,2024-12-01 10:00:00,2024-12-01 10:00:05,已收货,¥28.90,2,\"多放点,谢谢\",无,牛肉干,麻辣 250g,¥14.45,5001,李雷,13912345678,浙江省 杭州市 西湖区 文三路1号\n"
    ))[0];
    assert_eq!(o.paid_fen, 2890);
    assert_eq!(o.buyer_key, "李雷|5678|浙江省杭州市西湖区文三路1号");
    assert_eq!(o.nick, "李雷");
    assert_eq!(o.status, OrderStatus::Completed);
    assert_eq!(o.message, "多放点,谢谢");
    let l = o.inline_line.as_ref().expect("line");
    assert_eq!(
        (l.title.as_str(), l.props.as_str()),
        ("牛肉干", "麻辣 250g")
    );
    assert_eq!((l.price_fen, l.qty), (1445, 2));
}

#[test]
fn kuaishou_masked_phone_is_never_part_of_the_key() {
    let o = &orders(&format!(
        "{KS_HEADER}1,2024-12-01 10:00:00,,待发货,¥9.90,1,,,袜子,,,1,韩梅梅,139****5678,北京市 朝阳区 建国路2号\n"
    ))[0];
    assert_eq!(o.buyer_key, "韩梅梅||北京市朝阳区建国路2号");
    assert_eq!(o.phone, "139****5678");
}

#[test]
fn kuaishou_buyer_id_wins_over_the_receiver() {
    let text = "订单号,买家ID,买家昵称,订单创建时间,订单状态,实付款,成交数量,商品名称,收货人,收货人电话,省,市,区,详细地址\n\
        7,88001234,快手用户甲,2024-12-01 10:00:00,已发货,¥5.00,1,笔,王五,13800001111,广东省,深圳市,南山区,科技园\n";
    let o = &orders(text)[0];
    assert_eq!(o.buyer_key, "88001234");
    assert_eq!(o.nick, "王五");
    assert_eq!(o.address, "广东省 深圳市 南山区 科技园");
    // A nickname column alone: the nickname is the key and the name shown.
    let text = "订单号,买家昵称,订单创建时间,订单状态,实付款,收货人,收货人电话,收货地址\n\
        8,快手用户甲,2024-12-01 10:00:00,已发货,¥5.00,王五,13800001111,广东省深圳市\n";
    let o = &orders(text)[0];
    assert_eq!(
        (o.buyer_key.as_str(), o.nick.as_str()),
        ("快手用户甲", "快手用户甲")
    );
}

/// 退货退款 moves an order to refunded only when the money went back.
#[test]
fn kuaishou_refund_only_when_money_went_back() {
    let os = orders(&format!(
        "{KS_HEADER}1,2024-12-01 10:00:00,2024-12-01 10:00:00,交易关闭,¥28.90,1,,退款成功,a,,,1,甲,13900000001,地址一\n\
         2,2024-12-01 10:00:00,2024-12-01 10:00:00,已发货,¥28.90,1,,退款中,a,,,1,乙,13900000002,地址二\n\
         3,2024-12-01 10:00:00,2024-12-01 10:00:00,已收货,¥28.90,1,,退款关闭,a,,,1,丙,13900000003,地址三\n\
         4,2024-12-01 10:00:00,2024-12-01 10:00:00,已发货,¥28.90,1,,退货退款成功,a,,,1,丁,13900000004,地址四\n\
         5,2024-12-01 10:00:00,,待付款,¥28.90,1,,-,a,,,1,戊,13900000005,地址五\n\
         6,2024-12-01 10:00:00,,交易关闭,¥28.90,1,,-,a,,,1,己,13900000006,地址六\n"
    ));
    let got: Vec<_> = os
        .iter()
        .map(|o| (o.status, o.refund_fen, o.paid_fen))
        .collect();
    assert_eq!(
        got,
        vec![
            (OrderStatus::Refunded, 2890, 2890),
            (OrderStatus::Shipped, 0, 2890),
            (OrderStatus::Completed, 0, 2890),
            (OrderStatus::Refunded, 2890, 2890),
            (OrderStatus::Unpaid, 0, 0),
            // Closed before it was ever paid: nothing paid.
            (OrderStatus::Closed, 0, 0),
        ]
    );
}

#[test]
fn kuaishou_without_buyer_or_receiver_is_refused_naming_the_columns() {
    let text = "订单号,订单创建时间,订单支付时间,订单状态,实付款,成交数量,买家留言,退货退款,商品名称,商品规格,商品单价,商品ID\n1,2024-12-01 10:00:00,,待发货,¥1.00,1,,,a,,,1\n";
    let e = refusal(text);
    assert!(
        matches!(&e, Refusal::MissingColumns { report, .. } if report.1.contains("Kuaishou")),
        "{e:?}"
    );
    let zh = e.message(Lang::Zh);
    for col in ["买家ID", "收货人", "收货人电话", "收货地址", "快手"] {
        assert!(zh.contains(col), "{zh}");
    }
    assert!(e.message(Lang::En).contains("Tick them"));
    // A receiver name alone cannot key a buyer: its phone or address must come too.
    let name_only =
        "订单号,订单创建时间,订单状态,实付款,收货人\n1,2024-12-01 10:00:00,待发货,1,甲\n";
    assert!(matches!(refusal(name_only), Refusal::MissingColumns { .. }));
}

const YZ_HEADER: &str = "订单号,订单状态,订单创建时间,买家付款时间,订单实付金额,买家昵称,收货人/提货人,收货人手机号/提货人手机号,收货人省份,收货人城市,收货人地区,详细收货地址/提货地址,商品名称,商品数量,优惠券码名称,分销员,分销员,退款状态\n";

#[test]
fn youzan_slash_headers_nickname_key_and_a_twice_named_column() {
    let o = &orders(&format!(
        "{YZ_HEADER}E20241201123456789,已发货,2024-12-01 09:00:00,2024-12-01 09:01:00,128.00,小王同学,王小明,13712345678,江苏省,南京市,鼓楼区,中山路8号,茶叶礼盒,1,满100减10,张三,李四,\n"
    ))[0];
    assert_eq!(o.order_no, "E20241201123456789");
    assert_eq!(o.buyer_key, "小王同学");
    assert_eq!(o.nick, "小王同学");
    assert_eq!(o.name, "王小明");
    assert_eq!(o.phone, "13712345678");
    assert_eq!(o.address, "江苏省 南京市 鼓楼区 中山路8号");
    assert_eq!((o.paid_fen, o.status), (12800, OrderStatus::Shipped));
}

#[test]
fn youzan_duplicate_column_refused_only_when_kehu_reads_it() {
    let dup_read = "订单号,订单状态,订单创建时间,订单实付金额,买家昵称,买家昵称,收货人省份\n1,待发货,2024-12-01 09:00:00,1,a,b,x\n";
    assert!(matches!(
        refusal(dup_read),
        Refusal::DuplicateColumn { column } if column == "买家昵称"
    ));
}

#[test]
fn youzan_without_nickname_derives_the_key_from_the_receiver() {
    let text = "订单号,订单状态,订单创建时间,买家付款时间,订单实付金额,收货人/提货人,收货人手机号/提货人手机号,收货人省份,收货人城市,收货人地区,详细收货地址/提货地址\n\
        E1,交易完成,2024-12-01 09:00:00,2024-12-01 09:00:00,¥66.00,赵六,15800001234,上海市,上海市,浦东新区,世纪大道1号\n";
    let o = &orders(text)[0];
    assert_eq!(o.buyer_key, "赵六|1234|上海市上海市浦东新区世纪大道1号");
    assert_eq!(o.status, OrderStatus::Completed);
}

#[test]
fn youzan_refund_states_and_amounts() {
    let text = "订单号,订单状态,订单创建时间,买家付款时间,订单实付金额,买家昵称,收货人省份,退款状态,退款金额\n\
        E1,已关闭,2024-12-01 09:00:00,2024-12-01 09:00:00,50.00,a,x,退款成功,50.00\n\
        E2,已完成,2024-12-01 09:00:00,2024-12-01 09:00:00,50.00,b,x,退款成功,10.00\n\
        E3,已发货,2024-12-01 09:00:00,2024-12-01 09:00:00,50.00,c,x,退款中,50.00\n\
        E4,已关闭,2024-12-01 09:00:00,,50.00,d,x,,\n";
    let got: Vec<_> = orders(text)
        .iter()
        .map(|o| (o.status, o.refund_fen))
        .collect();
    assert_eq!(
        got,
        vec![
            (OrderStatus::Refunded, 5000),
            (OrderStatus::Completed, 1000),
            (OrderStatus::Shipped, 0),
            (OrderStatus::Closed, 0),
        ]
    );
}

#[test]
fn youzan_without_buyer_or_receiver_is_refused_naming_the_columns() {
    let text = "订单号,订单状态,订单创建时间,买家付款时间,订单实付金额,商品名称,优惠券码名称\nE1,待发货,2024-12-01 09:00:00,,1,a,\n";
    let e = refusal(text);
    let zh = e.message(Lang::Zh);
    assert!(zh.contains("有赞"), "{zh}");
    for col in [
        "买家昵称",
        "收货人/提货人",
        "收货人手机号/提货人手机号",
        "详细收货地址/提货地址",
    ] {
        assert!(zh.contains(col), "{zh}");
    }
}

/// `--platform` restricts detection: a Kuaishou export read as Taobao is not
/// an export of it, read as Kuaishou it is.
#[test]
fn platform_override() {
    let text =
        format!("{KS_HEADER}1,2024-12-01 10:00:00,,待发货,¥9.90,1,,,a,,,1,甲,13900000001,地址\n");
    assert!(open(&text, Some(Platform::Kuaishou)).is_ok());
    assert!(open(&text, Some(Platform::Taobao)).is_err());
    assert!(open(&text, Some(Platform::Youzan)).is_err());
}

const TB_LEGACY_46: &str = "订单编号,买家会员名,买家支付宝账号,买家应付货款,买家应付邮费,买家支付积分,总金额,返点积分,买家实际支付金额,买家实际支付积分,订单状态,买家留言,收货人姓名,\"收货地址 \",运送方式,\"联系电话 \",联系手机,订单创建时间,\"订单付款时间 \",\"宝贝标题 \",\"宝贝种类 \",\"物流单号 \",物流公司,订单备注,宝贝总数量,店铺Id,店铺名称,订单关闭原因,卖家服务费,买家服务费,发票抬头,是否手机订单,分阶段订单信息,特权订金订单id,是否上传合同照片,是否上传小票,是否代付,定金排名,修改后的sku,修改后的收货地址,异常信息,天猫卡券抵扣,集分宝抵扣,是否是O2O交易,退款金额,预约门店";

/// Every preset has a sample header here, and each is detected as its own
/// preset and as no other (a preset added to `ALL` without one fails).
#[test]
fn every_preset_is_detected_from_its_own_header() {
    let samples: &[(&str, &str)] = &[
        ("Taobao/Tmall order report", TB_LEGACY_46),
        (
            "Taobao/Tmall item report",
            "订单编号,标题,价格,购买数量,外部系统编号,商品属性,套餐信息,备注,订单状态,商家编码",
        ),
        (
            "Pinduoduo order export",
            "商品,订单号,订单状态,商品总价(元),店铺优惠折扣(元),平台优惠折扣(元),邮费(元),用户实付金额(元),商家实收金额(元),商品数量(件),身份证姓名,收货人,手机,是否审核中,省,市,区,街道,支付时间,拼单成功时间,订单成交时间,订单确认时间,承诺发货时间,发货时间,确认收货时间,商品id,商品规格,样式ID,商家编码-SKU维度,商家编码-商品维度,商家备注,快递单号,快递公司,售后状态,买家留言",
        ),
        ("Kuaishou shop order export", KS_HEADER.trim_end()),
        ("Youzan order export", YZ_HEADER.trim_end()),
        (
            "Douyin shop order export",
            "主订单编号,子订单编号,选购商品,商品规格,商品数量,商品ID,商家编码,商品单价,订单应付金额,运费,优惠总金额,平台优惠,商家优惠,达人优惠,支付优惠,红包抵扣,手续费,收件人,收件人手机号,省,市,区,街道,详细地址,是否修改过地址,买家留言,订单提交时间,流量来源,流量类型,流量渠道,流量体裁,达人ID,达人昵称,所属门店ID,订单状态,售后状态,取消原因,预约发货时间,商家备注,旗帜颜色,支付完成时间,订单完成时间,支付方式,支付流水号,快递信息,承诺发货时间,订单类型,广告渠道,发货时间,APP渠道,商品类型,仓库ID,仓库名称,是否安心购",
        ),
        (
            "Douyin shop order export",
            "主订单编号,子订单编号,选购商品,商品规格,商品数量,商品单价,订单应付金额,运费,收件人,收件人手机号,省,市,区,街道,详细地址,订单提交时间,支付完成时间,订单状态,售后状态,买家留言,商家备注",
        ),
        (
            "JD POP order export",
            "订单号,商品ID,商品名称,订购数量,支付方式,下单时间,京东价,订单金额,结算金额,余额支付,应付金额,订单状态,订单类型,下单帐号,客户姓名,客户地址,联系电话,订单备注,发票类型,发票抬头,商家备注,商家备注等级,运费金额,付款确认时间,增值税发票,货号,订单完成时间,订单来源,商家SKUID,物流公司,运单号",
        ),
    ];
    // Headers of presets this build has (the others wait for theirs).
    let known = |name: &str| presets::ALL.iter().any(|p| p.name.1 == name);
    for p in presets::ALL {
        let p: &Preset = p;
        assert!(
            samples.iter().any(|(name, _)| *name == p.name.1),
            "no sample header for {}",
            p.name.1
        );
    }
    for (name, header) in samples.iter().filter(|(name, _)| known(name)) {
        assert_eq!(preset_of(&format!("{header}\n")), *name, "{header}");
    }
    // More shapes of the same reports.
    for (name, header) in [
        (
            "Taobao/Tmall order report",
            "订单编号,买家昵称,买家实付金额,订单状态,订单创建时间,商品标题,店铺ID,确认收货打款金额,商家备注",
        ),
        (
            "Taobao/Tmall item report",
            "主订单编号,子订单编号,商品标题,商品价格,购买数量,订单状态,买家会员名,买家实付金额,订单创建时间,退款状态,退款金额",
        ),
        (
            "Kuaishou shop order export",
            "订单号,买家昵称,订单创建时间,订单状态,实付款",
        ),
        (
            "Youzan order export",
            "订单号,买家昵称,订单创建时间,订单状态,订单实付金额",
        ),
    ] {
        assert_eq!(preset_of(&format!("{header}\n")), name, "{header}");
    }
}

/// The 千牛 template's renamed columns read like the old ones.
#[test]
fn taobao_qianniu_renamed_columns() {
    let text = "订单编号,买家昵称,买家实付金额,订单状态,订单创建时间,商品标题,宝贝总数量,店铺ID,确认收货打款金额,商家备注,确认收货时间\n\
        =\"3515313147329357901\",tb买家甲,\"1,234.50\",交易成功,2024-05-01 10:00:00,连衣裙,2,12345,\"1,234.50\",加急,2024-05-05 10:00:00\n";
    let o = &orders(text)[0];
    assert_eq!(o.order_no, "3515313147329357901");
    assert_eq!((o.buyer_key.as_str(), o.paid_fen), ("tb买家甲", 123450));
    assert_eq!((o.title.as_str(), o.remark.as_str()), ("连衣裙", "加急"));
    assert_eq!(o.completed_at.as_deref(), Some("2024-05-05 10:00:00"));
}

/// A newer item report keyed by 主订单编号 + 子订单编号 is an item report
/// even when it carries the order's buyer, amount and time; a refund
/// counts on a line only when its 退款状态 says the money went back.
#[test]
fn taobao_item_report_by_sub_order() {
    let text = "主订单编号,子订单编号,商品标题,商品价格,购买数量,订单状态,买家会员名,买家实付金额,订单创建时间,退款状态,退款金额\n\
        =\"100\",=\"1001\",书包,159.00,1,交易成功,甲,159.00,2024-05-01 10:00:00,没有申请退款,无退款申请\n\
        =\"100\",=\"1002\",铅笔,2.00,3,交易关闭,甲,6.00,2024-05-01 10:00:00,退款成功,6.00\n\
        =\"101\",=\"1011\",尺子,5.00,1,交易成功,乙,5.00,2024-05-01 10:00:00,退款关闭,5.00\n";
    let lines: Vec<_> = rows(text)
        .into_iter()
        .map(|r| match r {
            Row::Line(l) => (l.order_no, l.sub_order_no, l.refund_fen),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        lines,
        vec![
            ("100".into(), "1001".into(), 0),
            ("100".into(), "1002".into(), 600),
            ("101".into(), "1011".into(), 0),
        ]
    );
}

/// A template without any buyer column is refused, naming what to tick.
#[test]
fn taobao_template_without_buyer_columns_is_refused() {
    let text = "订单编号,买家实付金额,订单状态,订单创建时间,订单付款时间,商品标题,宝贝总数量,店铺ID,店铺名称,商家备注\n1,1.00,交易成功,2024-05-01 10:00:00,,a,1,1,店,\n";
    let e = refusal(text);
    let zh = e.message(Lang::Zh);
    for col in ["买家会员名", "收货人姓名", "联系手机", "导出模板", "淘宝"] {
        assert!(zh.contains(col), "{zh}");
    }
    let en = e.message(Lang::En);
    assert!(
        en.contains("买家会员名") && en.contains("export template"),
        "{en}"
    );
}

#[test]
fn kuaishou_mapping() {
    use crate::domain::Platform::Kuaishou;
    use crate::domain::status::{kuaishou_status, map};
    assert_eq!(kuaishou_status("待付款"), OrderStatus::Unpaid);
    assert_eq!(kuaishou_status("待发货"), OrderStatus::Paid);
    assert_eq!(kuaishou_status("已发货"), OrderStatus::Shipped);
    assert_eq!(kuaishou_status("已收货"), OrderStatus::Completed);
    assert_eq!(kuaishou_status("订单成功"), OrderStatus::Completed);
    assert_eq!(kuaishou_status("订单失败"), OrderStatus::Closed);
    assert_eq!(map(Kuaishou, "交易关闭", 2890), OrderStatus::Refunded);
    assert_eq!(map(Kuaishou, "交易关闭", 0), OrderStatus::Closed);
    assert_eq!(map(Kuaishou, "退款中", 0), OrderStatus::Unknown);
}

#[test]
fn youzan_mapping() {
    use crate::domain::Platform::Youzan;
    use crate::domain::status::{map, youzan_status};
    assert_eq!(youzan_status("待付款"), OrderStatus::Unpaid);
    assert_eq!(youzan_status("待发货"), OrderStatus::Paid);
    assert_eq!(youzan_status("已发货"), OrderStatus::Shipped);
    assert_eq!(youzan_status("交易完成"), OrderStatus::Completed);
    assert_eq!(youzan_status("已完成"), OrderStatus::Completed);
    assert_eq!(map(Youzan, "已关闭", 100), OrderStatus::Refunded);
    assert_eq!(map(Youzan, "已关闭", 0), OrderStatus::Closed);
}
