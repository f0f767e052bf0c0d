// What the scripts a Java test drives share (cluster-recovery.js, rmc-cluster-recovery.js, rmc-cluster-moved.js; the
// Java side is testkit's NodeDriver): one JSON line per observation on stdout (out), a failure as {"fail": …} and exit
// code 2 (fail), a time limit that fails with what the script says of its state, and the lines the test writes on stdin
// (e.g. "go", "killed"), each awaited by its text (line).
const readline = require('readline');

const out = (o) => process.stdout.write(JSON.stringify(o) + '\n');
const fail = (why) => { out({ fail: String(why && why.stack || why) }); process.exit(2); };
// fails after ms, with what describe() answers then (the script's state: what it got so far)
const timeLimit = (ms, describe) => setTimeout(() => fail('timeout: ' + JSON.stringify(describe())), ms);

const lines = [];
let lineWaiter = null;
readline.createInterface({ input: process.stdin }).on('line', (l) => {
  lines.push(l.trim());
  if (lineWaiter) { lineWaiter(); }
});
// resolves once the test wrote the line `text` (taken: the next wait for the same text needs the next such line)
const line = (text) => new Promise((resolve) => {
  const check = () => { const i = lines.indexOf(text); if (i >= 0) { lines.splice(i, 1); lineWaiter = null; resolve(); } };
  lineWaiter = check; check();
});

module.exports = { out, fail, timeLimit, line };
