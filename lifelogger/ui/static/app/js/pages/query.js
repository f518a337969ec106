// "Query your data": the token (masked, Reveal, Copy), the real base URL, and
// curl examples built for this server with real date ranges.

import { API_BASE, api, getToken } from "../api.js";
import { addDays, dayStart, formatShortDate, mondayOf, today } from "../days.js";
import { busy, el, markFieldErrors, onSubmit, say } from "../dom.js";
import { limits } from "../limits.js";
import { formatShortDay, timeZone, toApiInstant } from "../format.js";
import { notice, startPage } from "../shell.js";

const MASK = "••••••••••••••••";
const tokenValue = document.getElementById("token-value");
const revealButton = document.getElementById("token-reveal");
const copyButton = document.getElementById("token-copy");
const copied = document.getElementById("token-copied");
const baseUrl = location.origin + API_BASE;

/** Today and this week as [first day, day after], the person's days. */
function ranges() {
  const day = today();
  return { today: [day, addDays(day, 1)], week: [mondayOf(day), addDays(mondayOf(day), 7)] };
}

/** The shell command for one endpoint, as the page shows it. */
function curlCommand({ method, path, range, query, body, accept }) {
  // Built by hand rather than with URLSearchParams: ":" and "/" may stay
  // readable in a query string, and every value here is ASCII without "&" or "#".
  const params = [];
  if (range) {
    const [first, after] = ranges()[range];
    params.push(`start=${toApiInstant(dayStart(first))}`, `end=${toApiInstant(dayStart(after))}`);
  }
  if (query) params.push(query);
  const url = baseUrl + path + (params.length ? `?${params.join("&")}` : "");
  const lines = [method === "GET" ? `curl "${url}"` : `curl -X ${method} "${url}"`, `  -H "Authorization: Bearer $TOKEN"`];
  if (accept) lines.push(`  -H "Accept: ${accept}"`);
  if (body) lines.push(`  -H "Content-Type: application/json"`, `  -d '${body}'`);
  return lines.join(" \\\n");
}

/**
 * A code block wider than its box scrolls sideways: then it can be focused
 * (so the keyboard can scroll it), is named for screen readers, and shows
 * shadows at the edges with more to see. Checked again whenever its size or text changes.
 */
function markScrollable(block) {
  const scrolls = block.scrollWidth > block.clientWidth;
  block.classList.toggle("scrolls", scrolls);
  if (scrolls) {
    block.tabIndex = 0;
    block.setAttribute("role", "region");
    block.setAttribute("aria-label", `${block.dataset.label || "Code"} (scrolls sideways)`);
  } else {
    block.removeAttribute("tabindex");
    block.removeAttribute("role");
    block.removeAttribute("aria-label");
  }
}

const resizes = new ResizeObserver((entries) => entries.forEach((entry) => markScrollable(entry.target)));
const edits = new MutationObserver((records) => records.forEach((record) => markScrollable(record.target.closest("pre"))));
for (const block of document.querySelectorAll("pre.code")) {
  resizes.observe(block);
  edits.observe(block, { childList: true, characterData: true, subtree: true });
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

/** The examples with real ranges: again once the profile's zone and day start are known. */
function fillExamples() {
  const { today: day, week } = ranges();
  document.getElementById("example-range").textContent =
    `today (${formatShortDate(day[0])}) for /events and /stats, this week (from ${formatShortDate(week[0])}) for /stats/daily, in your time zone ${timeZone}`;
  for (const code of document.querySelectorAll(".curl-example")) code.textContent = curlCommand(code.dataset);
}

function init() {
  const token = getToken() || "";
  document.getElementById("base-url").textContent = baseUrl;
  fillExamples();

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
// --- Personal access tokens (GET/POST/DELETE /tokens) -------------------------------

const patForm = document.getElementById("pat-form");
const patError = patForm.querySelector(".form-error");
const patList = document.getElementById("pat-list");
const created = document.getElementById("pat-created");
let secret = "";

function whenText(instant, never) {
  return instant ? formatShortDay(new Date(instant)) : never;
}

function tokenRow(token) {
  const expired = token.expires_at && new Date(token.expires_at) <= new Date();
  const facts = [
    `created ${whenText(token.created_at)}`,
    `last used ${whenText(token.last_used_at, "never")}`,
    token.expires_at ? `${expired ? "expired" : "expires"} ${whenText(token.expires_at)}` : "never expires",
  ];
  const error = el("p", { class: "form-error", role: "alert" });
  return el(
    "li",
    { class: "pat-row", dataset: { id: token.id } },
    el(
      "div",
      { class: "row-main" },
      el("span", { class: "pat-name", text: token.name }),
      el("span", { class: `scope scope-${token.scope}`, text: token.scope }),
      el(
        "div",
        { class: "row-actions" },
        el("button", { type: "button", class: "button button-danger-quiet", "aria-label": `Revoke ${token.name}`, onclick: () => revoke(token, error) }, "Revoke"),
      ),
    ),
    el("p", { class: "pat-facts", text: facts.join(" · ") }),
    error,
  );
}

async function loadTokens() {
  const { tokens } = await api("GET", "/tokens");
  document.getElementById("no-pats").hidden = tokens.length > 0;
  patList.replaceChildren(...tokens.map(tokenRow));
}

async function revoke(token, error) {
  if (!window.confirm(`Revoke the token “${token.name}”? Scripts using it stop working at once.`)) return;
  try {
    await api("DELETE", `/tokens/${token.id}`);
    if (created.dataset.id === String(token.id)) created.hidden = true;
    if (document.getElementById("feed-created").dataset.id === String(token.id)) document.getElementById("feed-created").hidden = true;
    await loadTokens();
    notice(`Revoked the token “${token.name}”.`);
    patForm.elements.name.focus();
  } catch (err) {
    say(error, err.message);
  }
}

onSubmit(patForm, async (event) => {
  event.preventDefault();
  say(patError, "");
  markFieldErrors(patForm, {});
  const name = patForm.elements.name.value.trim();
  if (!name) {
    markFieldErrors(patForm, { name: true });
    return say(patError, "Give the token a name, e.g. “nightly export”.");
  }
  const password = patForm.elements.password.value;
  if (!password) {
    markFieldErrors(patForm, { password: true });
    return say(patError, "Enter your password: a token outlives this session.");
  }
  const body = { name, scope: patForm.elements.scope.value, password };
  const days = patForm.elements.expires_in_days.value.trim();
  if (days) {
    const count = Number(days);
    const { min, max } = limits.new_token.expires_in_days;
    if (!Number.isInteger(count) || count < min || count > max) {
      markFieldErrors(patForm, { expires_in_days: true });
      return say(patError, `Expiry: enter whole days from ${min} to ${max}, or leave it empty.`);
    }
    body.expires_in_days = count;
  }
  await busy(patForm, async () => {
    try {
      const answer = await api("POST", "/tokens", { body });
      secret = answer.token;
      created.dataset.id = String(answer.id);
      document.getElementById("pat-created-heading").textContent = `Your new ${answer.scope} token “${answer.name}”`;
      document.getElementById("pat-secret").textContent = secret;
      document.getElementById("pat-copied").textContent = "";
      document.getElementById("pat-curl").textContent = `curl "${baseUrl}/me" \\\n  -H "Authorization: Bearer ${secret}"`;
      created.hidden = false;
      patForm.reset();
      await loadTokens();
      document.getElementById("pat-created-heading").focus();
    } catch (err) {
      markFieldErrors(patForm, err.status === 403 ? { password: true } : err.fieldErrors);
      say(patError, err.message);
      patForm.elements.password.select();
    }
  });
});

// --- Calendar feed: a calendar-scope token, shown as the URL to subscribe to ---------

const feedForm = document.getElementById("feed-form");
const feedError = feedForm.querySelector(".form-error");
const feedCreated = document.getElementById("feed-created");
let feedUrl = "";

onSubmit(feedForm, async (event) => {
  event.preventDefault();
  say(feedError, "");
  markFieldErrors(feedForm, {});
  const name = feedForm.elements.name.value.trim();
  if (!name) {
    markFieldErrors(feedForm, { name: true });
    return say(feedError, "Give the feed a name, e.g. “phone calendar”.");
  }
  const password = feedForm.elements.password.value;
  if (!password) {
    markFieldErrors(feedForm, { password: true });
    return say(feedError, "Enter your password: a feed URL outlives this session.");
  }
  await busy(feedForm, async () => {
    try {
      const answer = await api("POST", "/tokens", { body: { name, scope: "calendar", password } });
      feedUrl = `${baseUrl}/feeds/${answer.token}/calendar.ics`;
      feedCreated.dataset.id = String(answer.id);
      document.getElementById("feed-created-heading").textContent = `Your feed URL “${answer.name}”`;
      document.getElementById("feed-url").textContent = feedUrl;
      document.getElementById("feed-copied").textContent = "";
      feedForm.elements.password.value = "";
      feedCreated.hidden = false;
      await loadTokens();
      document.getElementById("feed-created-heading").focus();
    } catch (err) {
      markFieldErrors(feedForm, err.status === 403 ? { password: true } : err.fieldErrors);
      say(feedError, err.message);
      feedForm.elements.password.select();
    }
  });
});

document.getElementById("feed-copy").addEventListener("click", async () => {
  const status = document.getElementById("feed-copied");
  try {
    await copyText(feedUrl);
    status.textContent = "Feed URL copied to the clipboard.";
  } catch {
    status.textContent = "This browser refused to copy; select the URL and copy it by hand.";
  }
});

document.getElementById("pat-copy").addEventListener("click", async () => {
  const status = document.getElementById("pat-copied");
  try {
    await copyText(secret);
    status.textContent = "Token copied to the clipboard.";
  } catch {
    status.textContent = "This browser refused to copy; select the token and copy it by hand.";
  }
});

init();
startPage(async () => {
  fillExamples();
  await loadTokens();
});
