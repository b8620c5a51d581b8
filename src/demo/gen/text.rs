//! The order statuses the generator writes and the text tables (product
//! titles, places, names, messages…) encoded to GBK once.

use super::cells::to_gbk;
use crate::demo::names::{
    CITIES, COMPOUND_SURNAMES, COURIERS, GIVEN_FEMALE, GIVEN_MALE, GIVEN_NEUTRAL, MESSAGES,
    NICK_CJK, PRODUCTS, REFUND_REASONS, REMARKS, STREETS, SURNAMES, UNPAID_REASONS,
};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Status {
    WaitPay,
    WaitShip,
    Shipped,
    Success,
    ClosedRefund,
    ClosedUnpaid,
}

impl Status {
    pub(super) fn text(self) -> &'static str {
        match self {
            Status::WaitPay => "等待买家付款",
            Status::WaitShip => "买家已付款，等待卖家发货",
            Status::Shipped => "卖家已发货，等待买家确认",
            Status::Success => "交易成功",
            Status::ClosedRefund | Status::ClosedUnpaid => "交易关闭",
        }
    }

    pub(super) fn paid(self) -> bool {
        !matches!(self, Status::WaitPay | Status::ClosedUnpaid)
    }
}

pub(super) const ALL_STATUSES: [Status; 6] = [
    Status::WaitPay,
    Status::WaitShip,
    Status::Shipped,
    Status::Success,
    Status::ClosedRefund,
    Status::ClosedUnpaid,
];

pub(super) type Bytes = Box<[u8]>;

/// The tables, GBK-encoded once. Free text that may hold `"` is stored
/// already escaped for a quoted CSV cell.
pub(super) struct Text {
    pub(super) titles: Vec<Bytes>,
    pub(super) attrs: Vec<Vec<Bytes>>,
    /// "浙江省 杭州市 "
    pub(super) city_prefix: Vec<Bytes>,
    /// "西湖区 "
    pub(super) districts: Vec<Vec<Bytes>>,
    pub(super) streets: Vec<Bytes>,
    pub(super) surnames: Vec<Bytes>,
    pub(super) compound: Vec<Bytes>,
    /// Female, male, either.
    pub(super) given: [Vec<Bytes>; 3],
    pub(super) nick_cjk: Vec<Bytes>,
    pub(super) messages: Vec<Bytes>,
    pub(super) remarks: Vec<Bytes>,
    pub(super) refund_reasons: Vec<Bytes>,
    pub(super) unpaid_reasons: Vec<Bytes>,
    pub(super) couriers: Vec<Bytes>,
    pub(super) statuses: Vec<Bytes>,
    pub(super) shop_name: Bytes,
    pub(super) not_closed: Bytes,
    pub(super) express: Bytes,
    pub(super) mobile: Bytes,
    pub(super) no: Bytes,
    pub(super) zero_yuan: Bytes,
    pub(super) hao: Bytes,
    pub(super) zhuang: Bytes,
    pub(super) shi: Bytes,
    pub(super) title_sep: Bytes,
}

pub(super) fn gbk_all<'a>(items: impl Iterator<Item = &'a str>) -> Vec<Bytes> {
    items.map(|s| to_gbk(s).into_boxed_slice()).collect()
}

pub(super) fn escaped(s: &str) -> Bytes {
    to_gbk(&s.replace('"', "\"\"")).into_boxed_slice()
}

impl Text {
    pub(super) fn new(shop_name: &str) -> Text {
        let one = |s: &str| to_gbk(s).into_boxed_slice();
        Text {
            titles: gbk_all(PRODUCTS.iter().map(|p| p.title)),
            attrs: PRODUCTS
                .iter()
                .map(|p| gbk_all(p.attrs.iter().copied()))
                .collect(),
            city_prefix: CITIES
                .iter()
                .map(|c| one(&format!("{} {} ", c.province, c.city)))
                .collect(),
            districts: CITIES
                .iter()
                .map(|c| c.districts.iter().map(|d| one(&format!("{d} "))).collect())
                .collect(),
            streets: gbk_all(STREETS.iter().copied()),
            surnames: gbk_all(SURNAMES.iter().map(|s| s.0)),
            compound: gbk_all(COMPOUND_SURNAMES.iter().copied()),
            given: [
                gbk_all(GIVEN_FEMALE.iter().copied()),
                gbk_all(GIVEN_MALE.iter().copied()),
                gbk_all(GIVEN_NEUTRAL.iter().copied()),
            ],
            nick_cjk: gbk_all(NICK_CJK.iter().copied()),
            messages: MESSAGES.iter().map(|m| escaped(m.0)).collect(),
            remarks: REMARKS.iter().map(|m| escaped(m)).collect(),
            refund_reasons: gbk_all(REFUND_REASONS.iter().map(|r| r.0)),
            unpaid_reasons: gbk_all(UNPAID_REASONS.iter().map(|r| r.0)),
            couriers: gbk_all(COURIERS.iter().map(|c| c.name)),
            statuses: gbk_all(ALL_STATUSES.iter().map(|s| s.text())),
            shop_name: escaped(shop_name),
            not_closed: one("订单未关闭"),
            express: one("快递"),
            mobile: one("手机订单"),
            no: one("否"),
            zero_yuan: one("0元"),
            hao: one("号"),
            zhuang: one("幢"),
            shi: one("室"),
            title_sep: one("，"),
        }
    }

    pub(super) fn status(&self, s: Status) -> &[u8] {
        &self.statuses[s as usize]
    }
}
