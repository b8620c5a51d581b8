//! Column presets: one alias table per platform report, matched by header name.

use crate::domain::Platform;

/// What a column means, whatever the platform calls it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    OrderNo,
    SubOrderNo,
    Buyer,
    GoodsAmount,
    Postage,
    Total,
    Paid,
    Status,
    Message,
    Name,
    Address,
    Mobile,
    Phone,
    Created,
    PaidAt,
    ShippedAt,
    CompletedAt,
    Title,
    Kinds,
    Quantity,
    Tracking,
    Carrier,
    Remark,
    Shop,
    CloseReason,
    Refund,
    Province,
    City,
    District,
    Street,
    AfterSale,
    Price,
    Props,
    Package,
    MerchantCode,
    RefundStatus,
    GroupedAt,
}

pub const FIELD_COUNT: usize = Field::GroupedAt as usize + 1;

pub use crate::model::record::ReportKind;

pub struct Preset {
    pub platform: Platform,
    pub kind: ReportKind,
    /// What the report is called, in Chinese and English.
    pub name: (&'static str, &'static str),
    pub columns: &'static [(Field, &'static [&'static str])],
    /// Columns without which the file cannot feed kehu.
    pub required: &'static [Field],
    /// Columns whose presence says "this is that report" (for a refusal message).
    pub signature: &'static [Field],
    /// What the platform does with an order row after the common cells
    /// (buyer key, refund, status); `None` for item reports.
    pub(crate) order_rules: Option<super::fill::OrderRules>,
}

use Field::*;

mod ks_yz;
pub use ks_yz::{KUAISHOU_ORDERS, YOUZAN_ORDERS};

pub const TAOBAO_ORDERS: Preset = Preset {
    platform: Platform::Taobao,
    kind: ReportKind::Orders,
    name: ("淘宝/天猫 订单报表", "Taobao/Tmall order report"),
    columns: &[
        (OrderNo, &["订单编号", "订单号", "主订单编号"]),
        (Buyer, &["买家会员名", "买家昵称", "买家账号"]),
        (GoodsAmount, &["买家应付货款", "商品总价"]),
        (Postage, &["买家应付邮费", "邮费"]),
        (Total, &["总金额", "订单金额"]),
        (Paid, &["买家实际支付金额", "买家实付金额", "实付金额"]),
        (Status, &["订单状态"]),
        (Message, &["买家留言"]),
        (Name, &["收货人姓名", "收货人"]),
        (Address, &["收货地址", "详细收货地址"]),
        (Mobile, &["联系手机", "收货人手机号", "手机"]),
        (Phone, &["联系电话"]),
        (Created, &["订单创建时间", "创建时间", "下单时间"]),
        (PaidAt, &["订单付款时间", "付款时间"]),
        (ShippedAt, &["发货时间"]),
        (CompletedAt, &["确认收货时间", "交易结束时间"]),
        (Title, &["宝贝标题", "商品标题"]),
        (Kinds, &["宝贝种类", "商品种类"]),
        (Quantity, &["宝贝总数量", "商品总数量", "商品数量"]),
        (Tracking, &["物流单号", "运单号"]),
        (Carrier, &["物流公司", "快递公司"]),
        (Remark, &["订单备注", "商家备注", "卖家备注"]),
        (Shop, &["店铺名称"]),
        (CloseReason, &["订单关闭原因"]),
        (Refund, &["退款金额"]),
    ],
    required: &[OrderNo, Status, Paid, Created, Buyer],
    signature: &[OrderNo, Status, Paid, Created],
    order_rules: Some(super::fill::taobao::order),
};

pub const TAOBAO_ITEMS: Preset = Preset {
    platform: Platform::Taobao,
    kind: ReportKind::Items,
    name: ("淘宝/天猫 宝贝报表", "Taobao/Tmall item report"),
    columns: &[
        (OrderNo, &["订单编号", "主订单编号"]),
        (SubOrderNo, &["子订单编号"]),
        (Title, &["标题", "商品标题", "宝贝标题"]),
        (Price, &["价格", "商品价格", "单价"]),
        (Quantity, &["购买数量", "数量"]),
        (Props, &["商品属性", "商品规格", "销售属性"]),
        (Package, &["套餐信息"]),
        (Remark, &["备注"]),
        (Status, &["订单状态"]),
        (MerchantCode, &["商家编码", "商家编码-SKU维度"]),
        (Refund, &["退款金额"]),
        (RefundStatus, &["退款状态"]),
    ],
    required: &[OrderNo, Title, Quantity],
    signature: &[OrderNo, Title, Quantity],
    order_rules: None,
};

pub const PDD_ORDERS: Preset = Preset {
    platform: Platform::Pdd,
    kind: ReportKind::Orders,
    name: ("拼多多 订单导出", "Pinduoduo order export"),
    columns: &[
        (OrderNo, &["订单号"]),
        (Title, &["商品", "商品名称"]),
        (Status, &["订单状态"]),
        (GoodsAmount, &["商品总价(元)"]),
        (Postage, &["邮费(元)"]),
        (Paid, &["用户实付金额(元)", "实付金额(元)"]),
        (Quantity, &["商品数量(件)"]),
        (Name, &["收货人"]),
        (Mobile, &["手机", "收货人手机号"]),
        (Province, &["省"]),
        (City, &["市"]),
        (District, &["区", "区县"]),
        (Street, &["街道", "街道/镇", "详细地址"]),
        (PaidAt, &["支付时间"]),
        (Created, &["订单成交时间"]),
        (GroupedAt, &["拼单成功时间"]),
        (ShippedAt, &["发货时间"]),
        (CompletedAt, &["确认收货时间"]),
        (Props, &["商品规格"]),
        (
            MerchantCode,
            &["商家编码-SKU维度", "商家编码-规格维度", "商家编码-商品维度"],
        ),
        (Remark, &["商家备注"]),
        (Tracking, &["快递单号"]),
        (Carrier, &["快递公司"]),
        (AfterSale, &["售后状态"]),
        (Message, &["买家留言"]),
    ],
    // Creation time: 订单成交时间, else 支付时间 or 拼单成功时间, else the date the order number starts with.
    required: &[OrderNo, Status, Paid, Name, Mobile],
    signature: &[OrderNo, Status, Paid],
    order_rules: Some(super::fill::pdd::order),
};

/// 抖店 订单导出: the standard 54-column report and the sellers' custom
/// column choices (a 21-column one is common). One row per 子订单.
pub const DOUYIN_ORDERS: Preset = Preset {
    platform: Platform::Douyin,
    kind: ReportKind::Orders,
    name: ("抖店 订单导出", "Douyin shop order export"),
    columns: &[
        (OrderNo, &["主订单编号", "订单编号"]),
        (SubOrderNo, &["子订单编号"]),
        (Title, &["选购商品", "商品名称"]),
        (Props, &["商品规格"]),
        (Quantity, &["商品数量"]),
        (MerchantCode, &["商家编码", "商品ID"]),
        (Price, &["商品单价"]),
        (Paid, &["订单应付金额"]),
        (Postage, &["运费"]),
        (Name, &["收件人", "收件人姓名"]),
        (Mobile, &["收件人手机号", "收件人电话"]),
        (Province, &["省"]),
        (City, &["市"]),
        (District, &["区"]),
        (Street, &["街道"]),
        (Address, &["详细地址"]),
        (Created, &["订单提交时间"]),
        (PaidAt, &["支付完成时间", "支付时间"]),
        (ShippedAt, &["发货时间"]),
        (CompletedAt, &["订单完成时间", "完成时间"]),
        (Status, &["订单状态"]),
        (AfterSale, &["售后状态"]),
        (Message, &["买家留言"]),
        (Remark, &["商家备注"]),
        (Tracking, &["快递信息", "快递单号"]),
        (CloseReason, &["取消原因"]),
        (Shop, &["店铺名称"]),
    ],
    required: &[OrderNo, Status, Paid, Created, Name],
    signature: &[OrderNo, Status, Paid, Created],
    order_rules: Some(super::fill::douyin::order),
};

/// 京东 POP 商家后台 订单导出 (GBK, every value ends in a tab). One row per SKU.
pub const JD_ORDERS: Preset = Preset {
    platform: Platform::Jd,
    kind: ReportKind::Orders,
    name: ("京东 POP 订单导出", "JD POP order export"),
    columns: &[
        (OrderNo, &["订单号"]),
        (MerchantCode, &["商家SKUID", "商品ID", "货号"]),
        (Title, &["商品名称"]),
        (Quantity, &["订购数量"]),
        (Created, &["下单时间"]),
        (Price, &["京东价"]),
        (Total, &["订单金额"]),
        (Paid, &["应付金额"]),
        (Status, &["订单状态"]),
        // `下单帐号`: header names read 帐 as 账.
        (Buyer, &["下单账号", "下单用户"]),
        (Name, &["客户姓名"]),
        (Address, &["客户地址"]),
        (Mobile, &["联系电话"]),
        (Message, &["订单备注"]),
        (Remark, &["商家备注"]),
        (Postage, &["运费金额"]),
        (PaidAt, &["付款确认时间"]),
        (CompletedAt, &["订单完成时间"]),
        (Carrier, &["物流公司"]),
        (Tracking, &["运单号"]),
    ],
    required: &[OrderNo, Status, Paid, Created, Buyer],
    signature: &[OrderNo, Status, Paid, Created],
    order_rules: Some(super::fill::jd::order),
};

pub const ALL: [&Preset; 7] = [
    &TAOBAO_ORDERS,
    &TAOBAO_ITEMS,
    &PDD_ORDERS,
    &DOUYIN_ORDERS,
    &JD_ORDERS,
    &KUAISHOU_ORDERS,
    &YOUZAN_ORDERS,
];

/// Which column index holds each field.
#[derive(Debug, Clone)]
pub struct ColumnMap {
    idx: [Option<usize>; FIELD_COUNT],
    pub width: usize,
}

impl ColumnMap {
    pub fn get(&self, f: Field) -> Option<usize> {
        self.idx[f as usize]
    }
}

/// Map a normalised header row onto a preset. Earlier aliases win; the first
/// matching column wins.
pub fn map_columns(preset: &Preset, headers: &[String]) -> ColumnMap {
    let mut idx = [None; FIELD_COUNT];
    for (field, aliases) in preset.columns {
        if idx[*field as usize].is_some() {
            continue;
        }
        'alias: for alias in *aliases {
            for (i, h) in headers.iter().enumerate() {
                if h == alias {
                    idx[*field as usize] = Some(i);
                    break 'alias;
                }
            }
        }
    }
    ColumnMap {
        idx,
        width: headers.len(),
    }
}

/// A column this map reads whose header name appears more than once.
pub fn duplicated<'h>(map: &ColumnMap, headers: &'h [String]) -> Option<&'h str> {
    map.idx.iter().flatten().find_map(|&i| {
        let name = &headers[i];
        headers
            .iter()
            .enumerate()
            .any(|(j, h)| j != i && h == name)
            .then_some(name.as_str())
    })
}

/// The header names a missing field would go by (its first alias).
pub fn field_label(preset: &Preset, f: Field) -> &'static str {
    preset
        .columns
        .iter()
        .find(|(field, _)| *field == f)
        .map(|(_, a)| a[0])
        .unwrap_or("?")
}

/// Missing required fields of `preset` in `map`. A required `Buyer` is
/// there when the buyer can be keyed: by its own column, or, on a platform
/// whose key falls back to the receiver (Kuaishou, Youzan), by the
/// receiver's name with a phone or an address column.
pub fn missing(preset: &Preset, map: &ColumnMap) -> Vec<Field> {
    preset
        .required
        .iter()
        .copied()
        .filter(|f| map.get(*f).is_none())
        .filter(|f| *f != Buyer || !receiver_keys_buyer(preset, map))
        .collect()
}

/// Whether the receiver's columns can key the buyer of this report.
fn receiver_keys_buyer(preset: &Preset, map: &ColumnMap) -> bool {
    matches!(preset.platform, Platform::Kuaishou | Platform::Youzan)
        && map.get(Name).is_some()
        && [Mobile, Address, Street]
            .iter()
            .any(|f| map.get(*f).is_some())
}

/// A header whose columns fit `preset` but which cannot be that report: a
/// Taobao order report has one row per order, so a 子订单编号 column makes
/// the file an item report (newer item reports carry 订单状态, amounts and
/// times beside it).
pub fn ruled_out(preset: &Preset, headers: &[String]) -> bool {
    preset.platform == Platform::Taobao
        && preset.kind == ReportKind::Orders
        && headers.iter().any(|h| h == "子订单编号")
}

/// How well a header row looks like `preset` (signature columns found).
pub fn signature_score(preset: &Preset, map: &ColumnMap) -> usize {
    preset
        .signature
        .iter()
        .filter(|f| map.get(**f).is_some())
        .count()
}
