// Baseline for bench/sentiment_vs_npm.sh: the npm package vader-sentiment (a JavaScript port of
// VADER) over the 4,200 rated tweets, checked against the reference scores, then timed.
//   node bench/sentiment_npm.js TWEETS REFERENCE_TSV [MIN_SECONDS]
// Prints "check: ..." and "npm_texts_per_second=<n>".
'use strict';
const fs = require('fs');
const vader = require('vader-sentiment');

const [tweetsPath, referencePath, minSecondsArg] = process.argv.slice(2);
const minSeconds = Number(minSecondsArg || 1);

const tweets = fs.readFileSync(tweetsPath, 'utf8').split('\n')
  .map((l) => l.replace(/\r$/, ''))
  .filter((l) => l.length > 0)
  .map((l) => {
    const t1 = l.indexOf('\t');
    const t2 = l.indexOf('\t', t1 + 1);
    return {id: l.slice(0, t1), text: l.slice(t2 + 1)};
  });
const reference = new Map();
fs.readFileSync(referencePath, 'utf8').split('\n').slice(1).forEach((l) => {
  const f = l.split('\t');
  if (f.length >= 6) reference.set(f[0], {neg: +f[2], neu: +f[3], pos: +f[4], compound: +f[5]});
});

let compoundOk = 0;
let allOk = 0;
for (const t of tweets) {
  const got = vader.SentimentIntensityAnalyzer.polarity_scores(t.text);
  const want = reference.get(t.id);
  if (!want) continue;
  const near = (a, b) => Math.abs(a - b) <= 0.001;
  const c = near(got.compound, want.compound);
  compoundOk += c ? 1 : 0;
  allOk += c && near(got.neg, want.neg) && near(got.neu, want.neu) && near(got.pos, want.pos)
    ? 1 : 0;
}
console.log(`check: npm compound within 0.001 of reference: ${compoundOk}/${tweets.length} ` +
  `(${(100 * compoundOk / tweets.length).toFixed(2)} %), all four: ${allOk}`);

function rounds(n) {
  let sink = 0;
  for (let r = 0; r < n; ++r) {
    for (const t of tweets) sink += vader.SentimentIntensityAnalyzer.polarity_scores(t.text).compound;
  }
  return sink;
}
rounds(1);  // warm-up (JIT)
let n = 1;
for (;;) {
  const start = process.hrtime.bigint();
  rounds(n);
  const secs = Number(process.hrtime.bigint() - start) / 1e9;
  if (secs >= minSeconds / 4) {
    n = Math.max(1, Math.ceil(n * minSeconds / secs));
    break;
  }
  n *= 2;
}
const start = process.hrtime.bigint();
const checksum = rounds(n);
const secs = Number(process.hrtime.bigint() - start) / 1e9;
console.log(`timed: ${n} rounds x ${tweets.length} texts in ${secs.toFixed(3)} s ` +
  `(checksum ${checksum.toFixed(4)})`);
console.log(`npm_texts_per_second=${Math.round(n * tweets.length / secs)}`);
