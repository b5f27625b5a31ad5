// Seeds the demo cohort of `./mentorflow up` through the public HTTP API and prints its intake form's URL.
const [api, adminKey] = process.argv.slice(2);
const admin = { "X-Admin-Key": adminKey, "Content-Type": "application/json" };
const day = (offset) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

async function call(method, path, body, headers = admin) {
  const response = await fetch(api + path, { method, headers, body: body && JSON.stringify(body) });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.status === 204 ? null : response.json();
}

const cohort = await call("POST", "/api/cohorts", {
  name: "Mentor Match (demo)",
  society: "American Society of Regional Anesthesia (demo)",
  nationalMeeting: { name: "Annual Spring Meeting", startsOn: day(90), city: "Austin", timeZone: "America/Chicago" },
  intakeClosesOn: day(45),
  programStartsOn: day(60),
  adminEmails: ["program-team@society.example"],
});
await call("POST", `/api/cohorts/${cohort.id}/intake/open`);
console.log(cohort.joinUrl);
