//! Where a report's records come from: CSV text, or the rows of a workbook's
//! sheet. Either way a record is a `csv::ByteRecord` with its place, so the
//! header search, the column mapping and every cleaning rule read both alike.

use super::presets::ColumnMap;
use super::records::Stop;
use super::records::{Meta, Records};
use super::refusal::Refusal;
use super::xlsx::SheetRows;
use std::io::Read;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

pub enum Source<R> {
    Csv(Records<R>),
    Sheet(Box<SheetRows>),
    /// CSV records read on a thread of their own (see [`Ahead`]).
    Ahead(Ahead),
}

/// Records in a batch, each with its place.
type Batch = Vec<(csv::ByteRecord, Meta)>;

/// What the reading thread sends.
enum Sent {
    Records(Batch),
    /// The end of the records: cleanly, or why they cannot be read on.
    End(Option<Stop>),
}

/// How many records go over at a time, and how many batches may wait.
const BATCH: usize = 256;
const BATCHES_WAITING: usize = 4;

/// CSV records decoded and split on a second thread while this one loads
/// the previous ones: the file read, the GB18030 decoding and the CSV
/// splitting (about two fifths of a re-import's time) overlap the
/// database's work. Batches go over a bounded channel, so at most
/// `BATCHES_WAITING` batches are read ahead, and come back emptied, so
/// their records' buffers are reused; the records and their line numbers
/// are exactly those [`Records`] gives.
pub struct Ahead {
    rx: Receiver<Sent>,
    back: SyncSender<Batch>,
    current: Batch,
    at: usize,
    consumed: Arc<AtomicU64>,
    ended: Option<Option<Stop>>,
}

impl Ahead {
    fn spawn<R: Read + Send + 'static>(mut records: Records<R>) -> Ahead {
        let (tx, rx) = sync_channel::<Sent>(BATCHES_WAITING);
        let (back, back_rx) = sync_channel::<Batch>(BATCHES_WAITING + 2);
        let consumed = Arc::new(AtomicU64::new(records.get_ref().consumed));
        let shared = Arc::clone(&consumed);
        let spawned = std::thread::Builder::new()
            .name("kehu-read".into())
            .spawn(move || {
                loop {
                    let mut batch: Batch = back_rx.try_recv().unwrap_or_default();
                    let mut n = 0;
                    let mut end = None;
                    while n < BATCH {
                        if n == batch.len() {
                            batch.push((csv::ByteRecord::new(), Meta::default()));
                        }
                        match records.read(&mut batch[n].0) {
                            Ok(Some(meta)) => {
                                batch[n].1 = meta;
                                n += 1;
                            }
                            Ok(None) => {
                                end = Some(None);
                                break;
                            }
                            Err(stop) => {
                                end = Some(Some(stop));
                                break;
                            }
                        }
                    }
                    batch.truncate(n);
                    shared.store(records.get_ref().consumed, Ordering::Relaxed);
                    // The reader went away (the file was refused or the
                    // import stopped): nothing more to read for.
                    if n > 0 && tx.send(Sent::Records(batch)).is_err() {
                        return;
                    }
                    if let Some(end) = end {
                        let _ = tx.send(Sent::End(end));
                        return;
                    }
                }
            });
        let (tx_dead, rx_dead) = sync_channel(1);
        let rx = match spawned {
            Ok(_) => rx,
            Err(e) => {
                // No thread to be had: say so as the records' end.
                let _ = tx_dead.send(Sent::End(Some(Stop::Io(e))));
                rx_dead
            }
        };
        Ahead {
            rx,
            back,
            current: Vec::new(),
            at: 0,
            consumed,
            ended: None,
        }
    }

    fn read(&mut self, rec: &mut csv::ByteRecord) -> Result<Option<Meta>, Stop> {
        loop {
            if let Some((r, meta)) = self.current.get_mut(self.at) {
                std::mem::swap(rec, r);
                self.at += 1;
                return Ok(Some(*meta));
            }
            if let Some(end) = self.ended.as_mut() {
                return match end.take() {
                    Some(stop) => Err(stop),
                    None => Ok(None),
                };
            }
            let used = std::mem::take(&mut self.current);
            if used.capacity() > 0 {
                let _ = self.back.try_send(used);
            }
            self.at = 0;
            match self.rx.recv() {
                Ok(Sent::Records(b)) => self.current = b,
                Ok(Sent::End(e)) => self.ended = Some(e),
                // The thread ended without a word: it panicked.
                Err(_) => {
                    self.ended = Some(Some(Stop::Io(std::io::Error::other(
                        "the reading thread stopped",
                    ))))
                }
            }
        }
    }
}

impl<R: Read> Source<R> {
    /// The next record into `rec`, or `None` at the end; a report `width`
    /// cells wide (for telling a stray quote from a cut download).
    pub fn read(
        &mut self,
        rec: &mut csv::ByteRecord,
        width: usize,
    ) -> Result<Option<Meta>, Refusal> {
        match self {
            Source::Csv(c) => c.read(rec).map_err(|e| Refusal::from_stop(e, width)),
            Source::Sheet(s) => s.read(rec),
            Source::Ahead(a) => a.read(rec).map_err(|e| Refusal::from_stop(e, width)),
        }
    }

    /// The header was found: the columns the rows are read by (a sheet
    /// writes numbers and dates by what their column holds).
    pub fn set_columns(&mut self, map: &ColumnMap) {
        if let Source::Sheet(s) = self {
            s.set_columns(map);
        }
    }

    /// Raw bytes read so far (for a progress bar; a sheet's is estimated
    /// from its rows).
    pub fn bytes_read(&self) -> u64 {
        match self {
            Source::Csv(c) => c.get_ref().consumed,
            Source::Sheet(s) => s.bytes_read(),
            Source::Ahead(a) => a.consumed.load(Ordering::Relaxed),
        }
    }

    /// CSV records from now on read on a thread of their own ([`Ahead`]).
    pub fn read_ahead(self) -> Source<R>
    where
        R: Send + 'static,
    {
        match self {
            Source::Csv(records) => Source::Ahead(Ahead::spawn(records)),
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::decode::Utf8Reader;

    /// A record's line, whether a line break ended it, and its cells.
    type Read1 = (u64, bool, Vec<Vec<u8>>);

    /// Every record, line and the way it ends, as read from `source`.
    fn all<R: Read>(mut source: Source<R>) -> (Vec<Read1>, Option<String>) {
        let mut rec = csv::ByteRecord::new();
        let mut out = Vec::new();
        loop {
            match source.read(&mut rec, 3) {
                Ok(Some(m)) => out.push((
                    m.line,
                    m.terminated,
                    rec.iter().map(<[u8]>::to_vec).collect(),
                )),
                Ok(None) => return (out, None),
                Err(e) => return (out, Some(format!("{e:?}"))),
            }
        }
    }

    fn csv_source(text: Vec<u8>) -> Source<std::io::Cursor<Vec<u8>>> {
        let (utf8, _) = Utf8Reader::new(std::io::Cursor::new(text)).unwrap();
        Source::Csv(Records::new(utf8, b','))
    }

    /// Read ahead on a thread, the records are the same, in the same order,
    /// with the same lines, over many batches and with buffers reused; an
    /// error at the end comes after every record before it.
    #[test]
    fn read_ahead_gives_the_records_as_read_here() {
        let mut text = String::from("a,b,c\r\n");
        for i in 0..(BATCH * 3 + 17) {
            // Short and long rows, a quoted cell over two lines now and then.
            let cell = if i % 97 == 0 {
                "\"two\nlines\"".to_string()
            } else {
                "x".repeat(i % 40)
            };
            text.push_str(&format!("{i},{cell},最后\r\n"));
        }
        for tail in ["", "9,\"never closed,x\r\n"] {
            let bytes = format!("{text}{tail}").into_bytes();
            let here = all(csv_source(bytes.clone()));
            let ahead = all(csv_source(bytes.clone()).read_ahead());
            assert_eq!(here.0.len(), ahead.0.len());
            assert_eq!(here, ahead, "tail {tail:?}");
            assert_eq!(here.1.is_some(), !tail.is_empty());
        }
        let source = csv_source(text.clone().into_bytes()).read_ahead();
        let (rows, _) = all(source);
        assert_eq!(rows.len(), BATCH * 3 + 18);
    }
}
