// End-to-end check of the simulator with Binance's official JavaScript connector (@binance/spot), unmodified, pointed
// at the simulator's URLs. Run by SimNodeEndToEndTests (xunit) with SIM_REST, SIM_WS_API, SIM_STREAMS, SIM_KEY and
// SIM_SECRET set. Prints one JSON line per step and exits 0 when every step passed, 1 otherwise.
'use strict';
const { Spot } = require('@binance/spot');

const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
};

const report = (step, data) => console.log(JSON.stringify({ step, ...data }));
const withTimeout = (promise, ms, what) =>
  Promise.race([promise, new Promise((_, reject) => setTimeout(() => reject(new Error(`timed out: ${what}`)), ms))]);

async function streams(client) {
  const connection = await client.websocketStreams.connect();
  const seen = {};
  const done = new Promise((resolve) => {
    const check = (name) => (data) => {
      if (!seen[name]) seen[name] = data;
      if (seen.trade && seen.kline && seen.bookTicker) resolve();
    };
    connection.trade({ symbol: 'btcusdt' }).on('message', check('trade'));
    connection.kline({ symbol: 'btcusdt', interval: '1h' }).on('message', check('kline'));
    connection.bookTicker({ symbol: 'btcusdt' }).on('message', check('bookTicker'));
  });
  await withTimeout(done, 20000, 'streams');
  await connection.disconnect();
  report('streams', {
    tradeEvent: seen.trade.e,
    tradePrice: seen.trade.p,
    klineEvent: seen.kline.e,
    klineInterval: seen.kline.k.i,
    klineClosedType: typeof seen.kline.k.x,
    bookBid: seen.bookTicker.b,
    bookAsk: seen.bookTicker.a,
  });
}

async function websocketApi(client) {
  const connection = await client.websocketAPI.connect();
  const time = await connection.time();
  const events = [];
  const filled = new Promise((resolve) => {
    connection.userDataStreamSubscribeSignature().then(({ stream }) => {
      stream.on('message', (event) => {
        events.push(event);
        if (event.e === 'executionReport' && event.X === 'FILLED') resolve(event);
      });
      placeOrder();
    });
  });
  let placed;
  const placeOrder = () => {
    placed = connection.orderPlace({ symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: 0.001, newClientOrderId: 'node-ws-1' });
  };
  const fill = await withTimeout(filled, 20000, 'executionReport FILLED');
  const order = await placed;
  const status = await connection.orderStatus({ symbol: 'BTCUSDT', origClientOrderId: 'node-ws-1' });
  const account = await connection.accountStatus();
  await connection.disconnect();
  report('websocketApi', {
    serverTimeType: typeof time.data.serverTime,
    orderStatus: order.data.status,
    clientOrderId: order.data.clientOrderId,
    fills: order.data.fills.length,
    rateLimitTypes: (order.rateLimits || []).map((l) => l.rateLimitType),
    reportStatus: fill.X,
    reportTradeIdType: typeof fill.t,
    sawAccountPosition: events.some((e) => e.e === 'outboundAccountPosition'),
    queriedStatus: status.data.status,
    btcFree: account.data.balances.find((b) => b.asset === 'BTC').free,
  });
}

async function rest(client) {
  const api = client.restAPI;
  const time = await (await api.time()).data();
  const klines = await (await api.klines({ symbol: 'BTCUSDT', interval: '1h', limit: 5 })).data();
  const order = await (await api.newOrder({ symbol: 'BTCUSDT', side: 'SELL', type: 'MARKET', quantity: 0.0005, newClientOrderId: 'node-rest-1' })).data();
  const account = await (await api.getAccount()).data();
  const trades = await (await api.myTrades({ symbol: 'BTCUSDT' })).data();
  let badSignature = null;
  try {
    const wrong = new Spot({ configurationRestAPI: { apiKey: env('SIM_KEY'), apiSecret: 'not-the-secret', basePath: env('SIM_REST'), retries: 0 } });
    await wrong.restAPI.getAccount();
  } catch (e) {
    badSignature = String(e && e.message);
  }

  report('rest', {
    serverTimeType: typeof time.serverTime,
    klines: klines.length,
    klineColumns: klines[0].length,
    orderStatus: order.status,
    clientOrderId: order.clientOrderId,
    btcFree: account.balances.find((b) => b.asset === 'BTC').free,
    myTrades: trades.length,
    badSignature,
  });
}

(async () => {
  const client = new Spot({
    configurationRestAPI: { apiKey: env('SIM_KEY'), apiSecret: env('SIM_SECRET'), basePath: env('SIM_REST') },
    configurationWebsocketAPI: { apiKey: env('SIM_KEY'), apiSecret: env('SIM_SECRET'), wsURL: env('SIM_WS_API') },
    configurationWebsocketStreams: { wsURL: env('SIM_STREAMS') },
  });
  await streams(client);
  await websocketApi(client);
  await rest(client);
  report('done', {});
  process.exit(0);
})().catch((e) => {
  report('error', { message: String(e && (e.stack || e.message || e)) });
  process.exit(1);
});
