// Starts @vercel/cosmosdb-server (HTTPS, self-signed certificate) with HTTP keep-alive on. Its command line leaves
// keep-alive off, so every request answers "connection: close" and the client opens a new TLS connection for the next
// one; Azure Cosmos DB's gateway keeps connections open, and so does this.
//   node scripts/local-cosmos.js --host 127.0.0.1 -p 8081
const { createHttpsServer } = require("@vercel/cosmosdb-server");

const args = process.argv.slice(2);
const option = (...names) => {
  const at = args.findIndex((a) => names.includes(a));
  return at >= 0 ? args[at + 1] : undefined;
};
const host = option("--host") ?? "127.0.0.1";
const port = Number(option("-p", "--port") ?? 8081);
const server = createHttpsServer({ keepAlive: true });
// Node's own idle timeout (5 s) is shorter than .NET's pooled-connection idle timeout; keep idle connections a minute.
server.keepAliveTimeout = 60_000;
server.headersTimeout = 65_000;
server.listen(port, host, () => console.log(`Ready to accept HTTPS connections at ${host}:${port} (keep-alive)`));
