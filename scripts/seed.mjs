// Seeds the demo cohort of `./mentorflow up` through the public HTTP API and prints its intake form's URL:
// a cohort with open intake and a few registered mentees and mentors, ready to be matched.
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

const places = [
  ["Boston", "MA", "America/New_York"], ["Houston", "TX", "America/Chicago"], ["Seattle", "WA", "America/Los_Angeles"],
  ["Denver", "CO", "America/Denver"], ["Toronto", "ON", "America/Toronto"], ["Chicago", "IL", "America/Chicago"],
];
const aspects = ["clinical", "career", "research", "leadership", "education", "wellbeing", "navigation"];
const people = [
  ...["Ana Lopez", "Priya Shah", "Tom Becker", "Mei Chen", "Jamal Reed", "Sara Novak", "Luis Ortega", "Hana Sato", "Omar Haddad", "Eva Lindqvist"]
    .map((name, i) => ({ name, role: "mentee", stage: i % 2 ? "early" : "trainee", i })),
  ...["Dr. Ruth Adler", "Dr. Ken Ito", "Dr. Grace Obi", "Dr. Paul Meyer", "Dr. Nina Rossi", "Dr. Sam Park", "Dr. Lena Weiss", "Dr. Raj Patel"]
    .map((name, i) => ({ name, role: "mentor", stage: i % 2 ? "late" : "mid", i })),
];
for (const p of people) {
  const [first, ...last] = p.name.replace("Dr. ", "").split(" ");
  const [city, region, timeZone] = places[p.i % places.length];
  await call("POST", `/api/cohorts/${cohort.id}/intake`, {
    role: p.role, firstName: first, lastName: last.join(" "), email: `${first}.${last.join("")}@members.example`.toLowerCase(),
    careerStage: p.stage, specialty: p.i % 3 ? "Anesthesiology" : "Pain Medicine", practiceSetting: p.i % 2 ? "community" : "academic",
    institution: `${city} ${p.role === "mentor" ? "University Hospital" : "Medical Center"}`, city, region, country: region === "ON" ? "CA" : "US", timeZone,
    aspects: [aspects[p.i % 7], aspects[(p.i + 3) % 7]], attendingNationalMeeting: p.i % 3 !== 2,
    preferences: { differentInstitution: true }, capacity: p.role === "mentor" ? 1 + (p.i % 2) : undefined,
    goals: p.role === "mentee" ? "Build a research portfolio and find my footing in practice." : "Help a junior colleague grow.",
    consent: true,
  }, { "Content-Type": "application/json" });
}
// The demo people confirm their registrations at once (a Development-only route): the demo can go straight to matching.
await call("POST", `/api/dev/cohorts/${cohort.id}/participants/confirm`);
console.log(cohort.joinUrl);
