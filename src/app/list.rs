//! A window onto a long keyset-paged list: the rows loaded around the
//! selection, which grow page by page as the selection moves and are trimmed
//! at the far end, so a million-row list never sits in memory.

use crate::db::Direction;
use anyhow::Result;

/// Rows fetched per read.
pub const PAGE: usize = 200;
/// Most rows kept loaded at once.
const CAP: usize = 5 * PAGE;

/// Fetch rows next to `row` (or from an end when `None`) in a direction;
/// `inclusive` also returns `row` itself.
pub type Fetch<'a, T> = dyn FnMut(Option<&T>, Direction, bool, usize) -> Result<Vec<T>> + 'a;

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

    /// Load the top of the list and select its first row.
    pub fn top(&mut self, fetch: &mut Fetch<'_, T>) -> Result<()> {
        let rows = fetch(None, Direction::Down, false, PAGE)?;
        self.more_after = rows.len() == PAGE;
        self.more_before = false;
        self.rows = rows;
        self.selected = 0;
        self.offset = 0;
        Ok(())
    }

    /// Load the bottom of the list and select its last row.
    pub fn bottom(&mut self, fetch: &mut Fetch<'_, T>, height: usize) -> Result<()> {
        let rows = fetch(None, Direction::Up, false, PAGE)?;
        self.more_before = rows.len() == PAGE;
        self.more_after = false;
        self.rows = rows;
        self.selected = self.rows.len().saturating_sub(1);
        self.offset = self.rows.len().saturating_sub(height.max(1));
        Ok(())
    }

    /// Re-read the loaded window from its first row on (after edits or imports),
    /// keeping the selection's position.
    pub fn reload(&mut self, fetch: &mut Fetch<'_, T>, height: usize) -> Result<()> {
        let rows = match self.rows.first() {
            Some(first) if self.more_before => fetch(Some(first), Direction::Down, true, PAGE)?,
            _ => fetch(None, Direction::Down, false, PAGE)?,
        };
        if rows.is_empty() && self.more_before {
            return self.top(fetch);
        }
        self.more_after = rows.len() == PAGE;
        self.rows = rows;
        self.selected = self.selected.min(self.rows.len().saturating_sub(1));
        self.scroll_into_view(height);
        Ok(())
    }

    /// Move the selection by `delta` rows, reading more as needed.
    pub fn move_by(&mut self, delta: isize, height: usize, fetch: &mut Fetch<'_, T>) -> Result<()> {
        let mut target = self.selected as isize + delta;
        while target >= self.rows.len() as isize && self.more_after {
            let got = match self.rows.last() {
                Some(last) => fetch(Some(last), Direction::Down, false, PAGE)?,
                None => fetch(None, Direction::Down, false, PAGE)?,
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
                Some(first) => fetch(Some(first), Direction::Up, false, PAGE)?,
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
    fn fetcher(n: i64) -> impl FnMut(Option<&i64>, Direction, bool, usize) -> Result<Vec<i64>> {
        move |cur, dir, incl, limit| {
            let all: Vec<i64> = (0..n).rev().collect();
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
        let mut f = fetcher(5000);
        let mut p = Paged::default();
        p.top(&mut f).unwrap();
        for _ in 0..300 {
            p.move_by(10, 20, &mut f).unwrap();
        }
        assert_eq!(p.selected_row(), Some(&(4999 - 3000)));
        assert!(p.rows.len() <= CAP);
        for _ in 0..300 {
            p.move_by(-10, 20, &mut f).unwrap();
        }
        assert_eq!(p.selected_row(), Some(&4999));
        p.bottom(&mut f, 20).unwrap();
        assert_eq!(p.selected_row(), Some(&0));
        p.move_by(-250, 20, &mut f).unwrap();
        assert_eq!(p.selected_row(), Some(&250));
        assert!(p.offset <= p.selected && p.selected < p.offset + 20);
    }
}
