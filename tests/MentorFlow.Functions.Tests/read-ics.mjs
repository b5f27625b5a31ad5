// Reads calendar files the way Thunderbird's calendar does (Mozilla's ical.js) and prints what a client would see:
// the METHOD, the TZIDs used and defined, and each event's start as an instant. Input: a JSON array of .ics texts on stdin.
import ICAL from "ical.js";

const input = JSON.parse(await new Promise((resolve) => {
  let text = "";
  process.stdin.on("data", (chunk) => (text += chunk)).on("end", () => resolve(text));
}));
const results = input.map((ics) => {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  const defined = calendar.getAllSubcomponents("vtimezone").map((vtz) => {
    const zone = new ICAL.Timezone(vtz);
    ICAL.TimezoneService.register(zone);
    return zone.tzid;
  });
  const events = calendar.getAllSubcomponents("vevent").map((vevent) => {
    const used = vevent.getAllProperties().map((p) => p.getParameter("tzid")).filter(Boolean);
    const start = new ICAL.Event(vevent).startDate;
    return { used, start: start.toJSDate().toISOString() };
  });
  return { method: calendar.getFirstPropertyValue("method"), defined, events };
});
process.stdout.write(JSON.stringify(results));
