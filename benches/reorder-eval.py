#!/usr/bin/env python3
"""Held-out check of Today's "due to reorder" rule against naive baselines.

    benches/reorder-eval.py DB

For six cutoffs a month apart before the last order in DB, it uses only the
orders up to the cutoff: a buyer with 3+ valid orders is "due" when the time
since the last one is between 1x and 1.5x their median gap (kehu's rule, as
db/today.rs applies it). The outcome is held out: did they place a valid
order in the 14 days after the cutoff? The rule's picks are compared, at the
same count, with the buyers ordered most recently, the buyers with the most
orders, and a random draw; then the first 50 of each, as Today lists them.
Figures and the run that made them: docs/serving.md.
"""
import sqlite3, datetime as dt, random, statistics, sys
db=sys.argv[1]
con=sqlite3.connect(db)
rows=con.execute("SELECT customer_id, created_at FROM orders WHERE status IN ('paid','shipped','completed') ORDER BY customer_id, created_at").fetchall()
P=lambda s: dt.datetime.strptime(s,"%Y-%m-%d %H:%M:%S")
by={}
for c,t in rows: by.setdefault(c,[]).append(P(t))
end=max(t for ts in by.values() for t in ts)
H=14
cut=[end-dt.timedelta(days=H+30*i) for i in range(6)]
def candidates(T):
    """(buyer, orders up to T, ordered in the 14 days after, median gap, time since) per buyer with 3+."""
    out=[]
    for c,ts in by.items():
        before=[t for t in ts if t<=T]
        if len(before)<3: continue
        after=any(T<t<=T+dt.timedelta(days=H) for t in ts)
        gaps=sorted((b-a).total_seconds() for a,b in zip(before,before[1:]))
        n=len(gaps); med=gaps[n//2] if n%2 else (gaps[n//2-1]+gaps[n//2])/2
        since=(T-before[-1]).total_seconds()
        out.append((c,before,after,med,since))
    return out

tot={'rule':[0,0],'recency':[0,0],'frequency':[0,0],'random':[0,0],'all':[0,0]}
print("| cutoff | candidates | rule picks | rule | recency | frequency | random | all candidates |")
print("|---|---|---|---|---|---|---|---|")
rng=random.Random(1)
for T in sorted(cut):
    cands=candidates(T)
    rule=[x for x in cands if x[3]>0 and x[3]<=x[4]<=1.5*x[3]]
    k=len(rule)
    if k==0: continue
    rec=sorted(cands,key=lambda x:-x[1][-1].timestamp())[:k]
    fre=sorted(cands,key=lambda x:(-len(x[1]),-x[1][-1].timestamp()))[:k]
    ran=rng.sample(cands,k)
    def prec(xs): return sum(x[2] for x in xs)/len(xs)
    for name,xs in [('rule',rule),('recency',rec),('frequency',fre),('random',ran),('all',cands)]:
        tot[name][0]+=sum(x[2] for x in xs); tot[name][1]+=len(xs)
    print(f"| {T:%Y-%m-%d} | {len(cands)} | {k} | {prec(rule):.1%} | {prec(rec):.1%} | {prec(fre):.1%} | {prec(ran):.1%} | {prec(cands):.1%} |")
print()
for name,(a,b) in tot.items():
    print(f"{name}: {a}/{b} = {a/b:.1%}")

print()
print("| cutoff | rule, by overdue ratio @50 | rule, by valid orders @50 | frequency @50 | random @50 |")
print("|---|---|---|---|---|")
agg=[0,0,0,0,0]
for T in sorted(cut):
    cands=candidates(T)
    rule=[x for x in cands if x[3]>0 and x[3]<=x[4]<=1.5*x[3]]
    a=sorted(rule,key=lambda x:(-x[4]/x[3],x[0]))[:50]
    b=sorted(rule,key=lambda x:(-len(x[1]),x[0]))[:50]
    f=sorted(cands,key=lambda x:(-len(x[1]),-x[1][-1].timestamp()))[:50]
    r=rng.sample(cands,50)
    p=lambda xs: sum(x[2] for x in xs)/len(xs)
    print(f"| {T:%Y-%m-%d} | {p(a):.0%} | {p(b):.0%} | {p(f):.0%} | {p(r):.0%} |")
    for i,xs in enumerate([a,b,f,r]): agg[i]+=sum(x[2] for x in xs)
    agg[4]+=50
print("at 50:", [f"{x/agg[4]:.1%}" for x in agg[:4]])
