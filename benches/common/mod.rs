//! What the in-process benches share: the database they run on and the
//! line each measurement prints.

use std::path::PathBuf;
use std::time::Duration;

/// The database named by the first argument that is not a flag, else by
/// `KEHU_BENCH_DB`; without either, says how to run `bench` and exits.
pub fn db_arg(bench: &str) -> PathBuf {
    std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("KEHU_BENCH_DB").map(PathBuf::from))
        .unwrap_or_else(|| {
            eprintln!("usage: cargo bench --bench {bench} -- PATH/TO/kehu.db");
            std::process::exit(2)
        })
}

/// Prints the median, 95th percentile and maximum of `times`.
pub fn report(label: &str, times: &mut [Duration]) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let median = times[times.len() / 2];
    let p95 = times[(times.len() * 95 / 100).min(times.len() - 1)];
    let max = times[times.len() - 1];
    println!(
        "{label}: median {:.2} ms, p95 {:.2} ms, max {:.2} ms (n={})",
        ms(median),
        ms(p95),
        ms(max),
        times.len()
    );
}
