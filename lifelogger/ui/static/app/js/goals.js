// Progress towards today's and this week's goals (GET /goals/progress), as
// accessible progress bars: "Exercise 30 of 45 min today".

import { api } from "./api.js";
import { labelColor } from "./colors.js";
import { el, swatch } from "./dom.js";

const PERIOD_WORDS = { day: "today", week: "this week" };

/** "Exercise 30 of 45 min today", "Phone 20 of at most 30 min this week". */
export function goalText(goal) {
  const done = Math.floor(goal.done_minutes);
  const target = goal.kind === "at_most" ? `at most ${goal.minutes}` : String(goal.minutes);
  return `${goal.label} ${done} of ${target} min ${PERIOD_WORDS[goal.per]}`;
}

/** "met", "15 min to go", "10 min left", "5 min over". */
export function goalStatus(goal) {
  const done = goal.done_minutes;
  if (goal.kind === "at_least") return goal.met ? "met" : `${Math.ceil(goal.minutes - done)} min to go`;
  return goal.met ? `${Math.floor(goal.minutes - done)} min left` : `${Math.ceil(done - goal.minutes)} min over`;
}

function goalItem(goal, index) {
  const id = `goal-${index}`;
  const text = goalText(goal);
  const status = goalStatus(goal);
  const fill = el("span", { class: "goal-fill" });
  fill.style.width = `${Math.min(100, (100 * goal.done_minutes) / goal.minutes)}%`;
  const bar = el(
    "div",
    {
      class: "goal-bar",
      role: "progressbar",
      "aria-labelledby": `${id}-text`,
      "aria-valuemin": "0",
      "aria-valuemax": String(goal.minutes),
      "aria-valuenow": String(Math.min(goal.minutes, Math.floor(goal.done_minutes))),
      "aria-valuetext": `${text}, ${status}`,
    },
    fill,
  );
  bar.style.setProperty("--label-color", labelColor(goal.label));
  const state = goal.kind === "at_most" && !goal.met ? "over" : goal.met ? "met" : "open";
  return el(
    "li",
    { class: `goal goal-${state}`, dataset: { label: goal.label, per: goal.per } },
    el("p", { class: "goal-line" }, swatch(goal.label), el("span", { id: `${id}-text`, class: "goal-text", text }), el("span", { class: "goal-status", text: status })),
    bar,
  );
}

/**
 * Fetch progress and draw it into `section` (hidden when there are no goals).
 * A failed fetch (offline, say) leaves the last bars as they were. True
 * unless the answer said there are no goals.
 */
export async function refreshGoals(section) {
  let answer;
  try {
    answer = await api("GET", "/goals/progress");
  } catch {
    return true;
  }
  const goals = [...answer.goals].sort((a, b) => (a.per === b.per ? 0 : a.per === "day" ? -1 : 1));
  section.hidden = goals.length === 0;
  section.querySelector("ul").replaceChildren(...goals.map(goalItem));
  return goals.length > 0;
}
