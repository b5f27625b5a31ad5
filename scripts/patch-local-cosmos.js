// @vercel/cosmosdb-server 1.0.1 answers a point read of a missing document with a 500 ("Cannot read properties of
// undefined") instead of the 404 Cosmos DB sends. This adds the missing check so the local server answers like Azure;
// it runs after every npm install (package.json "postinstall") and is a no-op once applied.
const fs = require("fs");
const path = require("path");

const file = path.join(__dirname, "..", "node_modules", "@vercel", "cosmosdb-server", "lib", "handler", "read-document.js");
const marker = "/* mentorflow: 404 for a missing document */";
const anchor = "const data = collection.document(docId, parsedPartitionKey).read();";
const source = fs.readFileSync(file, "utf8");
if (source.includes(marker)) process.exit(0);
if (!source.includes(anchor)) {
  console.error(`patch-local-cosmos: ${file} has changed; review the patch before upgrading cosmosdb-server.`);
  process.exit(1);
}
const fix = `${anchor}\n        ${marker}\n        if (!data) { res.statusCode = 404; return { code: "NotFound", message: "Entity with the specified id does not exist in the system." }; }`;
fs.writeFileSync(file, source.replace(anchor, fix));
console.log("patch-local-cosmos: read of a missing document now answers 404");
