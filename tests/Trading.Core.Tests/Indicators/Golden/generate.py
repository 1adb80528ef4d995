#!/usr/bin/env python3
"""Generates btcusdt_1h_2024_indicators.csv, the golden values the C# indicator tests compare against.

Independent of the C# code: Python standard library only, every value straight from its textbook definition.
Windowed quantities (SMA, standard deviation, Bollinger Bands, highest high / lowest low, the SMAs of the
stochastic) are recomputed from scratch over each window (O(n) per point) with math.fsum (correctly rounded sums)
and two-pass variance; the recursive ones (EMA, Wilder's RSI and ATR) follow their defining recurrences, seeded as
TA-Lib seeds them. No streaming tricks, no shared code with the C# implementation.

Input:  data/BTCUSDT_1h_2024.csv (8,784 hourly candles; timestamp,open,high,low,close,volume).
Output: one row per candle, `index` 0-based; a field is empty where the indicator has no value yet.
Values are written with repr() (shortest round-trip form), so no precision is lost.

Columns and definitions (x = close):
  sma20                 mean of x[t-19..t]                                                         from t = 19
  ema20                 alpha = 2/21; ema[19] = mean(x[0..19]); ema[t] = ema[t-1] + alpha*(x[t]-ema[t-1])   from t = 19
  rsi14                 d = x[t]-x[t-1]; G, L = gains, losses; avgG[14] = mean(G[1..14]), avgL likewise;
                        avg[t] = (avg[t-1]*13 + g[t])/14; RS = avgG/avgL; RSI = 100 - 100/(1+RS) (100 if avgL == 0)   from t = 14
  macd, macd_signal, macd_hist
                        TA-Lib's MACD(12, 26, 9): slow EMA26 seeded with mean(x[0..25]) at t = 25; fast EMA12 seeded
                        with mean(x[14..25]) at t = 25 (TA-Lib starts both EMAs on the same bar); macd = fast - slow
                        from t = 25; signal = EMA9 of macd seeded with the mean of the first 9 macd values (t = 33);
                        hist = macd - signal                                                       from t = 33
  bb_upper, bb_middle, bb_lower
                        middle = sma20; sigma = sqrt(sum((x-middle)^2)/20) (population); middle +/- 2*sigma  from t = 19
  atr14                 TR[t] = max(h-l, |h-c[t-1]|, |l-c[t-1]|) for t >= 1 (bar 0 has no TR); atr[14] = mean(TR[1..14]);
                        atr[t] = (atr[t-1]*13 + TR[t])/14                                          from t = 14
  stoch_k, stoch_d      n = 14: raw[t] = 100*(x[t]-LL)/(HH-LL), HH/LL = max high / min low of bars t-13..t (0 if HH == LL);
                        k = raw (no slowing) from t = 13; d = mean(k[t-2..t]) from t = 15
  stoch_slow_k, stoch_slow_d
                        same with slowing 3: k = mean(raw[t-2..t]) from t = 15; d = mean(k[t-2..t]) from t = 17
  std20                 population standard deviation of x[t-19..t] (two-pass)                     from t = 19
  std20_sample          sample standard deviation (divide by 19)                                   from t = 19

Run from the repository root:  python3 tests/Trading.Core.Tests/Indicators/Golden/generate.py
"""
import csv
import math
import os

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", "..", ".."))
SRC = os.path.join(ROOT, "data", "BTCUSDT_1h_2024.csv")
OUT = os.path.join(HERE, "btcusdt_1h_2024_indicators.csv")


def mean(values):
    return math.fsum(values) / len(values)


def pstdev(values, ddof=0):
    m = mean(values)
    return math.sqrt(math.fsum((v - m) ** 2 for v in values) / (len(values) - ddof))


def sma(x, n):
    return [mean(x[t - n + 1:t + 1]) if t >= n - 1 else None for t in range(len(x))]


def ema_from(x, n, first):
    """EMA over x with alpha = 2/(n+1), first value at index `first` = mean of x[first-n+1..first]."""
    alpha = 2.0 / (n + 1)
    out = [None] * len(x)
    out[first] = mean(x[first - n + 1:first + 1])
    for t in range(first + 1, len(x)):
        out[t] = out[t - 1] + alpha * (x[t] - out[t - 1])
    return out


def rsi(x, n):
    out = [None] * len(x)
    gains = [None] + [max(x[t] - x[t - 1], 0.0) for t in range(1, len(x))]
    losses = [None] + [max(x[t - 1] - x[t], 0.0) for t in range(1, len(x))]
    ag = mean(gains[1:n + 1])
    al = mean(losses[1:n + 1])
    for t in range(n, len(x)):
        if t > n:
            ag = (ag * (n - 1) + gains[t]) / n
            al = (al * (n - 1) + losses[t]) / n
        out[t] = 100.0 if al == 0 else 100.0 - 100.0 / (1.0 + ag / al)
    return out


def macd(x, fast, slow, signal):
    slow_ema = ema_from(x, slow, slow - 1)
    fast_ema = ema_from(x, fast, slow - 1)  # TA-Lib: the fast EMA's seed window ends on the slow EMA's first bar
    line = [None] * len(x)
    for t in range(slow - 1, len(x)):
        line[t] = fast_ema[t] - slow_ema[t]
    sig = [None] * len(x)
    first = slow - 1 + signal - 1
    sig_part = ema_from(line[slow - 1:], signal, signal - 1)
    for t in range(first, len(x)):
        sig[t] = sig_part[t - (slow - 1)]
    hist = [None if sig[t] is None else line[t] - sig[t] for t in range(len(x))]
    return line, sig, hist


def atr(h, l, c, n):
    tr = [None] + [max(h[t] - l[t], abs(h[t] - c[t - 1]), abs(l[t] - c[t - 1])) for t in range(1, len(c))]
    out = [None] * len(c)
    out[n] = mean(tr[1:n + 1])
    for t in range(n + 1, len(c)):
        out[t] = (out[t - 1] * (n - 1) + tr[t]) / n
    return out


def stoch(h, l, c, n, m, s):
    raw = [None] * len(c)
    for t in range(n - 1, len(c)):
        hh = max(h[t - n + 1:t + 1])
        ll = min(l[t - n + 1:t + 1])
        raw[t] = 100.0 * (c[t] - ll) / (hh - ll) if hh != ll else 0.0
    k = [None] * len(c)
    for t in range(n - 1 + s - 1, len(c)):
        k[t] = mean(raw[t - s + 1:t + 1])
    d = [None] * len(c)
    for t in range(n - 1 + s - 1 + m - 1, len(c)):
        d[t] = mean(k[t - m + 1:t + 1])
    return k, d


def main():
    with open(SRC, newline="") as f:
        rows = list(csv.DictReader(f))
    h = [float(r["high"]) for r in rows]
    l = [float(r["low"]) for r in rows]
    c = [float(r["close"]) for r in rows]
    n = len(c)

    cols = {}
    cols["sma20"] = sma(c, 20)
    cols["ema20"] = ema_from(c, 20, 19)
    cols["rsi14"] = rsi(c, 14)
    cols["macd"], cols["macd_signal"], cols["macd_hist"] = macd(c, 12, 26, 9)
    std20 = [pstdev(c[t - 19:t + 1]) if t >= 19 else None for t in range(n)]
    cols["bb_upper"] = [None if s is None else m + 2.0 * s for m, s in zip(cols["sma20"], std20)]
    cols["bb_middle"] = cols["sma20"]
    cols["bb_lower"] = [None if s is None else m - 2.0 * s for m, s in zip(cols["sma20"], std20)]
    cols["atr14"] = atr(h, l, c, 14)
    cols["stoch_k"], cols["stoch_d"] = stoch(h, l, c, 14, 3, 1)
    cols["stoch_slow_k"], cols["stoch_slow_d"] = stoch(h, l, c, 14, 3, 3)
    cols["std20"] = std20
    cols["std20_sample"] = [pstdev(c[t - 19:t + 1], ddof=1) if t >= 19 else None for t in range(n)]

    names = list(cols)
    with open(OUT, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["index"] + names)
        for t in range(n):
            w.writerow([t] + ["" if cols[k][t] is None else repr(cols[k][t]) for k in names])


if __name__ == "__main__":
    main()
