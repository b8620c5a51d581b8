//! A window onto a long keyset-paged list: the rows loaded around the
//! selection, which grow page by page as the selection moves and are trimmed
//! at the far end, so a million-row list never sits in memory.
//!
//! `Keyset` is what a list must say to be paged: the rows next to one of its
//! rows, either way (first page, next after, previous before, last page).
//! `Paged` is the window over any `Keyset`; `lists.rs` has the app's four.

use crate::db::Direction;
use anyhow::Result;

/// Rows fetched per read.
pub const PAGE: usize = 200;
/// Most rows kept loaded at once.
const CAP: usize = 5 * PAGE;

/// A list the store reads in keyset pages: a row's neighbours are found from
/// the row itself (its sort key and id), never by counting rows.
pub trait Keyset {
    type Row;

    /// Up to `n` rows next to `from` in `dir`, in list order (top first);
    /// `inclusive` also returns `from`'s row. Without `from`, reading `Down`
    /// starts at the top of the list and reading `Up` at its bottom.
    fn page(
        &self,
        from: Option<&Self::Row>,
        dir: Direction,
        inclusive: bool,
        n: usize,
    ) -> Result<Vec<Self::Row>>;

    /// The top of the list.
    fn first_page(&self, n: usize) -> Result<Vec<Self::Row>> {
        self.page(None, Direction::Down, false, n)
    }

    /// The bottom of the list.
    fn last_page(&self, n: usize) -> Result<Vec<Self::Row>> {
        self.page(None, Direction::Up, false, n)
    }

    /// The rows right below `row`.
    fn next_after(&self, row: &Self::Row, n: usize) -> Result<Vec<Self::Row>> {
        self.page(Some(row), Direction::Down, false, n)
    }

    /// The rows right above `row`.
    fn previous_before(&self, row: &Self::Row, n: usize) -> Result<Vec<Self::Row>> {
        self.page(Some(row), Direction::Up, false, n)
    }

    /// `row` itself (if it is still in the list) and the rows below it.
    fn starting_at(&self, row: &Self::Row, n: usize) -> Result<Vec<Self::Row>> {
        self.page(Some(row), Direction::Down, true, n)
    }
}

/// What a list on screen is asked to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListOp {
    /// Read its top and select the first row.
    Top,
    /// Read its bottom and select the last row.
    Bottom,
    /// Re-read the loaded window in place.
    Reload,
    /// Move the selection by this many rows.
    Move(isize),
}

#[derive(Debug, Clone)]
pub struct Paged<T> {
    pub rows: Vec<T>,
    pub selected: usize,
    /// The first row drawn.
    pub offset: usize,
    pub more_before: bool,
    pub more_after: bool,
}

impl<T> Default for Paged<T> {
    fn default() -> Self {
        Paged {
            rows: Vec::new(),
            selected: 0,
            offset: 0,
            more_before: false,
            more_after: false,
        }
    }
}

impl<T> Paged<T> {
    pub fn selected_row(&self) -> Option<&T> {
        self.rows.get(self.selected)
    }

    /// Do `op` over `list`, with `height` rows on screen.
    pub fn apply(&mut self, op: ListOp, height: usize, list: &impl Keyset<Row = T>) -> Result<()> {
        match op {
            ListOp::Top => self.top(list),
            ListOp::Bottom => self.bottom(list, height),
            ListOp::Reload => self.reload(list, height),
            ListOp::Move(delta) => self.move_by(delta, height, list),
        }
    }

    /// Load the top of the list and select its first row.
    pub fn top(&mut self, list: &impl Keyset<Row = T>) -> Result<()> {
        let rows = list.first_page(PAGE)?;
        self.more_after = rows.len() == PAGE;
        self.more_before = false;
        self.rows = rows;
        self.selected = 0;
        self.offset = 0;
        Ok(())
    }

    /// Load the bottom of the list and select its last row.
    pub fn bottom(&mut self, list: &impl Keyset<Row = T>, height: usize) -> Result<()> {
        let rows = list.last_page(PAGE)?;
        self.more_before = rows.len() == PAGE;
        self.more_after = false;
        self.rows = rows;
        self.selected = self.rows.len().saturating_sub(1);
        self.offset = self.rows.len().saturating_sub(height.max(1));
        Ok(())
    }

    /// Re-read the loaded window from its first row on (after edits or imports),
    /// keeping the selection's position.
    pub fn reload(&mut self, list: &impl Keyset<Row = T>, height: usize) -> Result<()> {
        let rows = match self.rows.first() {
            Some(first) if self.more_before => list.starting_at(first, PAGE)?,
            _ => list.first_page(PAGE)?,
        };
        if rows.is_empty() && self.more_before {
            return self.top(list);
        }
        self.more_after = rows.len() == PAGE;
        self.rows = rows;
        self.selected = self.selected.min(self.rows.len().saturating_sub(1));
        self.scroll_into_view(height);
        Ok(())
    }

    /// Move the selection by `delta` rows, reading more as needed.
    pub fn move_by(
        &mut self,
        delta: isize,
        height: usize,
        list: &impl Keyset<Row = T>,
    ) -> Result<()> {
        let mut target = self.selected as isize + delta;
        while target >= self.rows.len() as isize && self.more_after {
            let got = match self.rows.last() {
                Some(last) => list.next_after(last, PAGE)?,
                None => list.first_page(PAGE)?,
            };
            self.more_after = got.len() == PAGE;
            if got.is_empty() {
                break;
            }
            self.rows.extend(got);
            if self.rows.len() > CAP {
                let drop = self.rows.len() - CAP;
                self.rows.drain(..drop);
                self.more_before = true;
                target -= drop as isize;
                self.selected = self.selected.saturating_sub(drop);
                self.offset = self.offset.saturating_sub(drop);
            }
        }
        while target < 0 && self.more_before {
            let got = match self.rows.first() {
                Some(first) => list.previous_before(first, PAGE)?,
                None => break,
            };
            self.more_before = got.len() == PAGE;
            if got.is_empty() {
                break;
            }
            let n = got.len();
            self.rows.splice(0..0, got);
            target += n as isize;
            self.selected += n;
            self.offset += n;
            if self.rows.len() > CAP {
                self.rows.truncate(CAP);
                self.more_after = true;
            }
        }
        let last = self.rows.len().saturating_sub(1) as isize;
        self.selected = target.clamp(0, last.max(0)) as usize;
        self.scroll_into_view(height);
        Ok(())
    }

    /// Show a row found elsewhere among its neighbours, selected: `above` are
    /// the rows right above it (in list order, `page / 2` asked for), `below`
    /// the row itself and the rows after it (`page` asked for).
    pub fn show_around(&mut self, above: Vec<T>, below: Vec<T>, height: usize, page: usize) {
        self.more_before = above.len() == page / 2;
        self.more_after = below.len() == page;
        self.selected = above.len();
        self.rows = above;
        self.rows.extend(below);
        // The found row in the middle of the screen, where the eye goes.
        self.offset = self.selected.saturating_sub(height.max(1) / 2);
        self.scroll_into_view(height);
    }

    /// Keep the selected row among the `height` rows drawn.
    pub fn scroll_into_view(&mut self, height: usize) {
        let height = height.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + height {
            self.offset = self.selected + 1 - height;
        }
        let max_offset = self.rows.len().saturating_sub(height);
        self.offset = self.offset.min(max_offset);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fake list of 0..n, newest (biggest) first, read like the Store reads.
    struct Fake(i64);

    impl Keyset for Fake {
        type Row = i64;

        fn page(
            &self,
            cur: Option<&i64>,
            dir: Direction,
            incl: bool,
            limit: usize,
        ) -> Result<Vec<i64>> {
            let all: Vec<i64> = (0..self.0).rev().collect();
            Ok(match (cur, dir) {
                (None, Direction::Down) => all.into_iter().take(limit).collect(),
                (None, Direction::Up) => {
                    let s = all.len().saturating_sub(limit);
                    all[s..].to_vec()
                }
                (Some(c), Direction::Down) => all
                    .into_iter()
                    .filter(|v| if incl { v <= c } else { v < c })
                    .take(limit)
                    .collect(),
                (Some(c), Direction::Up) => {
                    let v: Vec<i64> = all
                        .into_iter()
                        .filter(|v| if incl { v >= c } else { v > c })
                        .collect();
                    let s = v.len().saturating_sub(limit);
                    v[s..].to_vec()
                }
            })
        }
    }

    #[test]
    fn walks_far_down_and_back_up() {
        let f = Fake(5000);
        let mut p = Paged::default();
        p.top(&f).unwrap();
        for _ in 0..300 {
            p.move_by(10, 20, &f).unwrap();
        }
        assert_eq!(p.selected_row(), Some(&(4999 - 3000)));
        assert!(p.rows.len() <= CAP);
        for _ in 0..300 {
            p.move_by(-10, 20, &f).unwrap();
        }
        assert_eq!(p.selected_row(), Some(&4999));
        p.bottom(&f, 20).unwrap();
        assert_eq!(p.selected_row(), Some(&0));
        p.move_by(-250, 20, &f).unwrap();
        assert_eq!(p.selected_row(), Some(&250));
        assert!(p.offset <= p.selected && p.selected < p.offset + 20);
    }
}
