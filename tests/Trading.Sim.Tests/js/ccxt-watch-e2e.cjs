// ccxt (an unmodified npm client library, ccxt.pro's Binance) watches trades, klines, the 24hr ticker and the order
// book against the simulator. The test starts the simulator, sets SIM_REST / SIM_STREAMS, and reads the JSON lines
// this prints; the simulator replays in real time so that each watch call gets its update.
'use strict';
const ccxt = require('ccxt');

async function main() {
  const exchange = new ccxt.pro.binance({
    enableRateLimit: false,
    options: { fetchMarkets: { types: ['spot'] }, fetchCurrencies: false, defaultType: 'spot' },
  });
  // Point every spot endpoint at the simulator (the rest of ccxt stays as published).
  exchange.urls.api.public = `${process.env.SIM_REST}/api/v3`;
  exchange.urls.api.ws.spot = `${process.env.SIM_STREAMS}/ws`;
  await exchange.loadHttpProxyAgent(); // ccxt's requirement for plain ws:// URLs
  await exchange.loadMarkets();
  const trades = await exchange.watchTrades('BTC/USDT');
  const candles = await exchange.watchOHLCV('BTC/USDT', '1h');
  const ticker = await exchange.watchTicker('BTC/USDT');
  const book = await exchange.watchOrderBook('BTC/USDT');
  console.log(JSON.stringify({
    step: 'ccxt',
    tradePrice: trades[trades.length - 1].price,
    candleColumns: candles[candles.length - 1].length,
    tickerLast: ticker.last,
    tickerHigh: ticker.high,
    bookBids: book.bids.length,
    bookAsks: book.asks.length,
    bestBid: book.bids[0][0],
    bestAsk: book.asks[0][0],
    bookNonce: book.nonce,
  }));
  await exchange.close();
}

main().then(() => process.exit(0), (e) => {
  console.error(e && e.stack ? e.stack : String(e));
  process.exit(1);
});
