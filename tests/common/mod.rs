//! Shared test fixture: a database file named `kehu.db` filled from the two
//! Taobao sample exports in `tests/data/`.

use kehu::app::{Action, App, Key};
use kehu::db::{ImportOptions, Store};
use kehu::i18n::Lang;
use kehu::import::ReportReader;
use std::fs::File;
use std::path::Path;

pub const ORDERS: &str = "tests/data/ExportOrderList202405201030.csv";
pub const ITEMS: &str = "tests/data/ExportOrderDetailList202405201030.csv";

pub fn sample_store(dir: &Path) -> Store {
    let mut store = Store::open(&dir.join("kehu.db")).unwrap();
    for path in [ORDERS, ITEMS] {
        let reader = ReportReader::open(File::open(path).unwrap(), None).unwrap();
        store
            .import_report(path, reader, ImportOptions::default(), &mut |_| {})
            .unwrap();
    }
    store
}

pub fn sample_app(dir: &Path, lang: Lang, w: u16, h: u16) -> App {
    let mut app = App::new(sample_store(dir), lang);
    app.update(Action::Resize(w, h));
    app
}

pub fn type_text(app: &mut App, s: &str) {
    for c in s.chars() {
        app.handle_key(Key::Char(c));
    }
}

/// Record a complaint (now) against the buyer found by `who`, on their latest
/// order, and move it to processing with a note. Returns its id.
pub fn add_sample_complaint(store: &mut Store, who: &str) -> i64 {
    use kehu::db::{ComplaintMove, NewComplaint};
    use kehu::domain::complaint::{Category, Channel, ComplaintStatus, Severity};
    let cid = store.lookup(who, 1, false).unwrap()[0].id;
    let card = store.customer_card(cid, 1).unwrap().unwrap();
    let id = store
        .add_complaint(&NewComplaint {
            customer_id: cid,
            order_no: card.recent_orders.first().map(|o| o.order_no.clone()),
            category: Category::Quality,
            severity: Severity::High,
            channel: Channel::Wangwang,
            summary: "杯子裂了".into(),
            at: None,
        })
        .unwrap();
    let mut m = ComplaintMove::to(ComplaintStatus::Processing);
    m.note = "已联系买家".into();
    store.move_complaint(id, &m).unwrap();
    id
}
