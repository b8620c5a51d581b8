//! The shop fixed for one generation ([`Shop`]: its tables, couriers, keys and
//! buyer pool) and the buyers, rebuilt from their index whenever they order:
//! nickname, Alipay account and receivers.

use super::GenOptions;
use super::cells::{push_padded, push_u64};
use super::pool::{Pool, nick_number};
use super::rng::{
    Rng, STREAM_BUYERS, STREAM_NICK_IDS, STREAM_ORDER_IDS, STREAM_POOL, STREAM_SHOP, cumulative,
    derive, mix64,
};
use super::text::Text;
use crate::demo::names::{
    CITIES, COURIERS, EMAIL_DOMAINS, MESSAGES, NICK_LATIN, PHONE_PREFIXES, PRODUCTS,
    REFUND_REASONS, SURNAMES, UNPAID_REASONS,
};
use chrono::NaiveDateTime;

#[derive(Default)]
pub(super) struct Receiver {
    pub(super) name: Vec<u8>,
    pub(super) phone: u64,
    pub(super) address: Vec<u8>,
    pub(super) remote: bool,
}

/// One buyer, rebuilt from its index whenever it orders (nothing per buyer
/// is stored but its remaining order count). Text is GBK.
#[derive(Default)]
pub(super) struct Buyer {
    pub(super) nick: Vec<u8>,
    pub(super) alipay: Vec<u8>,
    pub(super) receivers: [Receiver; 2],
    pub(super) has_second: bool,
    /// The products this buyer comes back for, most loved first.
    pub(super) favourites: [usize; 2],
}

/// Cumulative weights of the weighted tables.
pub(super) struct Weights {
    pub(super) products: Vec<u32>,
    /// Products again, cheap everyday ones four times as likely: what
    /// regular buyers come back for.
    pub(super) consumables: Vec<u32>,
    pub(super) cities: Vec<u32>,
    pub(super) surnames: Vec<u32>,
    pub(super) phones: Vec<u32>,
    pub(super) messages: Vec<u32>,
    pub(super) refund: Vec<u32>,
    pub(super) unpaid: Vec<u32>,
}

/// Everything fixed for one generation, plus the buyer being written.
pub(super) struct Shop {
    pub(super) end: NaiveDateTime,
    pub(super) pool: Pool,
    pub(super) buyer_seed: u64,
    pub(super) order_key: u64,
    pub(super) nick_key: u64,
    /// The shop's usual courier and its second choice.
    pub(super) couriers: [usize; 2],
    /// For each product, the one most often bought with it.
    pub(super) companions: Vec<usize>,
    pub(super) text: Text,
    pub(super) weights: Weights,
    pub(super) buyer: Buyer,
}

pub(super) const DAY: i64 = 86_400;

/// Products at or below this price are everyday supplies that run out.
const CONSUMABLE_FEN: u32 = 2500;

impl Shop {
    pub(super) fn new(opts: &GenOptions) -> Shop {
        let mut shop_rng = Rng::new(derive(opts.seed, STREAM_SHOP));
        let main = shop_rng.index(COURIERS.len());
        let second = (main + 1 + shop_rng.index(COURIERS.len() - 1)) % COURIERS.len();
        let products = cumulative(PRODUCTS.iter().map(|p| p.weight));
        let companions = (0..PRODUCTS.len())
            .map(|p| {
                loop {
                    let q = shop_rng.weighted(&products);
                    if q != p {
                        break q;
                    }
                }
            })
            .collect();
        Shop {
            end: opts.end,
            pool: Pool::new(opts.orders, opts.span_days, derive(opts.seed, STREAM_POOL)),
            buyer_seed: derive(opts.seed, STREAM_BUYERS),
            order_key: derive(opts.seed, STREAM_ORDER_IDS),
            nick_key: derive(opts.seed, STREAM_NICK_IDS),
            couriers: [main, second],
            companions,
            text: Text::new(&opts.shop_name),
            weights: Weights {
                products,
                consumables: cumulative(
                    PRODUCTS
                        .iter()
                        .map(|p| p.weight * if p.price_fen <= CONSUMABLE_FEN { 4 } else { 1 }),
                ),
                cities: cumulative(CITIES.iter().map(|c| c.weight)),
                surnames: cumulative(SURNAMES.iter().map(|s| s.1)),
                phones: cumulative(PHONE_PREFIXES.iter().map(|p| p.1)),
                messages: cumulative(MESSAGES.iter().map(|m| m.1)),
                refund: cumulative(REFUND_REASONS.iter().map(|m| m.1)),
                unpaid: cumulative(UNPAID_REASONS.iter().map(|m| m.1)),
            },
            buyer: Buyer::default(),
        }
    }

    /// Rebuild buyer `idx`, who plans `planned` orders, into `self.buyer`.
    pub(super) fn load_buyer(&mut self, idx: usize, planned: u32) {
        let Shop {
            text,
            weights,
            buyer: b,
            ..
        } = self;
        let mut rng = Rng::new(mix64(
            self.buyer_seed ^ (idx as u64).wrapping_mul(0xD6E8_FEB8_6659_FD93),
        ));

        // Nickname: two syllables and a number unique to the buyer.
        let number = nick_number(idx as u64, self.nick_key);
        b.nick.clear();
        let style = rng.below(100);
        let first_syllable: &[u8] = if style < 10 {
            b.nick.extend_from_slice(b"tb");
            push_u64(&mut b.nick, number);
            push_padded(&mut b.nick, rng.below(100), 2);
            b"tb"
        } else {
            let first = syllable(&mut rng, text);
            let second = syllable(&mut rng, text);
            b.nick.extend_from_slice(first);
            b.nick.extend_from_slice(second);
            if style < 55 {
                push_u64(&mut b.nick, number);
            } else {
                push_u64(&mut b.nick, number / 1000);
                b.nick.push(b'_');
                push_u64(&mut b.nick, number % 1000);
            }
            first
        };

        b.has_second = rng.chance(100);
        for r in &mut b.receivers {
            fill_receiver(&mut rng, r, text, weights);
        }

        b.alipay.clear();
        if style >= 10 && rng.chance(200) {
            b.alipay.extend_from_slice(first_syllable);
            b.alipay.extend_from_slice(b"***@");
            b.alipay
                .extend_from_slice(EMAIL_DOMAINS[rng.index(EMAIL_DOMAINS.len())].as_bytes());
        } else {
            let p = b.receivers[0].phone;
            push_u64(&mut b.alipay, p / 100_000_000);
            b.alipay.extend_from_slice(b"****");
            push_padded(&mut b.alipay, p % 10_000, 4);
        }

        // What they come back for: regulars favour everyday supplies.
        let table = if planned >= 3 {
            &weights.consumables
        } else {
            &weights.products
        };
        let first = rng.weighted(table);
        let mut second = rng.weighted(table);
        if second == first {
            second = (first + 1) % PRODUCTS.len();
        }
        b.favourites = [first, second];
    }
}

pub(super) fn syllable<'t>(rng: &mut Rng, text: &'t Text) -> &'t [u8] {
    if rng.chance(600) {
        &text.nick_cjk[rng.index(text.nick_cjk.len())]
    } else {
        NICK_LATIN[rng.index(NICK_LATIN.len())].as_bytes()
    }
}

pub(super) fn fill_receiver(rng: &mut Rng, r: &mut Receiver, text: &Text, weights: &Weights) {
    r.name.clear();
    let compound = rng.chance(12);
    if compound {
        r.name
            .extend_from_slice(&text.compound[rng.index(text.compound.len())]);
    } else {
        r.name
            .extend_from_slice(&text.surnames[rng.weighted(&weights.surnames)]);
    }
    let given = if rng.chance(if compound { 500 } else { 250 }) {
        1
    } else {
        2
    };
    // Stationery buyers lean female; each character may also be a neutral one.
    let gender = usize::from(!rng.chance(580));
    for _ in 0..given {
        let pool = &text.given[if rng.chance(250) { 2 } else { gender }];
        r.name.extend_from_slice(&pool[rng.index(pool.len())]);
    }

    r.phone = u64::from(PHONE_PREFIXES[rng.weighted(&weights.phones)].0) * 100_000_000
        + rng.below(100_000_000);

    let ci = rng.weighted(&weights.cities);
    let city = &CITIES[ci];
    let di = rng.index(city.districts.len());
    r.remote = city.remote;
    let a = &mut r.address;
    a.clear();
    a.extend_from_slice(&text.city_prefix[ci]);
    a.extend_from_slice(&text.districts[ci][di]);
    a.extend_from_slice(&text.streets[rng.index(text.streets.len())]);
    push_u64(a, rng.range(1, 999));
    a.extend_from_slice(&text.hao);
    push_u64(a, rng.range(1, 36));
    a.extend_from_slice(&text.zhuang);
    push_u64(a, rng.range(1, 33) * 100 + rng.range(1, 6));
    a.extend_from_slice(&text.shi);
    a.push(b'(');
    push_padded(
        a,
        u64::from(city.postcode) + di as u64 * 10 + rng.below(10),
        6,
    );
    a.push(b')');
}
