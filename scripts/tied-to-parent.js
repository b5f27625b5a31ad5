// Runs a command for as long as a parent process lives: node tied-to-parent.js PARENT_PID COMMAND [ARGS...]
// The test fixtures start the local servers through it, so that a test host that is killed (not only one that exits
// cleanly) leaves no server running behind it.
const { spawn } = require("child_process");
const [parent, command, ...args] = process.argv.slice(2);
const child = spawn(command, args, { stdio: "inherit" });
const alive = () => { try { process.kill(Number(parent), 0); return true; } catch { return false; } };
// Asked to stop, the server has two seconds; then it is killed, and only then does this exit (exiting first left a server
// that was slow to stop, or ignored SIGTERM, running with nothing watching it).
const kill = () => { try { child.kill("SIGKILL"); } catch { /* gone already */ } process.exit(0); };
const stop = () => { try { child.kill("SIGTERM"); } catch { /* gone already */ } setTimeout(kill, 2000).unref(); };
const watch = setInterval(() => { if (!alive()) { clearInterval(watch); stop(); } }, 500);
child.on("exit", (code, signal) => { clearInterval(watch); process.exit(code ?? (signal ? 1 : 0)); });
for (const s of ["SIGINT", "SIGTERM"]) process.on(s, stop);
