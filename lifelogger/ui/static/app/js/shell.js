// What every signed-in page does first: make sure there is a token, show who
// is signed in, wire the Log out button, show a message left by the last page.

import {
  api,
  clearToken,
  getToken,
  goToLogin,
  refreshSession,
  rememberMe,
  rememberedMe,
  setKeptSignedIn,
  setNotice,
  takeNotice,
} from "./api.js";
import { dayStartText, useProfileDays } from "./days.js";
import { say } from "./dom.js";
import { browserTimeZone, timeZone } from "./format.js";
import { keepDrafts } from "./drafts.js";
import { describeProblem, queueEvents, startSync } from "./queue.js";

/** Show a message in the page's one status area; `kind` "error" shows it as a failure (red), not a success. */
export function notice(text, kind = "info") {
  const area = document.getElementById("notice");
  say(area, text);
  area.classList.toggle("is-error", kind === "error");
}

/**
 * Start a signed-in page: `init(me)` gets the profile from GET /me.
 * Errors the page does not handle are shown in the notice area.
 * Before `init` runs, times and days follow the profile (zone, day start).
 */
export async function startPage(init) {
  // A new tab, a reopened browser or the installed app: a browser kept signed in gets a token.
  if (!getToken() && !(await refreshSession())) {
    goToLogin(null);
    return;
  }
  document.getElementById("logout").addEventListener("click", logOut);
  const left = takeNotice();
  if (left) notice(left);
  try {
    const me = await signedInPerson();
    document.getElementById("signed-in-as").textContent = me.display_name;
    showDays(me);
    sendWaitingTaps(me.username);
    await init(me);
    keepDrafts(me.username); // after init, which fills the forms from the server
  } catch (error) {
    notice(error.message, "error");
  }
}

/** Use the profile's zone and day start; say which, where the page has a place for it. */
export function showDays(me) {
  if (!useProfileDays(me)) {
    notice(`This browser does not know your time zone ${me.timezone}; times are shown in ${browserTimeZone}. Choose another zone on the Account page.`, "error");
  }
  const differs = timeZone !== browserTimeZone;
  for (const node of document.querySelectorAll(".tz-name")) {
    node.textContent = differs ? `${timeZone}; this device is set to ${browserTimeZone}` : timeZone;
  }
  for (const node of document.querySelectorAll(".day-start")) node.textContent = dayStartText();
}

/** GET /me; offline, the answer this tab kept (so the tracker opens without a connection). */
async function signedInPerson() {
  const remembered = rememberedMe();
  if (remembered && !navigator.onLine) return remembered;
  try {
    const me = await api("GET", "/me");
    rememberMe(me);
    return me;
  } catch (error) {
    if (error.status === 0 && remembered) return remembered;
    throw error;
  }
}

/** Taps recorded offline (queue.js) go out from whichever page is open; refusals are told. */
function sendWaitingTaps(username) {
  queueEvents.addEventListener("outcome", (event) => {
    const problems = event.detail.problems;
    if (problems.length) notice(problems.map(describeProblem).join(" "), "error");
  });
  startSync(username);
}

async function logOut() {
  try {
    await api("POST", "/auth/logout");
  } catch {
    // The token is dropped below either way.
  }
  clearToken();
  setKeptSignedIn(false); // the server ended this device and deleted its cookie
  setNotice("You are logged out.");
  location.assign("/login");
}
