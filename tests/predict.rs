//! Predictions (预测): `kehu predict CUSTOMER` in zh, en and JSON; the
//! backtest's JSON against an independent computation of its baselines on a
//! seeded demo shop, and its targets there; the customers list sorted by
//! 12-month value and filtered to the valuable customers at risk; the card's
//! predictions line with the at-risk mark (snapshots in zh and en).

mod common;

use common::{ITEMS, ORDERS, kehu_cmd, lock_clock, sample_app, sample_store};
use kehu::app::{App, Key};
use kehu::db::{CustomerQuery, CustomerSort, Direction};
use kehu::i18n::Lang;
use kehu::ui::{Theme, draw};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = kehu_cmd(dir).args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn imported(dir: &Path) -> PathBuf {
    let db = dir.join("kehu.db");
    let (code, _, err) = run(
        dir,
        &["--db", db.to_str().unwrap(), "import", ORDERS, ITEMS],
    );
    assert_eq!(code, 0, "{err}");
    db
}

/// 小猫月亮7879386: 7 orders, the last on 2025-07-07: valuable and at risk.
const AT_RISK: &str = "小猫月亮7879386";
/// The most valuable customer at risk in the sample shop.
const FIRST_AT_RISK: &str = "晴天happy4281767";

#[test]
fn predict_a_customer_in_chinese_english_and_json() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported(dir.path());
    let db = db.to_str().unwrap();
    let (code, zh, err) = run(dir.path(), &["--db", db, "predict", AT_RISK]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        zh,
        "下次下单  2026-01-11\n90天流失风险  55%\n12个月预计消费  ¥270.50\n  高价值且有流失风险\n(预测日期 2025-12-01)\n"
    );
    let (code, en, _) = run(
        dir.path(),
        &["--db", db, "--lang", "en", "predict", AT_RISK],
    );
    assert_eq!(code, 0);
    assert_eq!(
        en,
        "next order  2026-01-11\nchurn 90d  55%\n12-month value  ¥270.50\n  valuable and at risk\n(as of 2025-12-01)\n"
    );
    let (code, json, _) = run(dir.path(), &["--db", db, "predict", AT_RISK, "--json"]);
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&json).unwrap();
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    let mut want = [
        "as_of",
        "churn_risk",
        "customer_id",
        "horizon_days",
        "next_order_at",
        "valuable_at_risk",
        "value_12m_fen",
    ];
    want.sort();
    let mut keys = keys;
    keys.sort();
    assert_eq!(keys, want);
    assert_eq!(v["next_order_at"], "2026-01-11");
    assert_eq!(v["value_12m_fen"], 27050);
    assert_eq!(v["horizon_days"], 90);
    assert_eq!(v["valuable_at_risk"], true);
    let risk = v["churn_risk"].as_f64().unwrap();
    assert!((0.54..0.56).contains(&risk), "{risk}");
    assert_eq!((risk * 10_000.0).round() / 10_000.0, risk);
    // No CUSTOMER and no --backtest: refused, exit 3.
    let (code, _, err) = run(dir.path(), &["--db", db, "--lang", "en", "predict"]);
    assert_eq!(code, 3);
    assert!(err.contains("name a customer"), "{err}");
    let (code, _, err) = run(
        dir.path(),
        &["--db", db, "predict", "--backtest", "--cutoff", "June"],
    );
    assert_eq!(code, 3);
    assert!(err.contains("June"), "{err}");
}

/// Seconds of a stored time, computed here without kehu.
fn secs(s: &str) -> i64 {
    let t = chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap();
    t.and_utc().timestamp()
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// The backtest's baselines and counts, computed from the database directly.
fn independent(db: &Path, cutoff: &str, horizon: i64) -> (usize, f64, f64, usize, f64) {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut st = conn
        .prepare(
            "SELECT customer_id, created_at FROM orders
             WHERE status IN ('paid','shipped','completed') ORDER BY customer_id, created_at",
        )
        .unwrap();
    let mut by: std::collections::BTreeMap<i64, Vec<i64>> = Default::default();
    for r in st
        .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))
        .unwrap()
    {
        let (id, at) = r.unwrap();
        by.entry(id).or_default().push(secs(&at));
    }
    let c = secs(&format!("{cutoff} 00:00:00"));
    let end = c + horizon * 86_400;
    let (mut rec, mut churned) = (Vec::new(), Vec::new());
    let (mut errs, mut n) = (0.0, 0usize);
    for times in by.values() {
        let before: Vec<i64> = times.iter().copied().filter(|&t| t < c).collect();
        let Some(&last) = before.last() else { continue };
        let first = times.iter().copied().find(|&t| t >= c && t < end);
        rec.push((c - last) as f64);
        churned.push(first.is_none());
        if let (Some(a), true) = (first, before.len() >= 2) {
            let guess = last + (last - before[before.len() - 2]);
            errs += ((guess - a) as f64 / 86_400.0).abs();
            n += 1;
        }
    }
    // AUC by every pair, ties half.
    let mut wins = 0.0;
    let mut pairs = 0.0;
    for (i, &ci) in churned.iter().enumerate() {
        if !ci {
            continue;
        }
        for (j, &cj) in churned.iter().enumerate() {
            if cj {
                continue;
            }
            pairs += 1.0;
            if rec[i] > rec[j] {
                wins += 1.0;
            } else if rec[i] == rec[j] {
                wins += 0.5;
            }
        }
    }
    let rate = churned.iter().filter(|&&x| x).count() as f64 / churned.len() as f64;
    (
        churned.len(),
        round4(wins / pairs),
        round4(rate * (1.0 - rate)),
        n,
        round4(errs / n as f64),
    )
}

#[test]
fn the_backtest_reports_the_issues_shape_and_beats_its_baselines() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let d = db.to_str().unwrap();
    let (code, _, err) = run(dir.path(), &["--db", d, "demo", "--no-tui", "--seed", "5"]);
    assert_eq!(code, 0, "{err}");
    let args = [
        "--db",
        d,
        "predict",
        "--backtest",
        "--cutoff",
        "2025-08-01",
        "--horizon",
        "60",
        "--json",
    ];
    let (code, out, err) = run(dir.path(), &args);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let keys = |v: &Value| {
        let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    };
    assert_eq!(
        keys(&v),
        [
            "calibration",
            "churn",
            "customers",
            "cutoff",
            "horizon_days",
            "next_order"
        ]
    );
    assert_eq!(
        keys(&v["churn"]),
        ["auc", "baseline_auc", "baseline_brier", "brier"]
    );
    assert_eq!(
        keys(&v["next_order"]),
        ["baseline_mae_days", "mae_days", "n"]
    );
    assert_eq!(v["cutoff"], "2025-08-01");
    assert_eq!(v["horizon_days"], 60);
    let (customers, base_auc, base_brier, n, base_mae) = independent(&db, "2025-08-01", 60);
    assert_eq!(v["customers"], customers);
    assert_eq!(v["churn"]["baseline_auc"].as_f64().unwrap(), base_auc);
    assert_eq!(v["churn"]["baseline_brier"].as_f64().unwrap(), base_brier);
    assert_eq!(v["next_order"]["n"], n);
    assert_eq!(
        v["next_order"]["baseline_mae_days"].as_f64().unwrap(),
        base_mae
    );
    // The targets, on a seed the model was not designed on.
    let auc = v["churn"]["auc"].as_f64().unwrap();
    assert!(auc >= base_auc + 0.03, "auc {auc} against {base_auc}");
    let mae = v["next_order"]["mae_days"].as_f64().unwrap();
    assert!(mae < base_mae, "mae {mae} against {base_mae}");
    let brier = v["churn"]["brier"].as_f64().unwrap();
    assert!(brier < base_brier, "brier {brier} against {base_brier}");
    // Calibration: bins of 0.1, their counts add up to the customers.
    let bins = v["calibration"].as_array().unwrap();
    let total: u64 = bins.iter().map(|b| b["n"].as_u64().unwrap()).sum();
    assert_eq!(total as usize, customers);
    for b in bins {
        assert_eq!(keys(b), ["bin", "n", "observed", "predicted"]);
        let p = b["predicted"].as_f64().unwrap();
        assert_eq!(round4(p), p);
    }
    // Orders after the window change nothing (here: all closed): the
    // backtest reads the window's orders as labels only, nothing beyond it.
    let closed = rusqlite::Connection::open(&db)
        .unwrap()
        .execute(
            "UPDATE orders SET status = 'closed' WHERE created_at >= '2025-09-30'",
            [],
        )
        .unwrap();
    assert!(closed > 100);
    let (_, again, _) = run(dir.path(), &args);
    assert_eq!(again, out);
    // Plain output in English names the figures.
    let mut en = args.to_vec();
    en.pop();
    en.extend(["--lang", "en"]);
    let (code, plain, _) = run(dir.path(), &en);
    assert_eq!(code, 0);
    assert!(plain.starts_with("Prediction backtest  cutoff 2025-08-01  horizon 60 days\n"));
    assert!(plain.contains(&format!("AUC model {auc:.4} / baseline {base_auc:.4}")));
}

fn walk(store: &kehu::db::Store, q: &CustomerQuery) -> Vec<kehu::model::CustomerRow> {
    let mut all = Vec::new();
    let mut cur = None;
    loop {
        let page = store
            .customers_page(q, cur.as_ref(), Direction::Down, false, 7)
            .unwrap();
        let Some(last) = page.last() else { break };
        cur = Some(q.cursor(last));
        all.extend(page);
    }
    all
}

#[test]
fn the_list_sorts_by_value_and_filters_the_valuable_at_risk() {
    let _clock = lock_clock();
    let dir = tempfile::tempdir().unwrap();
    let mut store = sample_store(dir.path());
    store.refresh_predictions().unwrap();
    let by_value = CustomerQuery {
        sort: CustomerSort::Value,
        ..CustomerQuery::default()
    };
    let rows = walk(&store, &by_value);
    let (customers, _) = store.counts().unwrap();
    assert_eq!(rows.len() as i64, customers, "every customer, paged by 7");
    assert!(
        rows.windows(2)
            .all(|w| w[0].value_12m_fen >= w[1].value_12m_fen)
    );
    assert!(rows[0].value_12m_fen > 0);
    // The filter: exactly the customers whose prediction says so, under any sort.
    let flagged: Vec<i64> = rows
        .iter()
        .filter(|r| store.prediction(r.id).unwrap().unwrap().valuable_at_risk)
        .map(|r| r.id)
        .collect();
    assert!(!flagged.is_empty());
    for sort in [
        CustomerSort::Value,
        CustomerSort::LastOrder,
        CustomerSort::Paid,
        CustomerSort::Name,
    ] {
        let q = CustomerQuery {
            sort,
            at_risk_only: true,
            ..CustomerQuery::default()
        };
        let mut got: Vec<i64> = walk(&store, &q).iter().map(|r| r.id).collect();
        if sort == CustomerSort::Value {
            assert_eq!(got, flagged, "in value order");
        }
        got.sort();
        let mut want = flagged.clone();
        want.sort();
        assert_eq!(got, want, "{sort:?}");
    }
    // Each flagged customer: churn risk ≥ 0.5 and value in the top fifth.
    let mut values: Vec<i64> = rows.iter().map(|r| r.value_12m_fen).collect();
    values.sort();
    for id in &flagged {
        let p = store.prediction(*id).unwrap().unwrap();
        assert!(p.churn_risk.unwrap() >= 0.5);
        let above = values.iter().filter(|&&v| v > p.value_12m_fen).count();
        assert!(above * 5 <= values.len(), "{p:?}");
    }
}

fn render(app: &App, w: u16, h: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| draw(app, &Theme::new(true), f)).unwrap();
    terminal.backend().to_string()
}

#[test]
fn the_card_of_a_valuable_customer_at_risk() {
    let _clock = lock_clock();
    for lang in [Lang::Zh, Lang::En] {
        for (w, h) in [(80, 24), (120, 40)] {
            let dir = tempfile::tempdir().unwrap();
            let mut app = sample_app(dir.path(), lang, w, h);
            // s s: by 12-month value; f f: valuable and at risk.
            for k in ['s', 's', 'f', 'f'] {
                app.handle_key(Key::Char(k));
            }
            let list = render(&app, w, h);
            let (sort, filter) = match lang {
                Lang::Zh => ("按预计12个月消费", "高价值且有流失风险"),
                Lang::En => ("by 12-month value", "valuable and at risk"),
            };
            assert!(list.contains(sort), "{list}");
            // The most valuable of the customers at risk comes first.
            let first = list.lines().nth(3).unwrap();
            assert!(first.contains(FIRST_AT_RISK), "{list}");
            app.handle_key(Key::Enter);
            let screen = render(&app, w, h);
            assert!(screen.contains(filter), "{screen}");
            let name = format!("card_at_risk_{lang:?}_{w}x{h}").to_lowercase();
            insta::assert_snapshot!(name, screen);
        }
    }
}
