// The tracker: what runs now with a live clock, a Stop button, and one big
// button per label that starts it (stopping the running one).

import { ApiError, api } from "../api.js";
import { labelColor, useLabelSet } from "../colors.js";
import { el, labelTag } from "../dom.js";
import { formatElapsed, formatTime } from "../format.js";
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
  document.getElementById("forgotten").hidden = !(running && suspectForgotten);
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
    running = await api("POST", "/events/start", { body: { label: name } });
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

startPage(refresh);
