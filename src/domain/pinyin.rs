//! Pinyin (拼音) for quick lookup: the keys a receiver name or a nickname is
//! found by, and what a typed query is read as.
//!
//! A text gives two keys per reading: the full pinyin of its Chinese
//! characters (`张三` → `zhangsan`) and their initials (`zs`, first letters:
//! `zh`/`ch`/`sh` count as `z`/`c`/`s`, as sellers type them). A query finds a
//! text when it is the start of either key: `zhangsan`, `zhangs`, `zs`, `z s`
//! and `zhang'san` (spaces and apostrophes are dropped) find 张三; a mix of
//! initials and full syllables (`zsan`, `zhangs` excepted as a prefix of the
//! full key) does not, nor does the middle of a name (`san`). `ü` is typed
//! `v` (吕 → `lv`).
//!
//! - **Receiver names:** the Chinese characters of the name in order (other
//!   characters skipped: `张三A` → `zhangsan`). The first is the surname and
//!   is indexed under every reading the `pinyin` crate knows for it (单: dan,
//!   chan, shan), so the surname readings (单 shan, 曾 zeng, 区 ou, 解 xie,
//!   仇 qiu, 朴 piao) find the buyer; the other characters take their usual
//!   reading. A compound surname (欧阳, 司马) reads as the crate reads its
//!   characters (its first one under every reading).
//! - **Nicknames:** each run of Chinese characters separately, in its usual
//!   reading (`lucky邵娜` → `shaona`, `sn`).
//!
//! The `pinyin` crate (its dictionary is pinyin-data, the readings of the
//! Unicode Han database) does the conversion: kehu keeps no table by hand.

use pinyin::{ToPinyin, ToPinyinMulti};

/// Characters of a text read at most (a name, or a run of a nickname): a
/// longer one is found by the start of its keys all the same.
const MAX_CHARS: usize = 12;
/// Runs of a nickname indexed at most.
const MAX_RUNS: usize = 4;
/// Shortest query read as pinyin (one letter would match a tenth of a shop).
pub const MIN_QUERY: usize = 2;

/// A reading as typed: lower-case ASCII, `ü` as `v`.
fn typed(reading: &str) -> String {
    reading.replace('ü', "v")
}

/// The usual reading of a character, if it is Chinese.
fn reading(c: char) -> Option<String> {
    c.to_pinyin().map(|p| typed(p.plain()))
}

/// Every reading the crate knows for a character (the usual one first),
/// without repeats.
fn readings(c: char) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    if let Some(m) = c.to_pinyin_multi() {
        for p in m {
            let r = typed(p.plain());
            if !out.contains(&r) {
                out.push(r);
            }
        }
    }
    out
}

/// Full and initials keys of `chars` (Chinese characters), the first one
/// under each of `first` readings.
fn keys_of(first: &[String], rest: &[String], out: &mut Vec<String>) {
    let rest_full: String = rest.concat();
    let rest_init: String = rest.iter().filter_map(|r| r.chars().next()).collect();
    for f in first {
        let Some(i) = f.chars().next() else { continue };
        for k in [format!("{f}{rest_full}"), format!("{i}{rest_init}")] {
            if !out.contains(&k) {
                out.push(k);
            }
        }
    }
}

/// The keys a receiver name is found by (none without a Chinese character).
pub fn name_keys(name: &str) -> Vec<String> {
    let mut chars = name.chars().filter(|c| c.to_pinyin().is_some());
    let Some(surname) = chars.next() else {
        return Vec::new();
    };
    let rest: Vec<String> = chars.take(MAX_CHARS - 1).filter_map(reading).collect();
    let mut out = Vec::new();
    keys_of(&readings(surname), &rest, &mut out);
    out
}

/// The keys a nickname is found by: each run of Chinese characters.
pub fn nick_keys(nick: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut run: Vec<String> = Vec::new();
    let mut runs = 0;
    for c in nick.chars().chain(std::iter::once(' ')) {
        match reading(c) {
            Some(r) if run.len() < MAX_CHARS => run.push(r),
            Some(_) => {}
            None if !run.is_empty() => {
                keys_of(&run[..1], &run[1..], &mut out);
                run.clear();
                runs += 1;
                if runs == MAX_RUNS {
                    break;
                }
            }
            None => {}
        }
    }
    out
}

/// Every key of a customer: its nickname and receiver names, without repeats.
pub fn customer_keys<'a>(nick: &str, names: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut out = nick_keys(nick);
    for n in names {
        for k in name_keys(n) {
            if !out.contains(&k) {
                out.push(k);
            }
        }
    }
    out
}

/// A query read as pinyin: letters only, besides spaces and apostrophes
/// (dropped), at least [`MIN_QUERY`] of them; lower-cased.
pub fn query_key(q: &str) -> Option<String> {
    let mut out = String::new();
    for c in q.trim().chars() {
        match c {
            'a'..='z' => out.push(c),
            'A'..='Z' => out.push(c.to_ascii_lowercase()),
            ' ' | '\'' | '’' => {}
            _ => return None,
        }
    }
    (out.len() >= MIN_QUERY).then_some(out)
}

/// Does one of these keys start with the query key?
pub fn keys_match(keys: &[String], query_key: &str) -> bool {
    keys.iter().any(|k| k.starts_with(query_key))
}

/// The upper bound of the keys starting with `key` (a range scan on
/// `key >= start AND key < end`): keys are lower-case ASCII letters.
pub fn prefix_end(key: &str) -> String {
    format!("{key}\u{7f}")
}

/// The order a name sorts in (the customers list by name): each Chinese
/// character's usual reading followed by a space, other characters
/// lower-cased (`李明` → `li ming `, before `林` → `lin `, as a dictionary
/// orders them); `None` for an empty name (listed after the named ones).
/// A polyphonic surname sorts by its usual reading (单 under dan): which
/// reading a surname takes is not in the crate's data.
pub fn sort_key(name: &str) -> Option<String> {
    let name = name.trim();
    if name.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(name.len() * 2);
    for c in name.chars() {
        match reading(c) {
            Some(r) => {
                out.push_str(&r);
                out.push(' ');
            }
            None => out.extend(c.to_lowercase()),
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_name_gives_its_full_pinyin_and_initials() {
        assert_eq!(name_keys("张三"), keys(&["zhangsan", "zs"]));
        assert_eq!(name_keys("李小明"), keys(&["lixiaoming", "lxm"]));
    }

    #[test]
    fn polyphonic_surnames_are_found_by_their_surname_reading() {
        for (name, full, init) in [
            ("单伟", "shanwei", "sw"),
            ("曾平", "zengping", "zp"),
            ("区华", "ouhua", "oh"),
            ("解明", "xieming", "xm"),
            ("仇军", "qiujun", "qj"),
            ("朴勇", "piaoyong", "py"),
        ] {
            let k = name_keys(name);
            assert!(k.contains(&full.to_string()), "{name}: {k:?}");
            assert!(k.contains(&init.to_string()), "{name}: {k:?}");
        }
    }

    #[test]
    fn only_the_surname_takes_every_reading() {
        // 单 inside a name reads dan only.
        assert_eq!(name_keys("李单"), keys(&["lidan", "ld"]));
    }

    #[test]
    fn compound_surnames_read_as_their_characters() {
        let k = name_keys("欧阳娜娜");
        assert!(k.contains(&"ouyangnana".to_string()), "{k:?}");
        assert!(k.contains(&"oynn".to_string()), "{k:?}");
        let k = name_keys("司马光");
        assert!(k.contains(&"simaguang".to_string()), "{k:?}");
    }

    #[test]
    fn other_characters_of_a_name_are_skipped() {
        assert_eq!(name_keys("张三A"), keys(&["zhangsan", "zs"]));
        assert_eq!(name_keys("张 三(先生)"), name_keys("张三先生"));
        assert!(name_keys("Lily").is_empty());
        assert!(name_keys("").is_empty());
        assert_eq!(name_keys("吕红"), keys(&["lvhong", "lh"]));
    }

    #[test]
    fn each_chinese_run_of_a_nickname_is_a_key() {
        assert_eq!(nick_keys("lucky邵娜"), keys(&["shaona", "sn"]));
        assert_eq!(
            nick_keys("快乐tom小王88"),
            keys(&["kuaile", "kl", "xiaowang", "xw"])
        );
        assert!(nick_keys("tb_12345").is_empty());
        // A nickname is not a name: its first character takes its usual reading.
        assert_eq!(nick_keys("单车"), keys(&["danche", "dc"]));
    }

    #[test]
    fn queries_read_as_pinyin() {
        assert_eq!(query_key("ZhangSan").as_deref(), Some("zhangsan"));
        assert_eq!(query_key("zhang san").as_deref(), Some("zhangsan"));
        assert_eq!(query_key("zhang'san").as_deref(), Some("zhangsan"));
        assert_eq!(query_key("z"), None);
        assert_eq!(query_key("zs1"), None);
        assert_eq!(query_key("张三"), None);
    }

    #[test]
    fn full_initials_and_prefixes_match() {
        let k = name_keys("张三");
        for q in ["zhangsan", "zs", "zhangs", "zhang san", "z s"] {
            let q = query_key(q).unwrap();
            assert!(keys_match(&k, &q), "{q}");
        }
        for q in ["zsan", "san", "zhangsi", "ls"] {
            let q = query_key(q).unwrap();
            assert!(!keys_match(&k, &q), "{q}");
        }
    }

    #[test]
    fn names_sort_by_their_pinyin() {
        let mut names = vec!["张三", "林", "李明", "安", "Bob", "阿强", "李"];
        names.sort_by_key(|n| sort_key(n));
        assert_eq!(names, ["阿强", "安", "Bob", "李", "李明", "林", "张三"]);
        assert_eq!(sort_key("  "), None);
    }

    #[test]
    fn a_customer_has_the_keys_of_all_its_texts_once() {
        let k = customer_keys("lucky张三", ["张三", "李四"]);
        assert_eq!(k, keys(&["zhangsan", "zs", "lisi", "ls"]));
    }
}
