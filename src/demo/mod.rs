//! The demo shop: synthetic but realistic platform exports for tests, the
//! `kehu demo` command and benchmarks.

// `gen` is reserved in edition 2024, hence the raw identifier.
mod r#gen;
mod names;
mod serve;
pub mod shop;

pub use self::r#gen::{
    DouyinOptions, GenOptions, GenSummary, Person, generate_douyin, generate_taobao,
    write_douyin_file, write_taobao_files,
};
pub use self::shop::{DemoShop, build_demo, build_demo_with};
