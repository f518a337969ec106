// The tracker: what runs now with a live clock, a Stop button, and one big
// button per label that starts it (stopping the running one).

import { ApiError, api } from "../api.js";
import { labelColor, useLabelSet } from "../colors.js";
import { busy, el, labelTag, onSubmit, say } from "../dom.js";
import { dateTimeInputValue, formatDateTime, formatElapsed, formatTime, parseDateTimeInput, toApiInstant } from "../format.js";
import { refreshGoals } from "../goals.js";
import { notice, startPage } from "../shell.js";

const nowLabel = document.getElementById("now-label");
const nowElapsed = document.getElementById("now-elapsed");
const stopButton = document.getElementById("stop");
const buttonList = document.getElementById("label-buttons");
const noLabels = document.getElementById("no-labels");

let running = null; // the running event, or null
let suspectForgotten = false; // the API thinks it runs for too long
let labels = [];
let ticker = null;
let profile = null; // GET /me: the forgotten-timer threshold

function renderNow() {
  nowLabel.replaceChildren();
  clearInterval(ticker);
  if (!running) {
    nowLabel.textContent = "Nothing running.";
    nowElapsed.textContent = "Tap a label below when you start something.";
    stopButton.hidden = true;
  } else {
    const started = new Date(running.started_at);
    nowLabel.append(labelTag(running.label));
    const tick = () => {
      nowElapsed.textContent = `${formatElapsed((Date.now() - started.getTime()) / 1000)} since ${formatTime(started)}`;
    };
    tick();
    ticker = setInterval(tick, 1000);
    stopButton.hidden = false;
  }
  showForgotten();
  refreshGoals(goalsSection);
  for (const button of buttonList.querySelectorAll("button")) {
    const isRunning = Boolean(running) && button.dataset.label === running.label;
    button.classList.toggle("is-running", isRunning);
    button.toggleAttribute("aria-current", isRunning);
    button.querySelector(".running-badge").hidden = !isRunning;
  }
}

function renderLabels() {
  noLabels.hidden = labels.length > 0;
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
}

async function refresh() {
  const [labelAnswer, current] = await Promise.all([api("GET", "/labels"), api("GET", "/events/current")]);
  labels = labelAnswer.labels;
  useLabelSet(labels);
  running = current.event;
  suspectForgotten = Boolean(current.suspect_forgotten);
  renderLabels();
  renderNow();
}

async function start(name) {
  if (running && running.label === name) {
    notice(`${name} is already running.`);
    return;
  }
  try {
    running = await api("POST", "/events/start", { body: startBody(name) });
    noteInput.value = "";
    suspectForgotten = false;
    renderNow();
    notice(`Started ${name}.`);
  } catch (error) {
    notice(error.message);
    if (error instanceof ApiError && error.status === 422) await refresh(); // the label was renamed or deleted elsewhere
  }
}

stopButton.addEventListener("click", async () => {
  try {
    const stopped = await api("POST", "/events/stop");
    running = null;
    renderNow();
    notice(`Stopped ${stopped.label}.`);
    buttonList.querySelector("button")?.focus();
  } catch (error) {
    notice(error.message);
    await refresh();
  }
});

// Coming back to the tab (another device may have switched): show the truth.
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible") refresh().catch((error) => notice(error.message));
});

// --- Goals: progress bars, redrawn with every change above and once a minute ------

const goalsSection = document.getElementById("goals");
setInterval(() => refreshGoals(goalsSection), 60000);

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
  const show = Boolean(running && suspectForgotten);
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
      running = null;
      renderNow();
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
  await refresh();
});
