// The tracker: what runs now with a live clock, a Stop button, and one big
// button per label that starts it (stopping the running one).
//
// Taps go through queue.js: stored on the device with their instant, shown at
// once, sent when the server can be reached. What the tracker shows is the
// server's last word with the waiting taps applied on top.

import { ApiError, TRACKER_SNAPSHOT_KEY, api } from "../api.js";
import { labelColor, useLabelSet } from "../colors.js";
import { busy, el, labelTag, onSubmit, say } from "../dom.js";
import { dateTimeInputValue, formatDateTime, formatElapsed, formatTime, parseDateTimeInput, toApiInstant } from "../format.js";
import { refreshGoals } from "../goals.js";
import { enqueue, flush, queueEvents, waiting } from "../queue.js";
import { notice, startPage } from "../shell.js";

const nowLabel = document.getElementById("now-label");
const nowElapsed = document.getElementById("now-elapsed");
const stopButton = document.getElementById("stop");
const buttonList = document.getElementById("label-buttons");
const noLabels = document.getElementById("no-labels");

let running = null; // the running event as shown (waiting taps applied), or null
let suspectForgotten = false; // the API thinks it runs for too long
let labels = [];
let ticker = null;
let profile = null; // GET /me: the forgotten-timer threshold

// --- Offline: the server's last word, the taps waiting to be sent, and whether it can be reached
const syncStatus = document.getElementById("sync-status");
let username = null;
let serverRunning = null; // the running event as the server last said
let waitingTaps = []; // oldest first
let offline = !navigator.onLine;
let taps = Promise.resolve(); // taps are handled one after the other

/** The running event after the waiting taps: a start replaces it, a stop ends it. */
function withWaitingTaps(event, pending) {
  for (const tap of pending) event = tap.kind === "start" ? { label: tap.body.label, started_at: tap.at } : null;
  return event;
}

async function showWaitingTaps() {
  waitingTaps = await waiting(username);
  renderTracker();
}

/** Draw what runs (the server's event with the waiting taps applied) and the offline line. */
function renderTracker() {
  running = withWaitingTaps(serverRunning, waitingTaps);
  renderNow();
  renderSync();
}

function renderSync() {
  if (!navigator.onLine) offline = true; // whatever an answer in flight said before the network went
  const count = waitingTaps.length;
  const changes = `${count} ${count === 1 ? "change" : "changes"} waiting`;
  let text = "";
  if (offline) text = count ? `Offline — ${changes}` : "Offline — taps are kept on this device and sent when the connection returns.";
  else if (count) text = `Sending — ${changes}`;
  say(syncStatus, text);
  syncStatus.classList.toggle("is-offline", offline);
}

function renderNow() {
  nowLabel.replaceChildren();
  clearInterval(ticker);
  if (!running) {
    nowLabel.textContent = "Nothing running.";
    nowElapsed.textContent = "Tap a label to start it.";
    stopButton.classList.add("is-idle");
  } else {
    const started = new Date(running.started_at);
    nowLabel.append(labelTag(running.label));
    const tick = () => {
      nowElapsed.textContent = `${formatElapsed((Date.now() - started.getTime()) / 1000)} since ${formatTime(started)}`;
    };
    tick();
    ticker = setInterval(tick, 1000);
    stopButton.classList.remove("is-idle");
  }
  showForgotten();
  for (const button of buttonList.querySelectorAll("button")) {
    const isRunning = Boolean(running) && button.dataset.label === running.label;
    button.classList.toggle("is-running", isRunning);
    // "Start Reading, toggle button, pressed": what runs is told to assistive tech too.
    button.setAttribute("aria-pressed", String(isRunning));
    button.querySelector(".running-badge").hidden = !isRunning;
  }
}

/**
 * Draw one button per label. When the labels are the ones already drawn the
 * buttons stay (a tap's answer redraws nothing, so focus stays on the tapped
 * button and nothing moves); when they changed, focus follows its label.
 */
function renderLabels() {
  noLabels.hidden = labels.length > 0;
  const drawn = [...buttonList.querySelectorAll("button")].map((button) => button.dataset.label);
  if (drawn.length === labels.length && drawn.every((name, i) => name === labels[i])) return;
  const focused = buttonList.contains(document.activeElement) ? document.activeElement.dataset.label : null;
  buttonList.replaceChildren(
    ...labels.map((name) => {
      const button = el(
        "button",
        { type: "button", class: "label-button", dataset: { label: name }, onclick: () => start(name) },
        el("span", { class: "visually-hidden", text: "Start " }),
        el("span", { class: "label-name", text: name }),
        el("span", { class: "running-badge", text: "running", hidden: true, "aria-hidden": "true" }),
      );
      button.style.setProperty("--label-color", labelColor(name));
      return el("li", {}, button);
    }),
  );
  if (focused) [...buttonList.querySelectorAll("button")].find((button) => button.dataset.label === focused)?.focus();
}

async function refresh() {
  let answers = null;
  if (navigator.onLine) {
    try {
      answers = await Promise.all([api("GET", "/labels"), api("GET", "/events/current")]);
      sessionStorage.setItem(TRACKER_SNAPSHOT_KEY, JSON.stringify({ username, labels: answers[0].labels, current: answers[1] }));
      offline = false;
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 0)) throw error;
    }
  }
  if (!answers) {
    // Offline: the labels and running event this tab saw last.
    offline = true;
    const kept = JSON.parse(sessionStorage.getItem(TRACKER_SNAPSHOT_KEY) || "null");
    if (!kept || kept.username !== username) {
      renderSync();
      nowLabel.textContent = "Offline, and this tab has not seen your labels yet.";
      return;
    }
    answers = [{ labels: kept.labels }, kept.current];
  }
  const [labelAnswer, current] = answers;
  waitingTaps = await waiting(username); // read first: the buttons and what runs appear together
  labels = labelAnswer.labels;
  useLabelSet(labels);
  serverRunning = current.event;
  suspectForgotten = Boolean(current.suspect_forgotten);
  renderLabels();
  renderTracker();
  if (!goalsLoaded) {
    goalsLoaded = true;
    await showGoals();
  }
}

/** Handle taps one after the other, each seeing what the one before it did. */
function serially(work) {
  taps = taps.then(work).catch((error) => notice(error.message, "error"));
}

/** Record a tap (queue.js), show it at once, and send it if the server can be reached. */
async function record(kind, body, said) {
  await enqueue(username, kind, body);
  await showWaitingTaps();
  notice(offline || !navigator.onLine ? `${said} Offline: it will be sent when the connection returns.` : said);
  flush(username).catch((error) => notice(error.message, "error"));
}

function start(name) {
  serially(async () => {
    if (running && running.label === name) {
      notice(`${name} is already running.`);
      return;
    }
    const body = startBody(name);
    noteInput.value = "";
    await record("start", body, `Started ${name}.`);
  });
}

stopButton.addEventListener("click", () => {
  serially(async () => {
    if (!running) return;
    const label = running.label;
    await record("stop", {}, `Stopped ${label}.`);
    buttonList.querySelector("button")?.focus();
  });
});

// A round of sending ended (queue.js): show the server's new state, or that it is out of reach.
queueEvents.addEventListener("outcome", async (event) => {
  if (!username) return;
  const { sent, problems, reachable } = event.detail;
  if (reachable !== null) offline = !reachable;
  if (sent.length || problems.length) {
    await refresh().catch((error) => notice(error.message));
    if (sent.length) await showGoals(); // a start or stop changes the minutes so far
  } else await showWaitingTaps();
});
window.addEventListener("offline", () => {
  offline = true;
  renderSync();
});
window.addEventListener("online", () => {
  offline = false;
  renderSync();
});

// Coming back to the tab (another device may have switched): show the truth.
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible") {
    refresh().catch((error) => notice(error.message));
    showGoals();
  }
});

// --- Goals: progress bars ---------------------------------------------------------
//
// GET /goals/progress once when the page opens, again after a tap's answer
// (its minutes changed) and once a minute while the tab is seen (a running
// event's minutes grow); never while the tab is hidden, and no more at all
// when the first answer says there are no goals (set on the Labels page,
// which a new page load then shows).

const GOALS_EVERY_MS = 60000;
const goalsSection = document.getElementById("goals");
let goalsLoaded = false;
let hasGoals = true;
let goalsTimer = null;

async function showGoals() {
  if (!hasGoals || document.visibilityState !== "visible") return;
  clearTimeout(goalsTimer);
  hasGoals = await refreshGoals(goalsSection);
  if (hasGoals) goalsTimer = setTimeout(showGoals, GOALS_EVERY_MS);
}

// --- A note for the next start ------------------------------------------------------

const noteInput = document.getElementById("start-note");

/** POST /events/start's body: the label, and the note typed above the buttons. */
function startBody(name) {
  const note = noteInput.value.trim();
  return note ? { label: name, note } : { label: name };
}

// --- A forgotten timer: "Stop it at …" -------------------------------------------

const forgotten = document.getElementById("forgotten");
const stopAtForm = document.getElementById("stop-at-form");
const stopAtError = document.getElementById("stop-at-error");

/** Show the warning when the running event looks forgotten, with a likely end filled in. */
function showForgotten() {
  // Only for the event the server knows: not while taps that change it wait to be sent.
  const show = Boolean(running && running === serverRunning && suspectForgotten);
  const wasHidden = forgotten.hidden;
  forgotten.hidden = !show;
  if (!show || !wasHidden) return;
  say(stopAtError, "");
  stopAtForm.elements.ended_at.removeAttribute("aria-invalid");
  // The threshold after its start (when it was probably forgotten), never later than now.
  const threshold = (profile ? profile.forgotten_after_minutes : 720) * 60000;
  const likely = Math.min(new Date(running.started_at).getTime() + threshold, Date.now());
  stopAtForm.elements.ended_at.value = dateTimeInputValue(new Date(Math.floor(likely / 60000) * 60000)).slice(0, 16);
}

/** The API's refusal in words. */
function describeStopError(error, event) {
  const field = error.fieldErrors && error.fieldErrors.ended_at;
  if (error.status === 409) return "Nothing is running any more: it was stopped elsewhere.";
  if (error.status === 422 && /before/i.test(error.message)) {
    return `That is before ${event.label} started (${formatDateTime(new Date(event.started_at))}). Choose a later time.`;
  }
  if (error.status === 422 && field && /future/i.test(error.message)) return "That time is still to come. Choose a time up to now.";
  return error.message.replace(/\bended_at\b/g, "the end").replace(/\bstarted_at\b/g, "the start");
}

onSubmit(stopAtForm, async (event) => {
  event.preventDefault();
  say(stopAtError, "");
  const input = stopAtForm.elements.ended_at;
  input.removeAttribute("aria-invalid");
  const endedAt = parseDateTimeInput(input.value);
  if (!endedAt) {
    input.setAttribute("aria-invalid", "true");
    return say(stopAtError, "Enter the date and time it ended.");
  }
  const stopping = running;
  await busy(stopAtForm, async () => {
    try {
      const stopped = await api("POST", "/events/stop", { body: { ended_at: toApiInstant(endedAt) } });
      serverRunning = running = null;
      renderNow();
      showGoals();
      notice(
        stopped.ended_at === stopped.started_at
          ? `${stopped.label} lasted no time, so it was discarded.`
          : `Stopped ${stopped.label} at ${formatDateTime(new Date(stopped.ended_at))}.`,
      );
      buttonList.querySelector("button")?.focus();
    } catch (error) {
      input.setAttribute("aria-invalid", "true");
      say(stopAtError, describeStopError(error, stopping));
      if (error.status === 409) await refresh();
    }
  });
});

startPage(async (me) => {
  profile = me;
  username = me.username;
  await refresh();
});
