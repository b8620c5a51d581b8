//! Formatting rows as the platform writes them: numbers, times and quoted
//! cells as GBK bytes, and text encoded to GBK.

use chrono::{Datelike, NaiveDateTime, Timelike};
use encoding_rs::{EncoderResult, GBK};

pub(super) fn push_u64(s: &mut Vec<u8>, mut v: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    s.extend_from_slice(&buf[i..]);
}

/// `v` in decimal, left-padded with zeros to at least `width` digits.
pub(super) fn push_padded(s: &mut Vec<u8>, mut v: u64, width: usize) {
    let mut buf = [b'0'; 20];
    let mut i = buf.len();
    while v > 0 {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
    }
    let start = i.min(buf.len() - width.min(buf.len()));
    s.extend_from_slice(&buf[start..]);
}

pub(super) fn push_datetime(s: &mut Vec<u8>, t: NaiveDateTime) {
    push_padded(s, t.year() as u64, 4);
    s.push(b'-');
    push_padded(s, u64::from(t.month()), 2);
    s.push(b'-');
    push_padded(s, u64::from(t.day()), 2);
    s.push(b' ');
    push_padded(s, u64::from(t.hour()), 2);
    s.push(b':');
    push_padded(s, u64::from(t.minute()), 2);
    s.push(b':');
    push_padded(s, u64::from(t.second()), 2);
}

/// A quoted cell and its separator. `bytes` is GBK without bare `"` (text
/// that may hold quotes is escaped when the tables are encoded; GBK trail
/// bytes never equal `"`).
pub(super) fn cell(s: &mut Vec<u8>, bytes: &[u8]) {
    s.push(b'"');
    s.extend_from_slice(bytes);
    s.extend_from_slice(b"\",");
}

pub(super) fn cell_u64(s: &mut Vec<u8>, v: u64) {
    s.push(b'"');
    push_u64(s, v);
    s.extend_from_slice(b"\",");
}

/// Money with two decimals, e.g. `"238.80"` (amounts here are never negative).
pub(super) fn cell_money(s: &mut Vec<u8>, fen: i64) {
    let fen = fen.max(0) as u64;
    s.push(b'"');
    push_u64(s, fen / 100);
    s.push(b'.');
    push_padded(s, fen % 100, 2);
    s.extend_from_slice(b"\",");
}

/// `src` as GBK; characters GBK lacks become `?` (not the HTML escapes
/// encoding_rs would write by default).
pub(super) fn to_gbk(src: &str) -> Vec<u8> {
    let mut encoder = GBK.new_encoder();
    let mut dst = Vec::with_capacity(src.len() + 8);
    let mut rest = src;
    loop {
        let old = dst.len();
        dst.resize(old + rest.len() * 2 + 8, 0);
        let (result, read, written) =
            encoder.encode_from_utf8_without_replacement(rest, &mut dst[old..], true);
        dst.truncate(old + written);
        rest = &rest[read..];
        match result {
            EncoderResult::InputEmpty => return dst,
            EncoderResult::Unmappable(_) => dst.push(b'?'),
            EncoderResult::OutputFull => {}
        }
    }
}
