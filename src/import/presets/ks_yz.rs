//! The Kuaishou 快手小店 and Youzan 有赞 order exports: one row per order
//! with its item inline. Their alias tables keep to names only these
//! platforms use for the amount paid (实付款, 订单实付金额) so that a Taobao
//! or Pinduoduo header never fits them, nor theirs a Taobao one.

use super::{Field::*, Preset, ReportKind};
use crate::domain::Platform;

pub const KUAISHOU_ORDERS: Preset = Preset {
    platform: Platform::Kuaishou,
    kind: ReportKind::Orders,
    name: ("快手小店 订单导出", "Kuaishou shop order export"),
    columns: &[
        (OrderNo, &["订单号", "订单编号"]),
        // The buyer's id outlives a nickname change: it wins when both are there.
        (
            Buyer,
            &["买家ID", "买家id", "用户ID", "买家昵称", "用户昵称"],
        ),
        (Status, &["订单状态"]),
        (Paid, &["实付款", "实付款(元)", "订单实付款"]),
        (GoodsAmount, &["商品总价", "商品总价(元)"]),
        (Postage, &["运费", "运费(元)"]),
        (Created, &["订单创建时间", "下单时间"]),
        (PaidAt, &["订单支付时间", "支付时间"]),
        (ShippedAt, &["发货时间"]),
        (CompletedAt, &["收货时间", "订单完成时间"]),
        (Quantity, &["成交数量", "商品数量"]),
        (Message, &["买家留言"]),
        (AfterSale, &["退货退款", "售后状态"]),
        (Refund, &["退款金额", "退款金额(元)"]),
        (Title, &["商品名称"]),
        (Props, &["商品规格", "SKU规格"]),
        (Price, &["商品单价", "商品单价(元)"]),
        (MerchantCode, &["SKU编码", "商家编码", "商品ID"]),
        (Name, &["收货人", "收货人姓名"]),
        (
            Mobile,
            &["收货人电话", "收货人手机号", "收货人手机", "手机号"],
        ),
        (Address, &["收货地址"]),
        (Province, &["省", "省份"]),
        (City, &["市", "城市"]),
        (District, &["区", "区县"]),
        (Street, &["详细地址", "街道"]),
        (Remark, &["商家备注"]),
        (Tracking, &["快递单号", "物流单号", "运单号"]),
        (Carrier, &["快递公司", "物流公司"]),
        (Shop, &["店铺名称"]),
    ],
    // Buyer stands for "the buyer can be keyed": a buyer column, or the
    // receiver's name with a phone or address ([`super::missing`]).
    required: &[OrderNo, Status, Paid, Created, Buyer],
    signature: &[OrderNo, Status, Paid, Created, PaidAt, Quantity],
    order_rules: Some(crate::import::fill::kuaishou::order),
};

pub const YOUZAN_ORDERS: Preset = Preset {
    platform: Platform::Youzan,
    kind: ReportKind::Orders,
    name: ("有赞 订单导出", "Youzan order export"),
    columns: &[
        (OrderNo, &["订单号", "订单编号"]),
        (Buyer, &["买家昵称"]),
        (Status, &["订单状态"]),
        (Paid, &["订单实付金额", "订单实付金额(元)"]),
        (GoodsAmount, &["商品金额合计", "商品总价"]),
        (Postage, &["运费", "订单运费"]),
        (Created, &["订单创建时间", "下单时间"]),
        (PaidAt, &["买家付款时间", "付款时间"]),
        (ShippedAt, &["商家发货时间", "发货时间"]),
        (CompletedAt, &["交易成功时间", "确认收货时间"]),
        (Name, &["收货人/提货人", "收货人"]),
        (Mobile, &["收货人手机号/提货人手机号", "收货人手机号"]),
        (Province, &["收货人省份"]),
        (City, &["收货人城市"]),
        (District, &["收货人地区"]),
        (Street, &["详细收货地址/提货地址", "详细收货地址"]),
        (Title, &["商品名称"]),
        (Props, &["商品规格", "规格"]),
        (Quantity, &["商品数量", "商品总数量"]),
        (Price, &["商品单价"]),
        (MerchantCode, &["商品编码", "规格编码"]),
        (Message, &["买家备注", "买家留言"]),
        (Remark, &["商家订单备注", "商家备注"]),
        (RefundStatus, &["退款状态", "订单退款状态", "维权状态"]),
        (Refund, &["退款金额", "已退款金额"]),
        (Tracking, &["物流单号", "快递单号", "运单号"]),
        (Carrier, &["物流公司", "快递公司"]),
        (Shop, &["归属店铺", "店铺名称"]),
    ],
    required: &[OrderNo, Status, Paid, Created, Buyer],
    signature: &[OrderNo, Status, Paid, Created, PaidAt, Province],
    order_rules: Some(crate::import::fill::youzan::order),
};
