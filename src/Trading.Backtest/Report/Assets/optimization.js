// Quant optimization report: a canvas heat map of the objective over two parameters, the walk-forward in-sample vs
// out-of-sample comparison (when present) and the top results. Publishes window.__quantReport with drawn = true
// after the canvases are painted. Strings from the data go through textContent / fillText, never HTML.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('quant-data').textContent);
  var hm = data.heatmap;
  var C = { bg: '#161a23', text: '#a9afbd', muted: '#6f7687', grid: '#242a35', empty: '#1c212b', is: '#4c8dff', oos: '#f0b90b' };
  var FONT = '11px ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace';
  var report = window.__quantReport = {
    drawn: false, error: null, rows: data.rows, cells: hm.xLabels.length * hm.yLabels.length, filledCells: 0,
    top: 0, walkForward: 0, oosPoints: 0
  };
  // viridis, sampled: dark = worst, bright = best
  var STOPS = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = text; }
    return e;
  }
  function fmt(v, d) { return v === null || v === undefined ? 'n/a' : v.toFixed(d); }
  function money(v) {
    if (v === null || v === undefined) { return 'n/a'; }
    return (v < 0 ? '-' : '') + Math.abs(v).toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  }
  function tone(v) { return v > 0 ? 'pos' : v < 0 ? 'neg' : ''; }
  function colour(t) {
    var x = Math.min(1, Math.max(0, t)) * (STOPS.length - 1), i = Math.min(STOPS.length - 2, Math.floor(x)), f = x - i;
    var a = STOPS[i], b = STOPS[i + 1];
    return 'rgb(' + Math.round(a[0] + (b[0] - a[0]) * f) + ',' + Math.round(a[1] + (b[1] - a[1]) * f) + ',' + Math.round(a[2] + (b[2] - a[2]) * f) + ')';
  }
  function setup(canvas, cssHeight) {
    var w = canvas.parentElement.clientWidth, dpr = window.devicePixelRatio || 1;
    canvas.style.height = cssHeight + 'px';
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(cssHeight * dpr);
    var ctx = canvas.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = C.bg;
    ctx.fillRect(0, 0, w, cssHeight);
    ctx.font = FONT;
    return { ctx: ctx, w: w, h: cssHeight };
  }

  function header() {
    document.getElementById('title').textContent = data.title;
    document.getElementById('subtitle').textContent = data.subtitle;
    var kpis = document.getElementById('kpis');
    data.kpis.forEach(function (k) {
      var box = el('div', 'kpi');
      box.appendChild(el('div', 'k', k.label));
      box.appendChild(el('div', 'v', k.value));
      kpis.appendChild(box);
    });
    document.getElementById('heatmap-title').textContent = 'Heat map: ' + data.objective + ' over ' + hm.x + (hm.y === null ? '' : ' × ' + hm.y);
  }

  var layout = null;
  function drawHeatmap() {
    var nx = hm.xLabels.length, ny = hm.yLabels.length;
    var min = Infinity, max = -Infinity, best = null, filled = 0;
    for (var j = 0; j < ny; j++) {
      for (var i = 0; i < nx; i++) {
        var v = hm.values[j][i];
        if (v === null) { continue; }
        filled++;
        if (v < min) { min = v; }
        if (v > max) { max = v; }
        if (best === null || (data.higherIsBetter ? v > hm.values[best[1]][best[0]] : v < hm.values[best[1]][best[0]])) { best = [i, j]; }
      }
    }
    var canvas = document.getElementById('heatmap');
    var L = 64, R = 96, T = 8, B = 48;
    var width = canvas.parentElement.clientWidth;
    var cw = Math.max(2, (width - L - R) / Math.max(1, nx));
    var ch = Math.min(44, Math.max(14, cw * 0.6));
    var s = setup(canvas, Math.round(T + ny * ch + B)), ctx = s.ctx;
    cw = (s.w - L - R) / Math.max(1, nx);
    function norm(v) {
      var t = max > min ? (v - min) / (max - min) : 0.5;
      return data.higherIsBetter ? t : 1 - t;
    }
    for (j = 0; j < ny; j++) {
      // y grows upwards: the first label at the bottom, as on any chart
      var y = T + (ny - 1 - j) * ch;
      for (i = 0; i < nx; i++) {
        var val = hm.values[j][i], x = L + i * cw;
        ctx.fillStyle = val === null ? C.empty : colour(norm(val));
        ctx.fillRect(x + 0.5, y + 0.5, Math.max(1, cw - 1), Math.max(1, ch - 1));
        if (val !== null && cw >= 40 && ch >= 16) {
          ctx.fillStyle = norm(val) > 0.62 ? '#111' : '#eef0f4';
          ctx.textAlign = 'center';
          ctx.textBaseline = 'middle';
          ctx.fillText(fmt(val, 2), x + cw / 2, y + ch / 2);
        }
      }
    }
    if (best !== null) {
      ctx.strokeStyle = '#ffffff';
      ctx.lineWidth = 2;
      ctx.strokeRect(L + best[0] * cw + 1.5, T + (ny - 1 - best[1]) * ch + 1.5, cw - 3, ch - 3);
    }
    // axes: labels thinned so they never overlap
    ctx.fillStyle = C.text;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    var stepX = Math.max(1, Math.ceil(48 / cw));
    for (i = 0; i < nx; i += stepX) { ctx.fillText(hm.xLabels[i], L + i * cw + cw / 2, T + ny * ch + 6); }
    ctx.fillStyle = C.muted;
    ctx.fillText(hm.x, L + (s.w - L - R) / 2, T + ny * ch + 26);
    ctx.fillStyle = C.text;
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    var stepY = Math.max(1, Math.ceil(16 / ch));
    for (j = 0; j < ny; j += stepY) { ctx.fillText(hm.yLabels[j], L - 8, T + (ny - 1 - j) * ch + ch / 2); }
    if (hm.y !== null) {
      ctx.save();
      ctx.translate(14, T + ny * ch / 2);
      ctx.rotate(-Math.PI / 2);
      ctx.textAlign = 'center';
      ctx.fillStyle = C.muted;
      ctx.fillText(hm.y, 0, 0);
      ctx.restore();
    }
    // colour bar: best at the top
    var bx = s.w - R + 24, bh = Math.max(40, ny * ch);
    for (var k = 0; k < bh; k++) {
      ctx.fillStyle = colour(1 - k / bh);
      ctx.fillRect(bx, T + k, 14, 1);
    }
    if (filled > 0) {
      ctx.fillStyle = C.text;
      ctx.textAlign = 'left';
      ctx.textBaseline = 'top';
      ctx.fillText(fmt(data.higherIsBetter ? max : min, 2), bx + 18, T);
      ctx.textBaseline = 'bottom';
      ctx.fillText(fmt(data.higherIsBetter ? min : max, 2), bx + 18, T + bh);
    }
    legendHeatmap(min, max, filled);
    report.filledCells = filled;
    layout = { L: L, T: T, cw: cw, ch: ch, nx: nx, ny: ny };
  }

  function legendHeatmap(min, max, filled) {
    var box = document.getElementById('heatmap-legend');
    box.textContent = '';
    var parts = [data.objective + (data.higherIsBetter ? ' (higher is better)' : ' (lower is better)'),
                 filled + ' of ' + report.cells + ' cells', 'best cell outlined', 'other parameters: best per cell'];
    if (filled > 0) { parts.splice(1, 0, 'range ' + fmt(min, 3) + ' … ' + fmt(max, 3)); }
    parts.forEach(function (p) { box.appendChild(el('span', '', p)); });
  }

  function tooltip() {
    var canvas = document.getElementById('heatmap'), tip = document.getElementById('heatmap-tip');
    canvas.addEventListener('mousemove', function (e) {
      if (layout === null) { return; }
      var r = canvas.getBoundingClientRect(), i = Math.floor((e.clientX - r.left - layout.L) / layout.cw);
      var row = Math.floor((e.clientY - r.top - layout.T) / layout.ch), j = layout.ny - 1 - row;
      if (i < 0 || i >= layout.nx || row < 0 || row >= layout.ny) { tip.style.display = 'none'; return; }
      var v = hm.values[j][i];
      tip.textContent = hm.x + '=' + hm.xLabels[i] + (hm.y === null ? '' : '  ' + hm.y + '=' + hm.yLabels[j]) +
        '  ' + data.objective + '=' + fmt(v, 4) + '  runs=' + hm.counts[j][i];
      tip.style.display = 'block';
      tip.style.left = (e.clientX - r.left + 14) + 'px';
      tip.style.top = (e.clientY - r.top + 14) + 'px';
    });
    canvas.addEventListener('mouseleave', function () { tip.style.display = 'none'; });
  }

  function drawWalkForward() {
    var wf = data.walkForward;
    if (wf.length === 0) { return; }
    document.getElementById('walkforward-panel').hidden = false;
    var s = setup(document.getElementById('walkforward'), 260), ctx = s.ctx;
    var L = 64, R = 16, T = 12, B = 30, ph = s.h - T - B;
    var lo = 0, hi = 0;
    wf.forEach(function (w) {
      [w.isObjective, w.oosObjective].forEach(function (v) { if (v !== null) { lo = Math.min(lo, v); hi = Math.max(hi, v); } });
    });
    if (hi === lo) { hi = lo + 1; }
    // round axis: a 1-2-5 step giving about five ticks, limits snapped outwards to it
    var raw = (hi - lo) / 5, mag = Math.pow(10, Math.floor(Math.log10(raw)));
    var step = [1, 2, 5, 10].map(function (m) { return m * mag; }).find(function (x) { return x >= raw; });
    lo = Math.floor(lo / step) * step;
    hi = Math.ceil(hi / step) * step;
    var decimals = Math.max(0, -Math.floor(Math.log10(step)));
    function y(v) { return T + (hi - v) / (hi - lo) * ph; }
    ctx.strokeStyle = C.grid;
    ctx.fillStyle = C.text;
    ctx.lineWidth = 1;
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (var v = lo; v <= hi + step / 2; v += step) {
      var yy = Math.round(y(v)) + 0.5;
      ctx.beginPath(); ctx.moveTo(L, yy); ctx.lineTo(s.w - R, yy); ctx.stroke();
      ctx.fillText(fmt(v, decimals), L - 8, yy);
    }
    ctx.strokeStyle = '#5d6578';
    ctx.beginPath(); ctx.moveTo(L, Math.round(y(0)) + 0.5); ctx.lineTo(s.w - R, Math.round(y(0)) + 0.5); ctx.stroke();
    var gw = (s.w - L - R) / wf.length, bw = Math.max(2, Math.min(36, gw * 0.34));
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    var stepX = Math.max(1, Math.ceil(34 / gw));
    wf.forEach(function (w, i) {
      var cx = L + gw * i + gw / 2;
      [[w.isObjective, C.is, -1], [w.oosObjective, C.oos, 0]].forEach(function (bar) {
        if (bar[0] === null) { return; }
        var y0 = y(0), y1 = y(bar[0]);
        ctx.fillStyle = bar[1];
        ctx.fillRect(cx + bar[2] * bw, Math.min(y0, y1), bw - 1, Math.max(1, Math.abs(y1 - y0)));
      });
      if (i % stepX === 0) { ctx.fillStyle = C.text; ctx.fillText('W' + (i + 1), cx, T + ph + 8); }
    });
    var box = document.getElementById('walkforward-legend');
    box.textContent = '';
    [['in-sample ' + data.objective, C.is], ['out-of-sample ' + data.objective, C.oos]].forEach(function (it) {
      var span = el('span'), sw = el('span', 'swatch');
      sw.style.background = it[1];
      span.appendChild(sw);
      span.appendChild(document.createTextNode(it[0]));
      box.appendChild(span);
    });
  }

  function walkForwardTable() {
    var wf = data.walkForward;
    if (wf.length === 0) { return; }
    var t = document.getElementById('walkforward-table');
    var cols = ['#', 'In-sample (UTC)', 'Out-of-sample (UTC)', 'Chosen'].concat(['IS ' + data.objective, 'OOS ' + data.objective, 'IS return', 'OOS return', 'IS max DD', 'OOS max DD', 'OOS trades']);
    t.appendChild(headRow(cols));
    var tb = el('tbody');
    wf.forEach(function (w, i) {
      var tr = el('tr');
      tr.appendChild(el('td', '', 'W' + (i + 1)));
      tr.appendChild(el('td', '', w.isStart + ' → ' + w.isEnd));
      tr.appendChild(el('td', '', w.oosStart + ' → ' + w.oosEnd));
      tr.appendChild(el('td', '', w.params.length === 0 ? 'no winner' : data.params.map(function (p, k) { return p + '=' + fmt4(w.params[k]); }).join(' ')));
      tr.appendChild(el('td', '', fmt(w.isObjective, 3)));
      tr.appendChild(el('td', tone(w.oosObjective), fmt(w.oosObjective, 3)));
      tr.appendChild(el('td', tone(w.isRet), fmt(w.isRet, 2) + ' %'));
      tr.appendChild(el('td', tone(w.oosRet), fmt(w.oosRet, 2) + ' %'));
      tr.appendChild(el('td', '', fmt(w.isDd, 2) + ' %'));
      tr.appendChild(el('td', '', fmt(w.oosDd, 2) + ' %'));
      tr.appendChild(el('td', '', String(w.oosTrades)));
      tb.appendChild(tr);
    });
    t.appendChild(tb);
    report.walkForward = wf.length;
  }

  function fmt4(v) { return v === null || v === undefined ? 'n/a' : String(Math.round(v * 10000) / 10000); }
  function headRow(cols) {
    var head = el('thead'), tr = el('tr');
    cols.forEach(function (c) { tr.appendChild(el('th', '', c)); });
    head.appendChild(tr);
    return head;
  }

  function topTable() {
    document.getElementById('top-title').textContent = 'Top ' + data.top.length + ' of ' + data.rows + ' by ' + data.objective;
    var t = document.getElementById('top');
    t.appendChild(headRow(['Rank'].concat(data.params, [data.objective, 'Return', 'Max DD', 'Sharpe', 'Trades', 'Win rate', 'Profit factor'])));
    var tb = el('tbody');
    data.top.forEach(function (r) {
      var tr = el('tr');
      tr.appendChild(el('td', '', String(r.rank)));
      r.params.forEach(function (p) { tr.appendChild(el('td', '', fmt4(p))); });
      tr.appendChild(el('td', '', fmt(r.objective, 4)));
      tr.appendChild(el('td', tone(r.ret), fmt(r.ret, 2) + ' %'));
      tr.appendChild(el('td', r.dd > 0 ? 'neg' : '', fmt(r.dd === null ? null : -r.dd, 2) + ' %'));
      tr.appendChild(el('td', tone(r.sharpe), fmt(r.sharpe, 2)));
      tr.appendChild(el('td', '', String(r.trades)));
      tr.appendChild(el('td', '', fmt(r.win, 1) + ' %'));
      tr.appendChild(el('td', '', r.pf === null ? '∞' : fmt(r.pf, 2)));
      tb.appendChild(tr);
    });
    t.appendChild(tb);
    report.top = data.top.length;
  }

  // The walk-forward's out-of-sample segments chained into one curve, against the initial cash (lightweight-charts).
  function drawOutOfSampleEquity() {
    var eq = data.oosEquity;
    if (eq === null) { return; }
    document.getElementById('oos-panel').hidden = false;
    var LC = window.LightweightCharts;
    var chart = LC.createChart(document.getElementById('chart-oos'), {
      autoSize: true,
      layout: { background: { type: 'solid', color: C.bg }, textColor: C.text, fontSize: 11,
                fontFamily: 'ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace' },
      grid: { vertLines: { color: C.grid }, horzLines: { color: C.grid } },
      rightPriceScale: { borderColor: '#2a2f3a', minimumWidth: 84 },
      timeScale: { borderColor: '#2a2f3a', timeVisible: true, secondsVisible: false, minBarSpacing: 0.02 }
    });
    var series = chart.addSeries(LC.BaselineSeries, {
      baseValue: { type: 'price', price: eq.initialCash }, lineWidth: 2, priceLineVisible: false,
      topLineColor: '#26a69a', topFillColor1: 'rgba(38,166,154,0.28)', topFillColor2: 'rgba(38,166,154,0.04)',
      bottomLineColor: '#ef5350', bottomFillColor1: 'rgba(239,83,80,0.04)', bottomFillColor2: 'rgba(239,83,80,0.28)',
      priceFormat: { type: 'custom', minMove: 0.01, formatter: money }
    });
    series.setData(eq.t.map(function (t, i) { return { time: t, value: eq.v[i] }; }));
    chart.timeScale().fitContent();
    var last = eq.v[eq.v.length - 1], ret = (last / eq.initialCash - 1) * 100;
    var box = document.getElementById('oos-legend');
    box.appendChild(el('span', '', 'start ' + money(eq.initialCash)));
    box.appendChild(el('span', tone(ret), 'end ' + money(last) + ' (' + (ret >= 0 ? '+' : '') + fmt(ret, 2) + ' %)'));
    report.oosPoints = eq.t.length;
  }

  try {
    header();
    if (data.rows === 0) {
      // a walk-forward keeps only each window's winner: nothing to map or rank across the whole space
      document.getElementById('heatmap-panel').hidden = true;
      document.getElementById('top-panel').hidden = true;
    } else {
      drawHeatmap();
      tooltip();
      topTable();
    }
    drawWalkForward();
    walkForwardTable();
    drawOutOfSampleEquity();
    var pending = false;
    window.addEventListener('resize', function () {
      if (pending) { return; }
      pending = true;
      requestAnimationFrame(function () { pending = false; if (data.rows > 0) { drawHeatmap(); } drawWalkForward(); });
    });
    // two frames: lightweight-charts paints on the first
    requestAnimationFrame(function () {
      requestAnimationFrame(function () {
        report.drawn = true;
        document.body.setAttribute('data-drawn', 'true');
      });
    });
  } catch (e) {
    report.error = String(e && e.stack || e);
    console.error('quant report failed: ' + report.error);
    throw e;
  }
})();
