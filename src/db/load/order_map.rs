//! Orders kept in memory while a file loads: the compact hash map of the
//! platform's stored order numbers that bulk mode reads instead of a look-up
//! per row ([`OrderMap`]), and the bit sets of order ids a file already gave
//! ([`BitSet`]).

use crate::domain::Platform;
use rusqlite::Transaction;
use std::collections::HashMap;

/// A growable set of ids, one bit each.
#[derive(Default)]
pub(super) struct BitSet(Vec<u64>);

impl BitSet {
    pub(super) fn contains(&self, id: i64) -> bool {
        let i = id as u64 as usize;
        self.0.get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0)
    }
    pub(super) fn insert(&mut self, id: i64) {
        let i = id as u64 as usize;
        if self.0.len() <= i / 64 {
            self.0.resize(i / 64 + 1, 0);
        }
        self.0[i / 64] |= 1 << (i % 64);
    }
}

/// An order number as a compact key: canonical decimal numbers of up to 19
/// digits (what platforms issue) as `u64`, anything else as text.
enum OrderKey<'s> {
    Num(u64),
    Text(&'s str),
}

fn order_key(no: &str) -> OrderKey<'_> {
    let b = no.as_bytes();
    if !b.is_empty()
        && b.len() <= 19
        && (b[0] != b'0' || b.len() == 1)
        && b.iter().all(u8::is_ascii_digit)
        && let Ok(v) = no.parse()
    {
        return OrderKey::Num(v);
    }
    OrderKey::Text(no)
}

/// The platform's order numbers → (order id, a stored value: `fp` while
/// loading an order report, `lines_fp` for an item report), read in one pass;
/// orders this file inserts after the read are added with their id only.
///
/// Numeric keys live in one flat array, in id order. A report lists its orders
/// in the order they were first imported, so a look-up first tries the entry
/// after the last one found (no hashing, memory read in sequence); only when
/// that guess fails is an open-addressing table of positions built (about
/// 8 bytes an order) and used from then on.
#[derive(Default)]
pub(super) struct OrderMap {
    entries: Vec<Entry>,
    /// Positions in `entries` (`EMPTY` = free slot); a power of two long, or
    /// empty while no look-up has needed it.
    slots: Vec<u32>,
    /// The entry the next look-up tries first.
    cursor: usize,
    text: HashMap<Box<str>, Entry>,
}

/// Which stored fingerprint the map holds.
#[derive(Clone, Copy)]
pub(super) enum Stored {
    /// The order row's (`orders.fp`).
    Fp,
    /// The order's item lines' (`order_lines_fp.fp`).
    LinesFp,
}

#[derive(Clone, Copy)]
struct Entry {
    key: u64,
    id: i64,
    val: i64,
    state: ValState,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum ValState {
    /// Added by this file: the value is read from the row when needed.
    Unknown,
    Null,
    Known,
}

const EMPTY: u32 = u32::MAX;

/// What the map knows of an order: its id, and the stored value when it was read.
pub(super) type Known = (i64, Option<Option<i64>>);

impl Entry {
    fn new(key: u64, id: i64, v: Option<Option<i64>>) -> Entry {
        let (val, state) = match v {
            None => (0, ValState::Unknown),
            Some(None) => (0, ValState::Null),
            Some(Some(v)) => (v, ValState::Known),
        };
        Entry {
            key,
            id,
            val,
            state,
        }
    }

    fn known(&self) -> Known {
        let v = match self.state {
            ValState::Unknown => None,
            ValState::Null => Some(None),
            ValState::Known => Some(Some(self.val)),
        };
        (self.id, v)
    }
}

impl OrderMap {
    pub(super) fn load(
        tx: &Transaction,
        platform: Platform,
        column: Stored,
    ) -> rusqlite::Result<OrderMap> {
        let mut map = OrderMap::default();
        if let Stored::LinesFp = column {
            return Self::load_lines_fp(tx, platform);
        }
        let mut stmt =
            tx.prepare("SELECT order_no, id, fp FROM orders WHERE platform = ? ORDER BY id")?;
        let mut rows = stmt.query([platform.code()])?;
        while let Some(r) = rows.next()? {
            let no = r.get_ref(0)?.as_str()?;
            let id: i64 = r.get(1)?;
            let v: Option<i64> = r.get(2)?;
            map.push(no, Entry::new(0, id, Some(v)));
        }
        Ok(map)
    }

    /// Order numbers are unique per platform: no look-up needed.
    fn push(&mut self, no: &str, e: Entry) {
        match order_key(no) {
            OrderKey::Num(key) => self.entries.push(Entry { key, ..e }),
            OrderKey::Text(t) => {
                self.text.insert(t.into(), e);
            }
        }
    }

    /// The map an item report reads, without a pass over the wide `orders`
    /// table: order numbers and ids from the covering index `orders_no` (SQLite picks it),
    /// the lines' fingerprints from the narrow `order_lines_fp` (both in id
    /// order once sorted), merged. The same entries as the join of the two
    /// tables, read from a fraction of the pages.
    fn load_lines_fp(tx: &Transaction, platform: Platform) -> rusqlite::Result<OrderMap> {
        // Numeric order numbers (nearly all) as their key, with no text kept.
        let mut map = OrderMap::default();
        let mut texts: Vec<(i64, Box<str>)> = Vec::new();
        {
            let mut stmt = tx.prepare("SELECT id, order_no FROM orders WHERE platform = ?")?;
            let mut rows = stmt.query([platform.code()])?;
            while let Some(r) = rows.next()? {
                let id: i64 = r.get(0)?;
                match order_key(r.get_ref(1)?.as_str()?) {
                    OrderKey::Num(key) => map.entries.push(Entry::new(key, id, Some(None))),
                    OrderKey::Text(t) => texts.push((id, t.into())),
                }
            }
        }
        map.entries.sort_unstable_by_key(|e| e.id);
        map.merge_lines_fp(tx, texts)
    }

    /// The map an order report of this run left ([`Carried`]), made the map
    /// an item report reads: the same orders, each with its lines'
    /// fingerprint read from `order_lines_fp` (no pass over the orders).
    pub(super) fn into_lines_fp(mut self, tx: &Transaction) -> rusqlite::Result<OrderMap> {
        // Entries are in id order already: ids only grow, and the map adds
        // the orders a file inserts in the order it inserts them.
        debug_assert!(self.entries.is_sorted_by_key(|e| e.id));
        let texts = self.text.drain().map(|(no, e)| (e.id, no)).collect();
        self.cursor = 0;
        self.merge_lines_fp(tx, texts)
    }

    /// Each numeric entry (in id order) and each text one given with `texts`
    /// takes its order's lines' fingerprint (or none), in one merge with
    /// `order_lines_fp` read in id order.
    fn merge_lines_fp(
        mut self,
        tx: &Transaction,
        mut texts: Vec<(i64, Box<str>)>,
    ) -> rusqlite::Result<OrderMap> {
        texts.sort_unstable_by_key(|t| t.0);
        let mut stmt = tx.prepare("SELECT order_id, fp FROM order_lines_fp ORDER BY order_id")?;
        let mut fps = stmt.query([])?;
        let next = |rows: &mut rusqlite::Rows| -> rusqlite::Result<Option<(i64, i64)>> {
            Ok(match rows.next()? {
                Some(r) => Some((r.get(0)?, r.get(1)?)),
                None => None,
            })
        };
        // Both lists and the fingerprints in id order: one merge.
        let mut fp = next(&mut fps)?;
        let (mut e, mut t) = (0, 0);
        loop {
            let id = match (self.entries.get(e), texts.get(t)) {
                (Some(a), Some(b)) => a.id.min(b.0),
                (Some(a), None) => a.id,
                (None, Some(b)) => b.0,
                (None, None) => break,
            };
            while let Some((fid, _)) = fp
                && fid < id
            {
                fp = next(&mut fps)?;
            }
            let v = match fp {
                Some((fid, v)) if fid == id => Some(v),
                _ => None,
            };
            if self.entries.get(e).is_some_and(|a| a.id == id) {
                let key = self.entries[e].key;
                self.entries[e] = Entry::new(key, id, Some(v));
                e += 1;
            } else {
                let text = std::mem::take(&mut texts[t].1);
                self.text.insert(text, Entry::new(0, id, Some(v)));
                t += 1;
            }
        }
        Ok(self)
    }

    fn slot_of(&self, key: u64) -> usize {
        let bits = self.slots.len().trailing_zeros();
        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - bits)) as usize
    }

    /// The slot holding `key`, or the free slot where it would go (`slots` not empty).
    fn find(&self, key: u64) -> usize {
        let mask = self.slots.len() - 1;
        let mut i = self.slot_of(key);
        loop {
            let p = self.slots[i];
            if p == EMPTY || self.entries[p as usize].key == key {
                return i;
            }
            i = (i + 1) & mask;
        }
    }

    /// (Re)build the table of positions, at most half full after `extra` more entries.
    fn index(&mut self, extra: usize) {
        let len = ((self.entries.len() + extra) * 2)
            .next_power_of_two()
            .max(1024);
        self.slots = vec![EMPTY; len];
        for (p, e) in self.entries.iter().enumerate() {
            let i = self.find(e.key);
            self.slots[i] = p as u32;
        }
    }

    /// The position of a numeric key in `entries`.
    fn position(&mut self, key: u64) -> Option<usize> {
        if let Some(e) = self.entries.get(self.cursor)
            && e.key == key
        {
            self.cursor += 1;
            return Some(self.cursor - 1);
        }
        // The entry just found again (an order's stored value being updated).
        if let Some(p) = self.cursor.checked_sub(1)
            && self.entries.get(p).is_some_and(|e| e.key == key)
        {
            return Some(p);
        }
        if self.slots.is_empty() {
            if self.entries.is_empty() {
                return None;
            }
            self.index(0);
        }
        match self.slots[self.find(key)] {
            EMPTY => None,
            p => {
                self.cursor = p as usize + 1;
                Some(p as usize)
            }
        }
    }

    pub(super) fn get(&mut self, no: &str) -> Option<Known> {
        match order_key(no) {
            OrderKey::Num(key) => self.position(key).map(|p| self.entries[p].known()),
            OrderKey::Text(t) => self.text.get(t).map(Entry::known),
        }
    }

    /// A new stored value for an order the map holds.
    pub(super) fn set(&mut self, no: &str, v: Option<i64>) {
        match order_key(no) {
            OrderKey::Num(key) => {
                if let Some(p) = self.position(key) {
                    let id = self.entries[p].id;
                    self.entries[p] = Entry::new(key, id, Some(v));
                }
            }
            OrderKey::Text(t) => {
                if let Some(e) = self.text.get_mut(t) {
                    *e = Entry::new(0, e.id, Some(v));
                }
            }
        }
    }

    /// An order this file inserted (not in the map: its look-up failed).
    pub(super) fn add(&mut self, no: &str, id: i64) {
        match order_key(no) {
            OrderKey::Num(key) => {
                let p = self.entries.len();
                self.entries.push(Entry::new(key, id, None));
                if !self.slots.is_empty() {
                    // Keep the table at most half full.
                    if self.entries.len() * 2 > self.slots.len() {
                        self.index(self.entries.len());
                    } else {
                        let i = self.find(key);
                        self.slots[i] = p as u32;
                    }
                }
            }
            OrderKey::Text(t) => {
                self.text.insert(t.into(), Entry::new(0, id, None));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_numbers_as_keys() {
        assert!(matches!(
            order_key("1234567890123456789"),
            OrderKey::Num(1234567890123456789)
        ));
        assert!(matches!(order_key("0"), OrderKey::Num(0)));
        // Leading zeros, 20 digits, letters and blanks stay text (no two spellings of one key).
        for t in ["0123", "12345678901234567890", "A123", "", " 1"] {
            assert!(matches!(order_key(t), OrderKey::Text(x) if x == t), "{t}");
        }
    }

    #[test]
    fn map_finds_added_orders_in_and_out_of_sequence() {
        let mut map = OrderMap::default();
        for i in 0..3000u64 {
            map.add(&(1_000_000 + i * 7).to_string(), i as i64 + 1);
        }
        map.add("T-1", 9001);
        // In sequence (the cursor), then jumping about (the table of positions).
        assert_eq!(map.get("1000000"), Some((1, None)));
        assert_eq!(map.get("1000007"), Some((2, None)));
        assert_eq!(
            map.get(&(1_000_000 + 2999 * 7).to_string()),
            Some((3000, None))
        );
        assert_eq!(map.get("1000014"), Some((3, None)));
        assert_eq!(map.get("1000001"), None);
        assert_eq!(map.get("T-1"), Some((9001, None)));
        assert_eq!(map.get("T-2"), None);
        map.set("1000014", Some(-5));
        map.set("1000021", None);
        map.set("T-1", Some(8));
        assert_eq!(map.get("1000014"), Some((3, Some(Some(-5)))));
        assert_eq!(map.get("1000021"), Some((4, Some(None))));
        assert_eq!(map.get("T-1"), Some((9001, Some(Some(8)))));
        // Added after the table exists: it grows and keeps every entry.
        for i in 0..5000u64 {
            map.add(&(9_000_000 + i).to_string(), 10_000 + i as i64);
        }
        assert_eq!(map.get("9004999"), Some((14_999, None)));
        assert_eq!(map.get("1000014"), Some((3, Some(Some(-5)))));
    }

    #[test]
    fn bit_set_grows() {
        let mut set = BitSet::default();
        assert!(!set.contains(1000));
        set.insert(1000);
        set.insert(1);
        assert!(set.contains(1000) && set.contains(1) && !set.contains(999));
    }
}
