// Reads the RESULT lines of ./mentorflow bench workflow (one per line, prefixed baseline / size / ceiling) from standard
// input and prints the figures per size, then the one closing line the benchmark promises.
const lines = require("fs").readFileSync(0, "utf8").trim().split("\n");
const parse = (line) => Object.fromEntries([...line.matchAll(/(\w+)=([\d.]+)/g)].map(([, k, v]) => [k, Number(v)]));
const runs = lines.map((line) => ({ kind: line.split(" ")[0], ...parse(line) }));
const baseline = runs.find((r) => r.kind === "baseline");
const ceiling = runs.find((r) => r.kind === "ceiling");
const mail = runs.find((r) => r.kind === "mail");
const sizes = runs.filter((r) => r.kind === "size");
if (!baseline || !ceiling || sizes.length === 0 || sizes.some((r) => !r.term_s)) {
  console.error("bench workflow: a run did not finish; see .local/bench-workflow.log");
  process.exit(1);
}
const rate = (r) => r.transitions / r.term_s;
const f = (x, d = 1) => x.toFixed(d);
for (const r of [baseline, ...sizes]) {
  const label = r === baseline ? `baseline ${r.pairs} pairs (one at a time)` : `${r.pairs} pairs (answers ${r.answer_concurrency} at once)`;
  console.log(`${label}: term ${f(r.term_s)} s, ${f(rate(r))} transitions/s, ${f(r.emails / r.term_s)} emails/s; ` +
    `per pair ${f(r.reads / r.pairs)} reads, ${f(r.writes / r.pairs)} writes, ${f(r.queries / r.pairs, 2)} queries, ${f(r.feeds / r.pairs, 2)} feed reads; ` +
    `largest document ${r.largest_write} bytes; tick p50 ${r.tick_p50_ms} ms, p99 ${r.tick_p99_ms} ms; ` +
    `store ${f((100 * r.writes) / r.term_s / ceiling.writes_per_s, 0)}% of its write ceiling` +
    (mail ? `, mail server ${f((100 * r.emails) / r.term_s / mail.emails_per_s, 0)}% of its` : "") +
    (r.cpu_busy_pct !== undefined ? `; the machine's cores ${r.cpu_busy_pct}% busy, the app's own share ${r.app_cpu_pct}%` : ""));
}
if (mail) console.log(`mail server ceiling: ${mail.emails_per_s} emails/s from ${mail.mail_senders} senders (the app's SMTP sender alone, ≈ 10 KB messages)`);
console.log(`store ceiling: ${ceiling.writes_per_s} point writes/s at concurrency ${ceiling.concurrency} (bare client, 3 KB documents)`);
const largest = sizes.reduce((a, b) => (b.pairs > a.pairs ? b : a));
console.log(`workflow ${largest.pairs} pairs: term in ${f(largest.term_s, 0)} s, ${f(rate(largest))} transitions/s, ` +
  `baseline ${f(rate(baseline))} transitions/s, speed-up ${f(rate(largest) / rate(baseline))}×, ` +
  `store at ${f((100 * largest.writes) / largest.term_s / ceiling.writes_per_s, 0)}% of its ceiling`);
