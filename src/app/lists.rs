//! Today (re-read whole, see `today.rs`) and the four lists of the tabs (customers, orders, complaints, points ledger)
//! as keyset-paged store reads, and what the app does with them: load, page,
//! re-read in place after an edit, and re-sort or re-filter.

use super::list::{Keyset, ListOp};
use super::{App, DAYS_CYCLE, STATUS_CYCLE, Tab};
use crate::db::{
    ComplaintFilter, ComplaintRow, CustomerQuery, CustomerRow, CustomerSort, Direction,
    LedgerEntry, OrderQuery, OrderRow, Store, flip_read,
};
use crate::domain::complaint::Sla;
use anyhow::Result;

/// The customers list under its sort and filters.
pub struct CustomerList<'a> {
    pub store: &'a Store,
    pub query: &'a CustomerQuery,
}

impl Keyset for CustomerList<'_> {
    type Row = CustomerRow;

    fn page(
        &self,
        from: Option<&CustomerRow>,
        dir: Direction,
        inclusive: bool,
        n: usize,
    ) -> Result<Vec<CustomerRow>> {
        let cursor = from.map(|r| self.query.cursor(r));
        self.store
            .customers_page(self.query, cursor.as_ref(), dir, inclusive, n)
    }
}

/// The orders list under its filters, newest (or oldest) first.
pub struct OrderList<'a> {
    pub store: &'a Store,
    pub query: &'a OrderQuery,
}

impl Keyset for OrderList<'_> {
    type Row = OrderRow;

    fn page(
        &self,
        from: Option<&OrderRow>,
        dir: Direction,
        inclusive: bool,
        n: usize,
    ) -> Result<Vec<OrderRow>> {
        let cursor = from.map(|r| self.query.cursor(r));
        self.store
            .orders_page(self.query, cursor.as_ref(), dir, inclusive, n)
    }
}

/// A complaints list, newest first unless `oldest_first`.
pub struct ComplaintList<'a> {
    pub store: &'a Store,
    pub sla: &'a Sla,
    pub filter: ComplaintFilter,
    pub oldest_first: bool,
}

impl Keyset for ComplaintList<'_> {
    type Row = ComplaintRow;

    fn page(
        &self,
        from: Option<&ComplaintRow>,
        dir: Direction,
        inclusive: bool,
        n: usize,
    ) -> Result<Vec<ComplaintRow>> {
        let cursor = from.map(|r| r.id);
        flip_read(self.oldest_first, dir, |d| {
            self.store
                .complaints_keyset(self.filter, cursor, d, inclusive, n, self.sla)
        })
    }
}

/// A points ledger (everyone's, or one customer's), oldest first unless
/// `newest_first`, with running balances.
pub struct LedgerList<'a> {
    pub store: &'a Store,
    pub customer_id: Option<i64>,
    pub newest_first: bool,
}

impl Keyset for LedgerList<'_> {
    type Row = LedgerEntry;

    fn page(
        &self,
        from: Option<&LedgerEntry>,
        dir: Direction,
        inclusive: bool,
        n: usize,
    ) -> Result<Vec<LedgerEntry>> {
        let cursor = from.map(|r| r.id);
        flip_read(self.newest_first, dir, |d| {
            self.store
                .ledger_keyset(self.customer_id, cursor, d, inclusive, n)
        })
    }
}

impl App {
    /// Do `op` on the list of `tab`, read as the tab's sort and filters say.
    pub(super) fn list_op(&mut self, tab: Tab, op: ListOp) -> Result<()> {
        let h = self.list_height();
        let store = &self.store;
        match tab {
            Tab::Today => match op {
                ListOp::Move(d) => {
                    self.today_move(d);
                    Ok(())
                }
                ListOp::Top => {
                    self.today_move(isize::MIN);
                    Ok(())
                }
                ListOp::Bottom => {
                    self.today_move(isize::MAX);
                    Ok(())
                }
                _ => self.load_today(),
            },
            Tab::Customers => self.customers.apply(
                op,
                h,
                &CustomerList {
                    store,
                    query: &self.customer_query,
                },
            ),
            Tab::Orders => self.orders.apply(
                op,
                h,
                &OrderList {
                    store,
                    query: &self.order_query,
                },
            ),
            Tab::Complaints => self.complaints.apply(
                op,
                h,
                &ComplaintList {
                    store,
                    sla: &self.sla,
                    filter: ComplaintFilter {
                        open_only: self.complaints_open_only,
                        customer_id: None,
                    },
                    oldest_first: self.complaints_oldest_first,
                },
            ),
            Tab::Points => self.ledger.apply(
                op,
                h,
                &LedgerList {
                    store,
                    customer_id: None,
                    newest_first: self.ledger_newest_first,
                },
            ),
        }
    }

    /// The complaints and the ledger from their tops.
    fn load_side(&mut self) -> Result<()> {
        self.list_op(Tab::Complaints, ListOp::Top)?;
        self.list_op(Tab::Points, ListOp::Top)
    }

    fn load_counts(&mut self) -> Result<()> {
        self.now = crate::domain::time::beijing_now();
        self.counts = self.store.counts()?;
        let s = self.store.complaint_stats(&self.sla)?;
        self.complaint_counts = (s.open, s.overdue);
        Ok(())
    }

    /// Everything from the start: counts, every list from its top, open popups.
    pub(super) fn load_all(&mut self) -> Result<()> {
        self.load_counts()?;
        self.load_today()?;
        self.list_op(Tab::Customers, ListOp::Top)?;
        self.list_op(Tab::Orders, ListOp::Top)?;
        self.load_side()?;
        self.reload_popups()
    }

    /// After an edit or a refresh: lists keep their place, open cards re-read.
    pub(super) fn reload_views(&mut self) -> Result<()> {
        self.load_counts()?;
        for tab in Tab::ALL {
            self.list_op(tab, ListOp::Reload)?;
        }
        self.reload_popups()
    }

    /// `s`: the next sort of the tab's list.
    pub(super) fn cycle_sort(&mut self) -> Result<()> {
        match self.tab {
            Tab::Today => Ok(()),
            Tab::Customers => {
                self.customer_query.sort = match self.customer_query.sort {
                    CustomerSort::LastOrder => CustomerSort::Paid,
                    CustomerSort::Paid => CustomerSort::Value,
                    CustomerSort::Value => CustomerSort::Name,
                    CustomerSort::Name => CustomerSort::LastOrder,
                };
                self.list_op(Tab::Customers, ListOp::Top)
            }
            // The other lists have one order, read either way round.
            Tab::Orders => {
                self.order_query.oldest_first = !self.order_query.oldest_first;
                self.list_op(Tab::Orders, ListOp::Top)
            }
            Tab::Complaints => {
                self.complaints_oldest_first = !self.complaints_oldest_first;
                self.list_op(Tab::Complaints, ListOp::Top)
            }
            Tab::Points => {
                self.ledger_newest_first = !self.ledger_newest_first;
                self.load_side()
            }
        }
    }

    /// `f`: the next filter of the tab's list.
    pub(super) fn cycle_filter(&mut self) -> Result<()> {
        match self.tab {
            Tab::Today => Ok(()),
            Tab::Customers => {
                // All, blacklisted only, valuable and at risk, all again.
                let q = &mut self.customer_query;
                (q.blacklisted_only, q.at_risk_only) = match (q.blacklisted_only, q.at_risk_only) {
                    (false, false) => (true, false),
                    (true, _) => (false, true),
                    (false, true) => (false, false),
                };
                self.list_op(Tab::Customers, ListOp::Top)
            }
            Tab::Orders => {
                let cur = self.order_query.status.as_deref();
                let i = STATUS_CYCLE.iter().position(|s| *s == cur).unwrap_or(0);
                let next = STATUS_CYCLE[(i + 1) % STATUS_CYCLE.len()];
                self.order_query.status = next.map(str::to_string);
                self.list_op(Tab::Orders, ListOp::Top)
            }
            Tab::Complaints => {
                self.complaints_open_only = !self.complaints_open_only;
                self.list_op(Tab::Complaints, ListOp::Top)
            }
            Tab::Points => Ok(()),
        }
    }

    /// Customers of the next RFM segment (or all).
    pub(super) fn cycle_segment(&mut self) -> Result<()> {
        let q = &mut self.customer_query;
        q.segment = next_in(crate::domain::segment::Segment::ALL, q.segment);
        self.list_op(Tab::Customers, ListOp::Top)
    }

    /// Customers of the next member tier (or all).
    pub(super) fn cycle_tier(&mut self) -> Result<()> {
        use crate::domain::tier::Tier;
        const ALL: [Tier; 4] = [Tier::Regular, Tier::Silver, Tier::Gold, Tier::Diamond];
        self.customer_query.tier = next_in(&ALL, self.customer_query.tier);
        self.list_op(Tab::Customers, ListOp::Top)
    }

    /// Orders of the next date window (or all time).
    pub(super) fn cycle_days(&mut self) -> Result<()> {
        let i = DAYS_CYCLE
            .iter()
            .position(|d| *d == self.order_query.days)
            .unwrap_or(0);
        self.order_query.days = DAYS_CYCLE[(i + 1) % DAYS_CYCLE.len()];
        self.list_op(Tab::Orders, ListOp::Top)
    }
}

/// A filter's next value: from none to the first of `all`, then each in turn,
/// and after the last back to none.
fn next_in<T: Copy + PartialEq>(all: &[T], cur: Option<T>) -> Option<T> {
    match cur {
        None => all.first().copied(),
        Some(c) => all
            .iter()
            .position(|x| *x == c)
            .and_then(|i| all.get(i + 1))
            .copied(),
    }
}
