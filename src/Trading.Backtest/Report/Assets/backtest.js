// Quant backtest report. Reads the JSON data island, draws three time-synchronised lightweight-charts (price with
// trade markers, equity vs buy & hold, drawdown) and the two tables, then publishes window.__quantReport with
// drawn = true once the charts have painted. Every string from the data is set through textContent, never HTML.
(function () {
  'use strict';
  var LC = window.LightweightCharts;
  var data = JSON.parse(document.getElementById('quant-data').textContent);
  var C = { bg: '#161a23', text: '#a9afbd', grid: '#1f2430', border: '#2a2f3a', up: '#26a69a', down: '#ef5350',
            equity: '#4c8dff', hold: '#f0b90b', cross: '#5d6578' };
  var report = window.__quantReport = {
    drawn: false, error: null, candles: data.bars.t.length, trades: data.trades.length,
    closedTrades: data.trades.filter(function (t) { return t.exit !== null; }).length,
    markers: 0, entryMarkers: 0, exitMarkers: 0, charts: 0
  };

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = text; }
    return e;
  }
  function fixed(v, d) { return v === null || v === undefined ? 'n/a' : v.toFixed(d); }
  function money(v) {
    if (v === null || v === undefined) { return 'n/a'; }
    var s = Math.abs(v).toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    return (v < 0 ? '-' : '') + s;
  }
  function tone(v) { return v > 0 ? 'pos' : v < 0 ? 'neg' : ''; }

  function header() {
    document.getElementById('title').textContent = data.title;
    document.getElementById('subtitle').textContent = data.subtitle;
    var wanted = ['Total return', 'Buy & hold return', 'Max drawdown', 'Sharpe', 'Trades', 'Win rate', 'Profit factor'];
    var kpis = document.getElementById('kpis');
    wanted.forEach(function (label) {
      var m = data.metrics.find(function (x) { return x.label === label; });
      if (!m) { return; }
      var box = el('div', 'kpi');
      box.appendChild(el('div', 'k', label));
      box.appendChild(el('div', 'v ' + m.tone, m.value));
      kpis.appendChild(box);
    });
  }

  function baseOptions() {
    return {
      autoSize: true,
      layout: { background: { type: 'solid', color: C.bg }, textColor: C.text, fontSize: 11,
                fontFamily: 'ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace' },
      grid: { vertLines: { color: C.grid }, horzLines: { color: C.grid } },
      rightPriceScale: { borderColor: C.border, minimumWidth: 84 },
      timeScale: { borderColor: C.border, timeVisible: true, secondsVisible: false, minBarSpacing: 0.02, rightOffset: 4 },
      crosshair: { mode: LC.CrosshairMode.Normal, vertLine: { color: C.cross, labelBackgroundColor: '#2a3142' },
                   horzLine: { color: C.cross, labelBackgroundColor: '#2a3142' } }
    };
  }

  function legend(id, items) {
    var box = document.getElementById(id);
    box.textContent = '';
    items.forEach(function (it) {
      var span = el('span');
      if (it.color) {
        var sw = el('span', 'swatch' + (it.line ? ' line' : ''));
        sw.style.background = it.color;
        span.appendChild(sw);
      }
      span.appendChild(document.createTextNode(it.label + ' '));
      span.appendChild(el('b', it.cls || '', it.value));
      box.appendChild(span);
    });
  }

  function draw() {
    var b = data.bars, n = b.t.length;
    var candles = new Array(n), equity = new Array(n), hold = new Array(n), dd = new Array(n);
    for (var i = 0; i < n; i++) {
      candles[i] = { time: b.t[i], open: b.o[i], high: b.h[i], low: b.l[i], close: b.c[i] };
      equity[i] = { time: b.t[i], value: data.equity[i] };
      hold[i] = { time: b.t[i], value: data.buyHold[i] };
      dd[i] = { time: b.t[i], value: data.drawdown[i] };
    }

    var priceChart = LC.createChart(document.getElementById('chart-price'), baseOptions());
    var candleSeries = priceChart.addSeries(LC.CandlestickSeries, {
      upColor: C.up, downColor: C.down, borderUpColor: C.up, borderDownColor: C.down,
      wickUpColor: C.up, wickDownColor: C.down, priceLineVisible: false,
      priceFormat: { type: 'custom', minMove: 0.01, formatter: function (v) { return money(v); } }
    });
    candleSeries.setData(candles);

    // One marker per entry and per exit: entries point the way of the trade, exits the way out.
    var markers = data.markers.map(function (m) {
      var long = m.side === 'long';
      var up = m.entry ? long : !long;
      return { time: b.t[m.bar], position: up ? 'belowBar' : 'aboveBar', shape: up ? 'arrowUp' : 'arrowDown',
               color: m.entry ? (long ? C.up : C.down) : '#c9ced8', id: (m.entry ? 'in-' : 'out-') + m.trade };
    });
    var markerApi = LC.createSeriesMarkers(candleSeries, markers);

    var money0 = { type: 'custom', minMove: 0.01, formatter: function (v) { return money(v); } };
    var equityChart = LC.createChart(document.getElementById('chart-equity'), baseOptions());
    var equitySeries = equityChart.addSeries(LC.LineSeries, { color: C.equity, lineWidth: 2, priceFormat: money0, priceLineVisible: false });
    var holdSeries = equityChart.addSeries(LC.LineSeries, { color: C.hold, lineWidth: 1, priceFormat: money0, priceLineVisible: false, lastValueVisible: true });
    equitySeries.setData(equity);
    holdSeries.setData(hold);
    equitySeries.createPriceLine({ price: data.initialCash, color: '#5d6578', lineWidth: 1, lineStyle: LC.LineStyle.Dotted, axisLabelVisible: false, title: 'initial' });

    var ddChart = LC.createChart(document.getElementById('chart-drawdown'), baseOptions());
    var ddSeries = ddChart.addSeries(LC.BaselineSeries, {
      baseValue: { type: 'price', price: 0 }, lineWidth: 1, priceLineVisible: false,
      topLineColor: C.down, topFillColor1: 'rgba(0,0,0,0)', topFillColor2: 'rgba(0,0,0,0)',
      bottomLineColor: C.down, bottomFillColor1: 'rgba(239,83,80,0.10)', bottomFillColor2: 'rgba(239,83,80,0.45)',
      priceFormat: { type: 'custom', minMove: 0.01, formatter: function (v) { return v.toFixed(2) + ' %'; } }
    });
    ddSeries.setData(dd);

    var charts = [priceChart, equityChart, ddChart];
    var mainSeries = [candleSeries, equitySeries, ddSeries];
    report.charts = charts.length;

    // The three charts share one bar index (same candles), so logical ranges map one to one.
    var syncing = false;
    charts.forEach(function (chart) {
      chart.timeScale().subscribeVisibleLogicalRangeChange(function (range) {
        if (syncing || range === null) { return; }
        syncing = true;
        charts.forEach(function (other) { if (other !== chart) { other.timeScale().setVisibleLogicalRange(range); } });
        syncing = false;
      });
    });
    charts.forEach(function (chart, k) {
      chart.subscribeCrosshairMove(function (p) {
        var idx = p.logical !== undefined && p.logical !== null ? Math.round(p.logical) : n - 1;
        if (idx < 0 || idx >= n) { idx = n - 1; }
        updateLegends(idx);
        if (syncing) { return; }
        syncing = true;
        charts.forEach(function (other, j) {
          if (other === chart) { return; }
          if (p.time === undefined) { other.clearCrosshairPosition(); return; }
          var v = j === 0 ? b.c[idx] : j === 1 ? data.equity[idx] : data.drawdown[idx];
          other.setCrosshairPosition(v, b.t[idx], mainSeries[j]);
        });
        syncing = false;
      });
    });

    // the fills on each bar, for the legend: "#12 long in @ 43,676.07"
    var fillsAt = {};
    data.markers.forEach(function (m) {
      var t = data.trades[m.trade];
      var text = '#' + (m.trade + 1) + ' ' + m.side + (m.entry ? ' in @ ' : ' out @ ') + money(m.price) +
        (m.entry ? '' : ' (' + fixed(t.ret, 2) + ' %)');
      (fillsAt[m.bar] = fillsAt[m.bar] || []).push({ text: text, cls: m.entry ? '' : tone(t.ret) });
    });

    function updateLegends(i) {
      var chg = i > 0 ? (b.c[i] / b.c[i - 1] - 1) * 100 : 0;
      var items = [
        { label: 'O', value: fixed(b.o[i], 2) }, { label: 'H', value: fixed(b.h[i], 2) },
        { label: 'L', value: fixed(b.l[i], 2) }, { label: 'C', value: fixed(b.c[i], 2), cls: tone(chg) },
        { label: '', value: (chg >= 0 ? '+' : '') + chg.toFixed(2) + ' %', cls: tone(chg) }
      ];
      (fillsAt[i] || []).forEach(function (f) { items.push({ label: 'trade', value: f.text, cls: f.cls }); });
      items.push({ label: 'entry', color: C.up, value: '' }, { label: 'exit', color: '#c9ced8', value: '' });
      legend('legend-price', items);
      legend('legend-equity', [
        { label: 'Strategy', color: C.equity, line: true, value: money(data.equity[i]), cls: tone(data.equity[i] - data.initialCash) },
        { label: 'Buy & hold', color: C.hold, line: true, value: money(data.buyHold[i]), cls: tone(data.buyHold[i] - data.initialCash) }
      ]);
      legend('legend-drawdown', [{ label: 'Drawdown', color: C.down, line: true, value: fixed(data.drawdown[i], 2) + ' %', cls: data.drawdown[i] < 0 ? 'neg' : '' }]);
    }
    updateLegends(n - 1);
    priceChart.timeScale().fitContent();
    // for tests and the curious: each chart's visible bar range (they move together)
    report.ranges = function () {
      return charts.map(function (c) { var r = c.timeScale().getVisibleLogicalRange(); return r === null ? null : { from: r.from, to: r.to }; });
    };

    return { charts: charts, markerApi: markerApi };
  }

  function tables(charts) {
    var mt = document.getElementById('metrics');
    var body = el('tbody');
    data.metrics.forEach(function (m) {
      var tr = el('tr');
      tr.appendChild(el('td', '', m.label));
      tr.appendChild(el('td', m.tone, m.value));
      body.appendChild(tr);
    });
    mt.appendChild(body);

    var tt = document.getElementById('trades');
    var head = el('thead'), hr = el('tr');
    ['#', 'Side', 'Entry (UTC)', 'Exit (UTC)', 'Qty', 'Entry', 'Exit', 'P&L', 'Return', 'Fees', 'Reason'].forEach(function (h) { hr.appendChild(el('th', '', h)); });
    head.appendChild(hr);
    tt.appendChild(head);
    var tb = el('tbody'), frag = document.createDocumentFragment(), n = data.bars.t.length;
    data.trades.forEach(function (t, k) {
      var tr = el('tr');
      tr.appendChild(el('td', '', String(k + 1)));
      var side = el('td'); side.appendChild(el('span', 'tag ' + t.side, t.side)); tr.appendChild(side);
      tr.appendChild(el('td', '', t.entry));
      tr.appendChild(el('td', '', t.exit === null ? 'open' : t.exit));
      tr.appendChild(el('td', '', String(t.qty)));
      tr.appendChild(el('td', '', money(t.entryPrice)));
      tr.appendChild(el('td', '', money(t.exitPrice)));
      tr.appendChild(el('td', tone(t.pnl), money(t.pnl)));
      tr.appendChild(el('td', tone(t.ret), fixed(t.ret, 2) + ' %'));
      tr.appendChild(el('td', '', money(t.fees)));
      tr.appendChild(el('td', '', t.reason));
      tr.addEventListener('click', function () {
        var to = t.exitBar >= 0 ? t.exitBar : n - 1, pad = Math.max(20, (to - t.entryBar) * 0.6);
        charts[0].timeScale().setVisibleLogicalRange({ from: t.entryBar - pad, to: to + pad });
        window.scrollTo(0, 0);
      });
      frag.appendChild(tr);
    });
    tb.appendChild(frag);
    tt.appendChild(tb);
  }

  try {
    header();
    var drawn = draw();
    tables(drawn.charts);
    // lightweight-charts paints on the next animation frame; the second frame is after that paint.
    requestAnimationFrame(function () {
      requestAnimationFrame(function () {
        var ms = drawn.markerApi.markers();
        report.markers = ms.length;
        report.entryMarkers = ms.filter(function (m) { return m.id.indexOf('in-') === 0; }).length;
        report.exitMarkers = ms.filter(function (m) { return m.id.indexOf('out-') === 0; }).length;
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
