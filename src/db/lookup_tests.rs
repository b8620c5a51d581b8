//! Quick lookup's tests: ranking, counting and paging under small caps, the
//! upgrade that adds its indexes.

use super::*;
use crate::import::ReportReader;

fn sample() -> Store {
    crate::domain::time::pin_now(crate::domain::time::parse_stored("2025-12-01 09:00:00"));
    let mut store = Store::open_in_memory().unwrap();
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/taobao/ExportOrderList202405201030.csv"
    );
    let reader = ReportReader::open(std::fs::File::open(path).unwrap(), None).unwrap();
    store
        .import_report(path, reader, Default::default(), &mut |_| {})
        .unwrap();
    store
}

/// Every result, page by page.
fn all_pages(store: &Store, q: &str, caps: Caps) -> (Vec<LookupHit>, LookupPage) {
    let first = store.lookup_capped(q, 0, 3, false, caps).unwrap();
    let mut hits = first.hits.clone();
    loop {
        let page = store.lookup_capped(q, hits.len(), 3, false, caps).unwrap();
        assert_eq!((page.total, page.capped), (first.total, first.capped));
        if page.hits.is_empty() {
            break;
        }
        hits.extend(page.hits);
    }
    (hits, first)
}

#[test]
fn counts_are_capped_and_paging_reaches_every_counted_match() {
    let store = sample();
    let full = store.lookup_page("a", 0, 1000, false).unwrap();
    let n = full.total;
    assert!(n > 12 && !full.capped, "{n}");
    assert_eq!(full.hits.len(), n);

    // More matches than ranked in full: still every one, once.
    let caps = Caps {
        count: 1000,
        rank: 4,
        top: 3,
        scan: SCAN_CAP,
    };
    let (hits, page) = all_pages(&store, "a", caps);
    assert_eq!((page.total, page.capped), (n, false));
    let mut ids: Vec<i64> = hits.iter().map(|h| h.id).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), n);

    // More than counted: "10+", and the pages stop near there.
    let caps = Caps {
        count: 10,
        rank: 4,
        top: 3,
        scan: SCAN_CAP,
    };
    let (hits, page) = all_pages(&store, "a", caps);
    assert!(page.capped);
    assert_eq!(page.total_label(), "10+");
    assert!(hits.len() >= 10 && hits.len() < n, "{}", hits.len());
}

#[test]
fn blacklisted_and_complaining_buyers_are_not_lost_beyond_the_caps() {
    let mut store = sample();
    let full = store.lookup_page("a", 0, 1000, false).unwrap();
    // The newest matching buyer with the fewest orders: ranked last in full.
    let last = full.hits.last().unwrap().clone();
    let before_last = full.hits[full.hits.len() - 2].clone();
    store
        .blacklist(last.id, "拒收后恶意差评", crate::db::Actor::App)
        .unwrap();
    store
        .add_complaint(&crate::db::NewComplaint {
            customer_id: before_last.id,
            order_no: None,
            category: crate::domain::complaint::Category::Other,
            severity: crate::domain::complaint::Severity::Low,
            channel: crate::domain::complaint::Channel::Other,
            summary: "x".into(),
            at: None,
        })
        .unwrap();
    for caps in [
        Caps::DEFAULT,
        Caps {
            count: 1000,
            rank: 4,
            top: 0,
            scan: SCAN_CAP,
        },
        Caps {
            count: 5,
            rank: 2,
            top: 0,
            scan: SCAN_CAP,
        },
    ] {
        let page = store.lookup_capped("a", 0, 2, false, caps).unwrap();
        let ids: Vec<i64> = page.hits.iter().map(|h| h.id).collect();
        assert_eq!(ids, vec![last.id, before_last.id], "{caps:?}");
        assert!(page.hits[0].blacklisted);
        assert_eq!(page.hits[1].open_complaints, 1);
    }
}

#[test]
fn ranks_direct_matches_first_then_flags_orders_and_spend() {
    let store = sample();
    for q in ["a", "lucky", "娜", "6827", "1", "邵娜", "ab"] {
        let page = store.lookup_page(q, 0, 1000, false).unwrap();
        let open = store.open_complaint_customers().unwrap();
        let key = |h: &LookupHit| {
            (
                h.rank,
                !h.blacklisted,
                !open.contains_key(&h.id),
                -h.orders,
                -h.paid_fen,
                -h.id,
            )
        };
        assert!(
            page.hits.windows(2).all(|w| key(&w[0]) <= key(&w[1])),
            "{q}: {:?}",
            page.hits.iter().map(key).collect::<Vec<_>>()
        );
    }
    // A receiver name typed whole ranks above fragments of it.
    let page = store.lookup_page("邵娜", 0, 10, false).unwrap();
    assert_eq!(page.hits[0].rank, MatchRank::ExactName);
    assert_eq!(page.hits[0].matched.field, MatchField::Name);
    // A phone tail: the phone matched, masked.
    let page = store.lookup_page("6827", 0, 10, false).unwrap();
    assert_eq!(page.hits[0].rank, MatchRank::PhoneTail);
    assert_eq!(page.hits[0].matched.field, MatchField::Phone);
    assert!(page.hits[0].matched.value.ends_with("****6827"));
    // The start of a nickname ranks above the middle of one.
    let page = store.lookup_page("lucky", 0, 1000, false).unwrap();
    let first_inner = page
        .hits
        .iter()
        .position(|h| !h.nick.to_lowercase().starts_with("lucky"))
        .unwrap_or(page.hits.len());
    assert!(
        page.hits[first_inner..]
            .iter()
            .all(|h| !h.nick.to_lowercase().starts_with("lucky"))
    );
}

/// A database of the previous schema gets the lookup indexes on open,
/// and its lookups then read them.
#[test]
fn upgrade_adds_the_lookup_indexes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v5.db");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        for sql in &super::super::MIGRATIONS[..5] {
            conn.execute_batch(sql).unwrap();
        }
        conn.execute_batch(
            "PRAGMA user_version = 5;
             INSERT INTO customers (id, platform, buyer_key, nick, name, phone, created_at)
               VALUES (1, 'taobao', 'a', 'a', '王芳', '13800001234', '2024-01-01 00:00:00');
             INSERT INTO receivers (customer_id, name, phone, address, first_seen)
               VALUES (1, '王芳', '13800001234', 'x', '2024-01-01 00:00:00');",
        )
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(
        store.schema_version().unwrap(),
        super::super::MIGRATIONS.len() as i64
    );
    let plan = |sql: &str| -> String {
        store
            .conn
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .unwrap()
            .query_map([], |r| r.get::<_, String>(3))
            .unwrap()
            .map(|r| r.unwrap())
            .collect::<Vec<_>>()
            .join("\n")
    };
    let p = plan("SELECT customer_id, name FROM receivers WHERE name = '王芳'");
    assert!(p.contains("receivers_name"), "{p}");
    let p = plan("SELECT coalesce(sum(delta), 0) FROM ledger l WHERE l.customer_id = 1");
    assert!(p.contains("COVERING INDEX ledger_customer_delta"), "{p}");
    let page = store.lookup_page("王芳", 0, 5, false).unwrap();
    assert_eq!(page.hits[0].matched.field, MatchField::Name);
    assert_eq!(page.hits[0].rank, MatchRank::ExactName);
}

/// Pinyin ranks last: a query matching nicknames directly and a receiver
/// name by pinyin lists every direct match first, even before a blacklisted
/// buyer found by pinyin, and says which name the pinyin found.
#[test]
fn pinyin_matches_follow_the_direct_ones() {
    let mut store = sample();
    let lu = store.lookup("卢婷怡", 10, false).unwrap();
    let lu_id = lu[0].id;
    store
        .blacklist(lu_id, "test", crate::db::Actor::Cli)
        .unwrap();
    let hits = store.lookup("lu", 100, false).unwrap();
    let fields: Vec<MatchField> = hits.iter().map(|h| h.matched.field).collect();
    let first_pinyin = fields
        .iter()
        .position(|f| *f == MatchField::NamePinyin)
        .expect("a pinyin match");
    assert!(first_pinyin > 0, "{fields:?}");
    assert!(
        fields[first_pinyin..]
            .iter()
            .all(|f| matches!(f, MatchField::NamePinyin | MatchField::NickPinyin)),
        "{fields:?}"
    );
    let pin = hits.iter().find(|h| h.id == lu_id).expect("卢婷怡 by lu");
    assert_eq!(pin.matched.field, MatchField::NamePinyin);
    assert_eq!(pin.matched.value, "卢婷怡");
    assert_eq!(pin.rank, MatchRank::Pinyin);
    // Full pinyin, its start and the initials find her too.
    for q in ["lutingyi", "luting", "lty", "lu ting yi", "LTY"] {
        let ids: Vec<i64> = store
            .lookup(q, 100, false)
            .unwrap()
            .iter()
            .map(|h| h.id)
            .collect();
        assert!(ids.contains(&lu_id), "{q}: {ids:?}");
    }
    // A count covers the pinyin matches, and paging reaches each once.
    let page = store.lookup_page("lu", 0, 100, false).unwrap();
    assert_eq!(page.total, hits.len());
    let caps = Caps {
        count: 1000,
        rank: 2,
        top: 1,
        scan: SCAN_CAP,
    };
    let (paged, _) = all_pages(&store, "yang", caps);
    // Past the keys a lookup reads: counted as more, still paged once each.
    let few = Caps { scan: 3, ..caps };
    let (some, page) = all_pages(&store, "yang", few);
    assert!(page.capped, "{}", page.total);
    let mut some_ids: Vec<i64> = some.iter().map(|h| h.id).collect();
    let m = some_ids.len();
    some_ids.sort_unstable();
    some_ids.dedup();
    assert_eq!(some_ids.len(), m);
    assert!(m < store.lookup("yang", 100, false).unwrap().len());
    let mut ids: Vec<i64> = paged.iter().map(|h| h.id).collect();
    let n = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), n);
    assert_eq!(n, store.lookup("yang", 100, false).unwrap().len());
}
