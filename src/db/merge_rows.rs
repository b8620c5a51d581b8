//! Rows as JSON, for the merge log: a row the merge changes or deletes is kept
//! whole (every column, whatever the schema holds), so its undo writes it back
//! exactly. Reals are kept by their bits (a decimal round trip may not be exact).

use rusqlite::types::{Value, ValueRef};
use rusqlite::{Connection, ToSql, params_from_iter};
use serde_json::{Map, Value as Json, json};

/// A row: column name → value.
pub(crate) type Row = Map<String, Json>;

fn to_json(v: ValueRef<'_>) -> Json {
    match v {
        ValueRef::Null => Json::Null,
        ValueRef::Integer(i) => json!(i),
        ValueRef::Real(f) => json!({ "f64": f.to_bits().to_string() }),
        ValueRef::Text(t) => json!(String::from_utf8_lossy(t)),
        ValueRef::Blob(b) => {
            json!({ "blob": b.iter().map(|x| format!("{x:02x}")).collect::<String>() })
        }
    }
}

fn from_json(v: &Json) -> Value {
    match v {
        Json::Null => Value::Null,
        Json::Number(n) => n.as_i64().map_or(Value::Null, Value::Integer),
        Json::String(s) => Value::Text(s.clone()),
        Json::Object(o) => {
            if let Some(bits) = o.get("f64").and_then(Json::as_str) {
                bits.parse::<u64>()
                    .map_or(Value::Null, |b| Value::Real(f64::from_bits(b)))
            } else if let Some(hex) = o.get("blob").and_then(Json::as_str) {
                let bytes = (0..hex.len() / 2)
                    .filter_map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok())
                    .collect();
                Value::Blob(bytes)
            } else {
                Value::Null
            }
        }
        Json::Bool(b) => Value::Integer(i64::from(*b)),
        Json::Array(_) => Value::Null,
    }
}

/// Every row of `table` that `filter` (SQL after WHERE) selects, whole.
pub(crate) fn read(
    conn: &Connection,
    table: &str,
    filter: &str,
    params: &[&dyn ToSql],
) -> rusqlite::Result<Vec<Row>> {
    let mut stmt = conn.prepare(&format!("SELECT * FROM {table} WHERE {filter}"))?;
    let names: Vec<String> = stmt.column_names().map(|s| s.to_string()).collect();
    let mut rows = stmt.query(params)?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let mut m = Map::new();
        for (i, n) in names.iter().enumerate() {
            m.insert(n.clone(), to_json(r.get_ref(i)?));
        }
        out.push(m);
    }
    Ok(out)
}

/// Insert a row kept by [`read`].
pub(crate) fn insert(conn: &Connection, table: &str, row: &Row) -> rusqlite::Result<()> {
    let cols: Vec<&String> = row.keys().collect();
    let sql = format!(
        "INSERT INTO {table} ({}) VALUES ({})",
        cols.iter()
            .map(|c| format!("\"{c}\""))
            .collect::<Vec<_>>()
            .join(", "),
        vec!["?"; cols.len()].join(", ")
    );
    conn.prepare_cached(&sql)?
        .execute(params_from_iter(row.values().map(from_json)))?;
    Ok(())
}

/// Write every column of a row kept by [`read`] back over the row whose
/// `key` column holds the same value.
pub(crate) fn restore(
    conn: &Connection,
    table: &str,
    key: &str,
    row: &Row,
) -> rusqlite::Result<()> {
    let cols: Vec<&String> = row.keys().filter(|c| *c != key).collect();
    let sql = format!(
        "UPDATE {table} SET {} WHERE \"{key}\" = ?",
        cols.iter()
            .map(|c| format!("\"{c}\" = ?"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let mut values: Vec<Value> = cols.iter().map(|c| from_json(&row[c.as_str()])).collect();
    values.push(row.get(key).map_or(Value::Null, from_json));
    conn.prepare_cached(&sql)?
        .execute(params_from_iter(values))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_comes_back_exactly() {
        let c = Connection::open_in_memory().unwrap();
        c.execute_batch(
            "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b REAL, c INTEGER, d BLOB);
             INSERT INTO t VALUES (1, 'x', 0.1 + 0.2, NULL, x'00ff');",
        )
        .unwrap();
        let rows = read(&c, "t", "id = ?", &[&1]).unwrap();
        let s = serde_json::to_string(&rows).unwrap();
        let back: Vec<Row> = serde_json::from_str(&s).unwrap();
        c.execute_batch("UPDATE t SET a = 'y', b = 1.0, c = 5, d = NULL")
            .unwrap();
        restore(&c, "t", "id", &back[0]).unwrap();
        let same: (String, f64, Option<i64>, Vec<u8>) = c
            .query_row("SELECT a, b, c, d FROM t", [], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })
            .unwrap();
        assert_eq!(same, ("x".into(), 0.1 + 0.2, None, vec![0, 255]));
        c.execute_batch("DELETE FROM t").unwrap();
        insert(&c, "t", &back[0]).unwrap();
        assert_eq!(read(&c, "t", "1", &[]).unwrap(), rows);
    }
}
