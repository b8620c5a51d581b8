//! The generator's randomness and arithmetic: a SplitMix64 stream per purpose
//! derived from the seed, and `ln`/`exp` of our own so that the same seed gives
//! the same bytes on every platform.

/// The purposes with a random stream of their own (see [`derive`]): changing
/// how one draws leaves the others' draws as they were.
pub(super) const STREAM_ORDERS: u64 = 1;
pub(super) const STREAM_TIME: u64 = 2;
pub(super) const STREAM_POOL: u64 = 3;
pub(super) const STREAM_BUYERS: u64 = 4;
pub(super) const STREAM_SHOP: u64 = 5;
pub(super) const STREAM_ORDER_IDS: u64 = 6;
pub(super) const STREAM_NICK_IDS: u64 = 7;

pub(super) fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// An independent seed for one purpose (`stream`) of one generation (`seed`).
pub(super) fn derive(seed: u64, stream: u64) -> u64 {
    mix64(
        seed ^ mix64(
            stream
                .wrapping_mul(0x9E37_79B9_7F4A_7C15)
                .wrapping_add(0x632B_E59B_D9B4_E019),
        ),
    )
}

/// SplitMix64: tiny, fast, and good enough for synthetic data.
pub(super) struct Rng(u64);

impl Rng {
    pub(super) fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub(super) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix64(self.0)
    }

    /// Uniform in `0..n` (n > 0).
    pub(super) fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform index into a slice of length `len`.
    pub(super) fn index(&mut self, len: usize) -> usize {
        self.below(len as u64) as usize
    }

    /// Uniform in `lo..=hi`.
    pub(super) fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `per_mille`/1000.
    pub(super) fn chance(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }

    /// Uniform in (0, 1].
    pub(super) fn unit_open(&mut self) -> f64 {
        ((self.next_u64() >> 11) + 1) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Index into a weighted table given its cumulative weights.
    pub(super) fn weighted(&mut self, cum: &[u32]) -> usize {
        let total = *cum.last().expect("non-empty table");
        let r = self.below(u64::from(total)) as u32;
        cum.partition_point(|&c| c <= r)
    }
}

pub(super) fn cumulative(weights: impl Iterator<Item = u32>) -> Vec<u32> {
    weights
        .scan(0u32, |acc, w| {
            *acc += w;
            Some(*acc)
        })
        .collect()
}

// Our own ln/exp: std's go to the platform libm, which may differ in the last
// bit between systems, and with it the bytes we promise to repeat.

pub(super) const LN2: f64 = std::f64::consts::LN_2;

pub(super) fn det_ln(x: f64) -> f64 {
    debug_assert!(x.is_normal() && x > 0.0);
    let bits = x.to_bits();
    let mut e = ((bits >> 52) & 0x7ff) as i64 - 1023;
    let mut m = f64::from_bits((bits & 0x000F_FFFF_FFFF_FFFF) | 0x3FF0_0000_0000_0000);
    if m > std::f64::consts::SQRT_2 {
        m *= 0.5;
        e += 1;
    }
    // ln(m) = 2·atanh(s) with |s| <= 0.172: eleven more terms are plenty.
    let s = (m - 1.0) / (m + 1.0);
    let s2 = s * s;
    let mut term = s;
    let mut sum = s;
    let mut k = 3.0;
    for _ in 0..11 {
        term *= s2;
        sum += term / k;
        k += 2.0;
    }
    e as f64 * LN2 + 2.0 * sum
}

pub(super) fn det_exp(y: f64) -> f64 {
    let y = y.clamp(-700.0, 700.0);
    let k = (y / LN2).round();
    let r = y - k * LN2;
    // Taylor on |r| <= 0.35.
    let mut term = 1.0;
    let mut sum = 1.0;
    for i in 1..18 {
        term *= r / f64::from(i);
        sum += term;
    }
    sum * f64::from_bits(((k as i64 + 1023) as u64) << 52)
}

pub(super) fn det_expm1(y: f64) -> f64 {
    if y.abs() < 1e-3 {
        y + y * y / 2.0 + y * y * y / 6.0 + y * y * y * y / 24.0
    } else {
        det_exp(y) - 1.0
    }
}

/// A bijection on `0..half²` (a four-round Feistel network over two halves).
pub(super) fn feistel(x: u64, half: u64, key: u64) -> u64 {
    let (mut l, mut r) = (x / half, x % half);
    for round in 0..4u64 {
        let f = mix64(r ^ key.wrapping_add(round.wrapping_mul(0xA076_1D64_78BD_642F))) % half;
        (l, r) = (r, (l + f) % half);
    }
    l * half + r
}
