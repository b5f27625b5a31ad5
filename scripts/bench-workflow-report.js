// Reads the RESULT lines of ./mentorflow bench workflow (one per line, prefixed size / engine / idle / ceiling / mail) from
// standard input and prints the figures per size, the engine's and the store's own, then the one closing line the benchmark promises.
const lines = require("fs").readFileSync(0, "utf8").trim().split("\n");
const parse = (line) => Object.fromEntries([...line.matchAll(/(\w+)=(-?[\d.]+)/g)].map(([, k, v]) => [k, Number(v)]));
const runs = lines.map((line) => ({ kind: line.split(" ")[0], ...parse(line) }));
const one = (kind) => runs.find((r) => r.kind === kind);
const [engine, idle, ceiling, mail] = ["engine", "idle", "ceiling", "mail"].map(one);
const sizes = runs.filter((r) => r.kind === "size");
if (!engine || !engine.engine_steps_per_s || !idle || !ceiling || sizes.length === 0 || sizes.some((r) => !r.term_s)) {
  console.error("bench workflow: a run did not finish; see .local/bench-workflow.log");
  process.exit(1);
}
const f = (x, d = 1) => x.toFixed(d);
const stepRate = (r) => r.steps / r.term_s;
for (const r of sizes) {
  console.log(`${r.pairs} pairs: term ${f(r.term_s)} s, ${r.steps} engine steps (${f(stepRate(r))}/s), ${r.transitions} transitions, ${f(r.emails / r.term_s)} emails/s; ` +
    `per pair ${f(r.reads / r.pairs)} Cosmos reads, ${f(r.writes / r.pairs)} writes, ${f(r.queries / r.pairs, 2)} queries; ` +
    `per pair ${f(r.storage / r.pairs, 0)} storage transactions (${f(r.storage_queue / r.pairs, 0)} queue, ${f(r.storage_table / r.pairs, 0)} table, ` +
    `${f(r.storage_blob / r.pairs, 0)} blob), ${f(r.history_rows / r.pairs)} history rows left; clock jumps p50 ${r.tick_p50_ms} ms, p99 ${r.tick_p99_ms} ms; ` +
    `store ${f((100 * r.writes) / r.term_s / ceiling.writes_per_s, 0)}% of its write ceiling` +
    (mail ? `, mail server ${f((100 * r.emails) / r.term_s / mail.emails_per_s, 0)}% of its` : "") +
    (r.cpu_busy_pct >= 0 ? `; the machine's cores ${r.cpu_busy_pct}% busy, the app's own share ${r.app_cpu_pct}%` : "") + `; ${r.lost} lost`);
}
console.log(`engine ceiling: ${engine.engine_steps_per_s} steps/s from ${engine.engine_instances} looping one-activity orchestrations ` +
  `(${engine.engine_storage_per_step} storage transactions a step; ${engine.engine_finished} of ${engine.engine_instances} finished when told)`);
console.log(`engine idle: ${idle.idle_per_min} storage transactions a minute at ${idle.idle_polling_s}-s polling, ${idle.partitions} partitions ` +
  `(${idle.idle_queue_per_min} queue, ${idle.idle_table_per_min} table, ${idle.idle_blob_per_min} blob)`);
if (mail) console.log(`mail server ceiling: ${mail.emails_per_s} emails/s from ${mail.mail_senders} senders (the app's SMTP sender alone, ≈ 10 KB messages)`);
console.log(`store ceiling: ${ceiling.writes_per_s} point writes/s at concurrency ${ceiling.concurrency} (bare client, 3 KB documents)`);
const largest = sizes.reduce((a, b) => (b.pairs > a.pairs ? b : a));
console.log(`workflow ${largest.pairs} pairs on the durable engine: term in ${f(largest.term_s, 0)} s, ${f(stepRate(largest))} steps/s, ` +
  `engine ceiling ${f(engine.engine_steps_per_s)} steps/s (${f((100 * stepRate(largest)) / engine.engine_steps_per_s, 0)}%), ${largest.lost} lost`);
