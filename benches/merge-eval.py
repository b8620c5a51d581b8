#!/usr/bin/env python3
"""Held-out check of the merge suggestions against a naive baseline.

    benches/merge-eval.py DB KEHU_BIN [N]

DB is a shop imported from the 1M demo (Taobao only); it is copied, never
written. N buyers (default 1000) are drawn from it (seed 7) and each gets a
Pinduoduo order, written the way Pinduoduo exports it: province, city,
district and street in their own columns, no postcode. Each is one kind:

- same: the buyer's own name and full phone;
- masked: name and address, the phone masked as Pinduoduo often shows it;
- moved: name and phone tail, a new full number (same tail) at the same address.

Beside them, N decoys: other people with the name of a buyer of the shop (names
repeat in a shop this size), a phone and an address of their own. The truth is
known by construction. The copy then imports the file and `kehu merge suggest
--json` runs; its pairs that join a new Pinduoduo customer to a Taobao one are
compared with the truth, and so are the pairs of the naive rule "the same
receiver name". Figures: docs/benchmarks.md.
"""
import json, os, random, re, shutil, sqlite3, subprocess, sys, tempfile

db, kehu = sys.argv[1], sys.argv[2]
n = int(sys.argv[3]) if len(sys.argv) > 3 else 1000
rng = random.Random(7)
work = tempfile.mkdtemp(prefix="merge-eval-")
copy = os.path.join(work, "k.db")
shutil.copy(db, copy)
con = sqlite3.connect(copy)
rows = con.execute(
    "SELECT c.platform || ':' || c.buyer_key, r.name, r.phone, r.address FROM customers c "
    "JOIN receivers r ON r.customer_id = c.id WHERE length(r.phone) = 11 AND r.phone NOT LIKE '%*%' "
    "GROUP BY c.id").fetchall()
con.close()
picked = rng.sample(rows, 2 * n)
buyers, named = picked[:n], picked[n:]

def split(addr):
    # "浙江省 杭州市 西湖区 文三路12号(310012)" -> 4 columns, postcode dropped
    addr = re.sub(r"\(\d{6}\)$", "", addr)
    parts = addr.split(" ", 3)
    while len(parts) < 4:
        parts.append("")
    return parts

header = open("tests/fixtures/pdd/pdd-orders.csv", encoding="utf-8-sig").readline().rstrip("\n")
lines, truth, kinds = [header], {}, {}
def row(i, name, phone, addr):
    p, c, d, s = split(addr)
    no = f"251130-{900000000000000 + i}"
    at = "2025-11-20 10:00:00"
    return (f"得力A5活页笔记本 加厚,{no},已签收,20.00,0.00,0.00,0.00,20.00,20.00,1,,{name},{phone},否,"
            f"{p},{c},{d},{s},{at},{at},{at},,,,,5479097565,,,SKU1,,,,,无售后或售后取消,")
for i, (key, name, phone, addr) in enumerate(buyers):
    kind = ["same", "masked", "moved"][i % 3]
    if kind == "same":
        ph = phone
    elif kind == "masked":
        ph = phone[:3] + "****" + phone[7:]
    else:
        ph = "19" + "".join(rng.choice("0123456789") for _ in range(5)) + phone[7:]
    lines.append(row(i, name, ph, addr))
    truth[(name, ph)] = key
    kinds[(name, ph)] = kind
decoys = set()
for j, (key, name, phone, addr) in enumerate(named):
    other = rng.choice(rows)
    ph = "17" + "".join(rng.choice("0123456789") for _ in range(9))
    lines.append(row(n + j, name, ph, other[3]))
    decoys.add((name, ph))
csv = os.path.join(work, "pdd-eval.csv")
open(csv, "w", encoding="utf-8-sig").write("\n".join(lines) + "\n")
env = dict(os.environ, KEHU_NOW="2025-12-01 09:00:00", KEHU_CONFIG=os.path.join(work, "c.toml"))
subprocess.run([kehu, "--db", copy, "import", csv], env=env, check=True, capture_output=True)
out = subprocess.run([kehu, "--db", copy, "merge", "suggest", "--json"], env=env, check=True, capture_output=True)
pairs = json.loads(out.stdout)

con = sqlite3.connect(copy)
# The new Pinduoduo customers, by (receiver name, phone) of their one order.
pdd = {}
for key, name, phone in con.execute(
        "SELECT c.platform || ':' || c.buyer_key, r.name, r.phone FROM customers c "
        "JOIN receivers r ON r.customer_id = c.id WHERE c.platform = 'pdd'"):
    pdd[key] = (name, phone)
want = {(pdd_key, truth[v]) for pdd_key, v in pdd.items() if v in truth}

def score(found, label):
    found = {f for f in found if f[0] in pdd}
    tp = len(found & want)
    prec = tp / len(found) if found else 0.0
    rec = tp / len(want)
    print(f"| {label} | {len(found)} | {tp} | {prec:.3f} | {rec:.3f} |")
    return found

print(f"| rule | pairs with a new Pinduoduo buyer | right | precision | recall |")
print("|---|---|---|---|---|")
ours = set()
for p in pairs:
    a, b = p["a"], p["b"]
    if a in pdd and not b.startswith("pdd:"):
        ours.add((a, b))
    elif b in pdd and not a.startswith("pdd:"):
        ours.add((b, a))
kept = score(ours, "kehu (full phone; name + tail + address)")
by_name = {}
for key, name in con.execute(
        "SELECT c.platform || ':' || c.buyer_key, r.name FROM customers c JOIN receivers r ON r.customer_id = c.id "
        "WHERE c.platform = 'taobao'"):
    by_name.setdefault(name, set()).add(key)
naive = {(k, t) for k, (name, _) in pdd.items() for t in by_name.get(name, ())}
score(naive, "naive: the same receiver name")
for kind in ["same", "masked", "moved"]:
    w = {(k, truth[v]) for k, v in pdd.items() if kinds.get(v) == kind}
    print(f"| kehu, {kind} | | {len(kept & w)} of {len(w)} | | {len(kept & w) / max(len(w), 1):.3f} |")
shutil.rmtree(work)
