//! Building the demo shop database: generated exports imported through the
//! same importer a seller uses, ending near today.

use super::{GenOptions, write_taobao_files};
use crate::db::{ImportOptions, Store};
use crate::domain::time::beijing_now;
use crate::import::ReportReader;
use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};

/// What a built demo shop holds.
#[derive(Debug, Clone)]
pub struct DemoShop {
    pub path: PathBuf,
    pub orders: u64,
    pub customers: u64,
}

/// The batch label marking rows the demo wrote, so a real shop is never replaced.
const DEMO_PREFIX: &str = "demo:";

/// Whether `path` is a database only the demo ever wrote to.
fn is_demo_db(path: &Path) -> Result<bool> {
    let store = Store::open(path)?;
    store.only_batches_prefixed(DEMO_PREFIX)
}

/// Build a demo shop of `orders` orders at `path`, replacing an earlier demo
/// there (never a seller's real database).
pub fn build_demo(path: &Path, orders: u64, seed: u64) -> Result<DemoShop> {
    if path.exists() && !is_demo_db(path)? {
        bail!(
            "{} 里有真实导入的数据，kehu demo 不会覆盖它。请用 --db 指定另一个文件。",
            path.display()
        );
    }
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).with_context(|| format!("无法创建目录 {}", dir.display()))?;
    let work = dir.join(format!(".kehu-demo-{}", std::process::id()));
    std::fs::create_dir_all(&work)?;
    let result = build_into(path, &work, orders, seed);
    let _ = std::fs::remove_dir_all(&work);
    result
}

fn build_into(path: &Path, work: &Path, orders: u64, seed: u64) -> Result<DemoShop> {
    let opts = GenOptions {
        orders,
        seed,
        end: beijing_now() - chrono::Duration::hours(2),
        span_days: 730,
        shop_name: "小美文具铺".to_string(),
    };
    let (order_file, item_file, _) =
        write_taobao_files(&opts, work).context("无法生成演示导出文件")?;
    let tmp_db = work.join("demo.db");
    let mut store = Store::open(&tmp_db)?;
    let mut customers = 0;
    for file in [&order_file, &item_file] {
        let name = file
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("export.csv");
        let reader = ReportReader::open(std::fs::File::open(file)?, None)?;
        let s = store.import_report(
            &format!("{DEMO_PREFIX}{name}"),
            reader,
            ImportOptions::default(),
            &mut |_| {},
        )?;
        customers += s.customers_new;
    }
    store.checkpoint()?;
    drop(store);
    for suffix in ["", "-wal", "-shm"] {
        let old = PathBuf::from(format!("{}{suffix}", path.display()));
        if old.exists() {
            std::fs::remove_file(&old)?;
        }
    }
    std::fs::rename(&tmp_db, path).with_context(|| format!("无法写入 {}", path.display()))?;
    Ok(DemoShop {
        path: path.to_path_buf(),
        orders,
        customers,
    })
}
