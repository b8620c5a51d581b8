//! One order written: its buyer drawn, number, status, items, money, times,
//! logistics and texts, as a row of the order report and rows of the item report.

use chrono::{Duration, NaiveDateTime};

use super::buyer::{DAY, Shop};
use super::cells::{cell, cell_money, cell_u64, push_datetime, push_padded, push_u64};
use super::rng::{Rng, feistel};
use super::text::Status;
use crate::demo::names::{COURIERS, PRODUCTS};

impl Shop {
    /// Appends order `k` (created at `created`) to `orow` and its items to
    /// `irow`; returns (item rows, fen paid).
    pub(super) fn order(
        &mut self,
        k: u64,
        created: NaiveDateTime,
        rng: &mut Rng,
        orow: &mut Vec<u8>,
        irow: &mut Vec<u8>,
    ) -> (u64, i64) {
        let now = created.and_utc().timestamp();
        let drawn = self.pool.draw(now);
        self.load_buyer(drawn.idx, drawn.planned);
        let recv = usize::from(self.buyer.has_second && rng.chance(300));

        // Order number: random high digits over a scrambled unique low part.
        let low = feistel(k % 1_000_000_000_000, 1_000_000, self.order_key);
        let high = if rng.chance(600) {
            rng.range(1_000_000, 3_999_999)
        } else {
            rng.range(100_000, 999_999)
        };
        let id = high * 1_000_000_000_000 + low;

        // Items: 1–3 distinct products, 1–3 of each. A returning buyer
        // mostly comes back for a favourite; a further item is often the
        // one usually bought with the first.
        let n_items = match rng.below(1000) {
            0..600 => 1,
            600..880 => 2,
            _ => 3,
        };
        let favourites = self.buyer.favourites;
        let returning = drawn.placed > 0;
        let mut picked = [usize::MAX; 3];
        let mut qty = [0u64; 3];
        let mut attr = [usize::MAX; 3];
        let mut i = 0;
        while i < n_items {
            let r = rng.below(1000);
            let p = match (i, returning) {
                (0, true) if r < 550 => favourites[0],
                (0, true) if r < 750 => favourites[1],
                (0, false) if r < 250 => favourites[0],
                (1.., _) if r < 450 => self.companions[picked[0]],
                _ => rng.weighted(&self.weights.products),
            };
            if picked[..i].contains(&p) {
                continue;
            }
            picked[i] = p;
            qty[i] = match rng.below(1000) {
                0..700 => 1,
                700..900 => 2,
                _ => 3,
            };
            let attrs = PRODUCTS[p].attrs;
            if !attrs.is_empty() && rng.chance(800) {
                attr[i] = rng.index(attrs.len());
            }
            i += 1;
        }
        let goods: i64 = (0..n_items)
            .map(|i| i64::from(PRODUCTS[picked[i]].price_fen) * qty[i] as i64)
            .sum();
        let total_qty: u64 = qty[..n_items].iter().sum();

        // Postage (remote regions always pay) and shop coupons.
        let postage: i64 = if self.buyer.receivers[recv].remote {
            1000
        } else if goods < 3900 && !rng.chance(150) {
            600
        } else {
            0
        };
        let discount: i64 = if goods >= 19900 && rng.chance(150) {
            1000
        } else if goods >= 9900 && rng.chance(300) {
            500
        } else if goods >= 2900 && rng.chance(250) {
            200
        } else {
            0
        };
        let total = goods + postage - discount;

        // Status by age, then made causal (nothing ships before it is paid...).
        let age = (self.end - created).num_seconds();
        let pay_delay = match rng.below(1000) {
            0..700 => rng.range(3, 300),
            700..900 => rng.range(300, 1800),
            900..980 => rng.range(1800, 7200),
            _ => rng.range(7200, 86_400),
        } as i64;
        let ship_delay = rng.range(3600, 2 * DAY as u64) as i64;
        let r = rng.below(1000);
        let closed = |rng: &mut Rng, refund_per_mille: u64| {
            if rng.chance(refund_per_mille) {
                Status::ClosedRefund
            } else {
                Status::ClosedUnpaid
            }
        };
        let mut status = if age < 2 * DAY {
            match r {
                0..200 => Status::WaitPay,
                200..750 => Status::WaitShip,
                750..950 => Status::Shipped,
                _ => closed(rng, 200),
            }
        } else if age < 10 * DAY {
            match r {
                0..550 => Status::Shipped,
                550..850 => Status::Success,
                850..910 => Status::WaitShip,
                _ => closed(rng, 500),
            }
        } else {
            match r {
                0..875 => Status::Success,
                875..965 => closed(rng, 500),
                965..985 => Status::Shipped,
                985..995 => Status::WaitShip,
                _ => Status::WaitPay,
            }
        };
        if status.paid() && pay_delay > age {
            status = if status == Status::ClosedRefund {
                Status::ClosedUnpaid
            } else {
                Status::WaitPay
            };
        }
        if matches!(status, Status::Shipped | Status::Success) && pay_delay + ship_delay > age {
            status = Status::WaitShip;
        }
        if status == Status::Success && pay_delay + ship_delay + 2 * DAY > age {
            status = Status::Shipped;
        }

        let paid = if status.paid() { total } else { 0 };
        let refund = match status {
            Status::ClosedRefund => paid,
            Status::Success if rng.chance(40) => {
                let lo = (paid + 99) / 100;
                let hi = (paid / 2).max(lo);
                let pct = rng.range(1, 50) as i64;
                // Round to ten fen, like a seller typing a refund.
                ((paid * pct / 100) / 10 * 10).clamp(lo, hi)
            }
            _ => 0,
        };
        // A buyer whose order ended in a refund may not come back.
        let stop = status == Status::ClosedRefund && rng.chance(400);
        self.pool.after(drawn, now, stop);
        let shipped = match status {
            Status::Shipped | Status::Success => true,
            Status::ClosedRefund => rng.chance(300), // returned after delivery
            _ => false,
        };
        let text = &self.text;
        let close_reason: &[u8] = match status {
            Status::ClosedRefund => &text.refund_reasons[rng.weighted(&self.weights.refund)],
            Status::ClosedUnpaid => &text.unpaid_reasons[rng.weighted(&self.weights.unpaid)],
            _ => &text.not_closed,
        };
        let message: &[u8] = if rng.chance(150) {
            &text.messages[rng.weighted(&self.weights.messages)]
        } else {
            b""
        };
        let remark: &[u8] = if rng.chance(30) {
            &text.remarks[rng.index(text.remarks.len())]
        } else {
            b""
        };
        let mobile: &[u8] = if rng.chance(800) { &text.mobile } else { b"" };

        // The order row.
        let b = &self.buyer;
        let rc = &b.receivers[recv];
        orow.extend_from_slice(b"=\"");
        push_u64(orow, id);
        orow.extend_from_slice(b"\",");
        cell(orow, &b.nick);
        cell(orow, &b.alipay);
        cell_money(orow, goods);
        cell_money(orow, postage);
        cell(orow, b"0");
        cell_money(orow, total);
        cell(orow, b"0");
        cell_money(orow, paid);
        cell(orow, b"0");
        cell(orow, text.status(status));
        cell(orow, message);
        cell(orow, &rc.name);
        cell(orow, &rc.address);
        cell(orow, &text.express);
        cell(orow, b"");
        orow.extend_from_slice(b"\"'");
        push_padded(orow, rc.phone, 11);
        orow.extend_from_slice(b"\",\"");
        push_datetime(orow, created);
        orow.extend_from_slice(b"\",\"");
        if status.paid() {
            push_datetime(orow, created + Duration::seconds(pay_delay));
        }
        orow.extend_from_slice(b"\",\"");
        for (i, &p) in picked[..n_items].iter().enumerate() {
            if i > 0 {
                orow.extend_from_slice(&text.title_sep);
            }
            orow.extend_from_slice(&text.titles[p]);
        }
        orow.extend_from_slice(b"\",");
        cell_u64(orow, n_items as u64);
        let courier: &[u8] = if shipped {
            let c = match rng.below(1000) {
                0..700 => self.couriers[0],
                700..900 => self.couriers[1],
                _ => rng.index(COURIERS.len()),
            };
            let spec = &COURIERS[c];
            orow.extend_from_slice(b"=\"");
            orow.extend_from_slice(spec.prefixes[rng.index(spec.prefixes.len())].as_bytes());
            push_padded(
                orow,
                rng.below(10u64.pow(spec.digits)),
                spec.digits as usize,
            );
            orow.extend_from_slice(b"\",");
            &text.couriers[c]
        } else {
            cell(orow, b"");
            b""
        };
        cell(orow, courier);
        cell(orow, remark);
        cell_u64(orow, total_qty);
        cell(orow, b"0");
        cell(orow, &text.shop_name);
        cell(orow, close_reason);
        cell(orow, b"0");
        cell(orow, &text.zero_yuan);
        cell(orow, b"");
        cell(orow, mobile);
        orow.extend_from_slice(b"\"\",\"\",");
        for _ in 0..3 {
            cell(orow, &text.no);
        }
        orow.extend_from_slice(b"\"\",\"\",\"\",\"\",\"0\",\"0\",");
        cell(orow, &text.no);
        cell_money(orow, refund);
        orow.extend_from_slice(b"\"\"\r\n");

        // The item rows (with the trailing comma of the real thing).
        for i in 0..n_items {
            let p = picked[i];
            irow.extend_from_slice(b"=\"");
            push_u64(irow, id);
            irow.extend_from_slice(b"\",");
            cell(irow, &text.titles[p]);
            cell_money(irow, i64::from(PRODUCTS[p].price_fen));
            cell_u64(irow, qty[i]);
            cell(irow, b"");
            cell(irow, text.attrs[p].get(attr[i]).map_or(&b""[..], |a| a));
            irow.extend_from_slice(b"\"\",\"\",");
            cell(irow, text.status(status));
            cell(irow, PRODUCTS[p].sku.as_bytes());
            irow.extend_from_slice(b"\r\n");
        }
        (n_items as u64, paid)
    }
}
