// Two fixes to @vercel/cosmosdb-server 1.0.1 so that the local server answers like Azure Cosmos DB; run after every npm
// install (package.json "postinstall"), each a no-op once applied:
// 1. A point read of a missing document answered 500 ("Cannot read properties of undefined") instead of 404.
// 2. The 62nd, 63rd, 126th, 127th, … database created got a resource id whose base64 holds "+" or "/" (a count whose low six
//    bits are 111110 or 111111 lands there), which the .NET SDK cannot use in a resource link: every query on that
//    database's containers failed with 404 "stale cache". Azure never hands out such ids; the patched server skips them
//    (the n-th database gets the n-th count whose id is clean), so a test run may create any number of databases.
const fs = require("fs");
const path = require("path");

const account = path.join(__dirname, "..", "node_modules", "@vercel", "cosmosdb-server", "lib");

function patch(relative, marker, anchor, replacement) {
  const file = path.join(account, relative);
  const source = fs.readFileSync(file, "utf8");
  if (source.includes(marker)) return;
  if (!source.includes(anchor)) {
    console.error(`patch-local-cosmos: ${file} has changed; review the patch before upgrading cosmosdb-server.`);
    process.exit(1);
  }
  fs.writeFileSync(file, source.replace(anchor, replacement));
  console.log(`patch-local-cosmos: ${relative} patched (${marker})`);
}

const missing = "/* mentorflow: 404 for a missing document */";
const read = "const data = collection.document(docId, parsedPartitionKey).read();";
patch(path.join("handler", "read-document.js"), missing, read,
  `${read}\n        ${missing}\n        if (!data) { res.statusCode = 404; return { code: "NotFound", message: "Entity with the specified id does not exist in the system." }; }`);

const clean = "/* mentorflow: no database resource id with + or / */";
const rid = `    _rid(id) {
        const idString = ((id << 8) | 0x80000000).toString();
        return resource_id_1.default.newDatabaseId(idString).toString();
    }`;
patch(path.join("account", "databases.js"), clean, rid, `    _rid(id) {
        ${clean}
        const of = (n) => resource_id_1.default.newDatabaseId(((n << 8) | 0x80000000).toString()).toString();
        for (let n = 1, clean = 0; ; n += 1) {
            if (!/[+/]/.test(of(n)) && (clean += 1) === id) return of(n);
        }
    }`);
