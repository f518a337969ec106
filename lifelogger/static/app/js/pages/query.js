// "Query your data": the token (masked, Reveal, Copy), the real base URL, and
// curl examples built for this server with real date ranges.

import { API_BASE, getToken } from "../api.js";
import { addDays, formatShortDay, startOfDay, timeZone, toApiInstant } from "../format.js";
import { startPage } from "../shell.js";

const MASK = "••••••••••••••••";
const tokenValue = document.getElementById("token-value");
const revealButton = document.getElementById("token-reveal");
const copyButton = document.getElementById("token-copy");
const copied = document.getElementById("token-copied");
const baseUrl = location.origin + API_BASE;

function ranges(now = new Date()) {
  const today = startOfDay(now);
  const monday = addDays(today, -((today.getDay() + 6) % 7));
  return { today: [today, addDays(today, 1)], week: [monday, addDays(monday, 7)] };
}

/** The shell command for one endpoint, as the page shows it. */
function curlCommand({ method, path, range, query, body }) {
  // Built by hand rather than with URLSearchParams: ":" and "/" may stay
  // readable in a query string, and every value here is ASCII without "&" or "#".
  const params = [];
  if (range) {
    const [start, end] = ranges()[range];
    params.push(`start=${toApiInstant(start)}`, `end=${toApiInstant(end)}`);
  }
  if (query === "tz") params.push(`tz=${encodeURIComponent(timeZone).replace(/%2F/g, "/")}`);
  const url = baseUrl + path + (params.length ? `?${params.join("&")}` : "");
  const lines = [method === "GET" ? `curl "${url}"` : `curl -X ${method} "${url}"`, `  -H "Authorization: Bearer $TOKEN"`];
  if (body) lines.push(`  -H "Content-Type: application/json"`, `  -d '${body}'`);
  return lines.join(" \\\n");
}

async function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }
  // Plain http on a LAN address is not a secure context: no Clipboard API there.
  const area = Object.assign(document.createElement("textarea"), { value: text, readOnly: true });
  area.className = "offscreen";
  document.body.append(area);
  area.select();
  const ok = document.execCommand("copy");
  area.remove();
  if (!ok) throw new Error("copy refused");
}

function init() {
  const token = getToken() || "";
  document.getElementById("base-url").textContent = baseUrl;
  const { today, week } = ranges();
  document.getElementById("example-range").textContent =
    `today (${formatShortDay(today[0])}) for /events and /stats, this week (from ${formatShortDay(week[0])}) for /stats/daily, in your time zone ${timeZone}`;
  for (const code of document.querySelectorAll(".curl-example")) code.textContent = curlCommand(code.dataset);

  revealButton.addEventListener("click", () => {
    const show = !tokenValue.classList.contains("revealed");
    tokenValue.textContent = show ? token : MASK;
    tokenValue.classList.toggle("revealed", show);
    revealButton.textContent = show ? "Hide" : "Reveal";
  });
  copyButton.addEventListener("click", async () => {
    try {
      await copyText(token);
      copied.textContent = "Token copied to the clipboard.";
    } catch {
      copied.textContent = "This browser refused to copy; press Reveal and copy the token by hand.";
    }
  });
}

// Wired at once (not after GET /me answers) so an early click is never lost.
init();
startPage(async () => {});
