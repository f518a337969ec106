// Account: display name, your days (time zone, day start, forgotten-timer
// threshold: PATCH /me), export, password (POST /me/password) and revoking
// every personal token (DELETE /tokens).

import { ApiError, api } from "../api.js";
import { addDays, dayStart, parseDate, today } from "../days.js";
import { busy, markFieldErrors, onSubmit, saveBlob, say } from "../dom.js";
import { browserTimeZone, formatDateTime, toApiInstant } from "../format.js";
import { limits } from "../limits.js";
import { notice, showDays, startPage } from "../shell.js";
import { showDevices } from "../devices.js";
import { chooseZone } from "../zones.js";

const profileForm = document.getElementById("profile-form");
const passwordForm = document.getElementById("password-form");
const daysForm = document.getElementById("days-form");
const exportForm = document.getElementById("export-form");

function showProfile(me) {
  document.getElementById("profile-username").textContent = me.username;
  document.getElementById("profile-created").textContent = formatDateTime(new Date(me.created_at));
  document.getElementById("signed-in-as").textContent = me.display_name;
  profileForm.elements.display_name.value = me.display_name;
  passwordForm.elements.username.value = me.username;
}

onSubmit(profileForm, async (event) => {
  event.preventDefault();
  const error = profileForm.querySelector(".form-error");
  say(error, "");
  const displayName = profileForm.elements.display_name.value.trim();
  if (!displayName) return say(error, "Enter a display name.");
  await busy(profileForm, async () => {
    try {
      showProfile(await api("PATCH", "/me", { body: { display_name: displayName } }));
      markFieldErrors(profileForm, {});
      notice("Display name saved.");
    } catch (err) {
      markFieldErrors(profileForm, err.fieldErrors);
      say(error, err.message);
    }
  });
});

onSubmit(passwordForm, async (event) => {
  event.preventDefault();
  const error = passwordForm.querySelector(".form-error");
  say(error, "");
  markFieldErrors(passwordForm, {});
  const current = passwordForm.elements.current_password.value;
  const next = passwordForm.elements.new_password.value;
  if (!current || !next) return say(error, "Enter your current password and a new one.");
  if (next !== passwordForm.elements.new_password2.value) {
    markFieldErrors(passwordForm, { new_password2: true });
    return say(error, "The two new passwords differ; type the same new password twice.");
  }
  await busy(passwordForm, async () => {
    try {
      const keep = passwordForm.elements.keep_personal_tokens.checked;
      await api("POST", "/me/password", { body: { current_password: current, new_password: next, keep_personal_tokens: keep } });
      passwordForm.reset();
      notice(`Password changed. Your other sessions were logged out${keep ? "; your personal tokens still work" : " and your personal tokens revoked"}.`);
    } catch (err) {
      if (err instanceof ApiError && err.status === 403) markFieldErrors(passwordForm, { current_password: true });
      else markFieldErrors(passwordForm, err.fieldErrors);
      say(error, err.message);
    }
  });
});

document.getElementById("revoke-all-tokens").addEventListener("click", async () => {
  const error = document.getElementById("revoke-tokens-error");
  say(error, "");
  if (!window.confirm("Revoke all your personal tokens? Every script using one stops working at once.")) return;
  try {
    await api("DELETE", "/tokens");
    notice("All your personal tokens were revoked.");
  } catch (err) {
    say(error, err.message);
  }
});

// --- Your days --------------------------------------------------------------------

const DAY_FIELDS = {
  timezone: "timezone-error",
  day_starts_at: "day-starts-at-error",
  forgotten_after_minutes: "forgotten-hours-error",
};

// The API counts minutes; the form asks for hours. (0.5 is this form's suggested floor, not the API's.)
const FORGOTTEN = limits.profile.forgotten_after_minutes;
const FORGOTTEN_RULE = `Enter a number of hours from 0.5 to ${hoursText(FORGOTTEN.max)}, e.g. 12.`;

function showFieldErrors(fieldErrors) {
  markFieldErrors(daysForm, fieldErrors);
  for (const [field, id] of Object.entries(DAY_FIELDS)) {
    const messages = fieldErrors[field];
    say(document.getElementById(id), messages ? [].concat(messages).join(" ") : "");
  }
}

/** "12" for 720 minutes, "1.5" for 90, "0.02" for 1. */
function hoursText(minutes) {
  return String(Math.round((minutes / 60) * 100) / 100);
}

function showDaySettings(me) {
  chooseZone(daysForm.elements.timezone, me.timezone);
  daysForm.elements.day_starts_at.value = me.day_starts_at;
  daysForm.elements.forgotten_after_minutes.value = hoursText(me.forgotten_after_minutes);
  document.getElementById("device-zone").textContent = browserTimeZone;
  const listed = [...daysForm.elements.timezone.options].some((option) => option.value === browserTimeZone);
  document.getElementById("use-device-zone").hidden = me.timezone === browserTimeZone || !listed;
}

document.getElementById("use-device-zone").addEventListener("click", () => {
  daysForm.elements.timezone.value = browserTimeZone;
  daysForm.elements.timezone.focus();
});

onSubmit(daysForm, async (event) => {
  event.preventDefault();
  const error = daysForm.querySelector(".form-error");
  say(error, "");
  const problems = {};
  const dayStarts = daysForm.elements.day_starts_at.value;
  if (!/^\d\d:\d\d$/.test(dayStarts)) problems.day_starts_at = "Enter a time of day, e.g. 04:00.";
  const hours = Number(daysForm.elements.forgotten_after_minutes.value.replace(",", "."));
  const minutes = Math.round(hours * 60);
  if (!daysForm.elements.forgotten_after_minutes.value || !Number.isFinite(hours) || minutes < FORGOTTEN.min || minutes > FORGOTTEN.max) {
    problems.forgotten_after_minutes = FORGOTTEN_RULE;
  }
  showFieldErrors(problems);
  if (Object.keys(problems).length) return say(error, "Check the fields marked above.");
  const body = { timezone: daysForm.elements.timezone.value, day_starts_at: dayStarts, forgotten_after_minutes: minutes };
  await busy(daysForm, async () => {
    try {
      const me = await api("PATCH", "/me", { body });
      showDaySettings(me);
      showDays(me);
      notice(`Day settings saved: ${me.timezone}, days start at ${me.day_starts_at}.`);
    } catch (err) {
      const fields = err.fieldErrors || {};
      if (fields.forgotten_after_minutes) fields.forgotten_after_minutes = [FORGOTTEN_RULE];
      showFieldErrors(fields);
      say(error, err.message);
    }
  });
});

// --- Export -----------------------------------------------------------------------

/** The server's file name with the days it holds: "lifelogger-export.csv" → "lifelogger-export-2026-03-01-to-2026-03-07.csv". */
function withDays(filename, days) {
  const dot = filename.lastIndexOf(".");
  return dot > 0 ? `${filename.slice(0, dot)}-${days}${filename.slice(dot)}` : `${filename}-${days}`;
}

onSubmit(exportForm, async (event) => {
  event.preventDefault();
  const error = exportForm.querySelector(".form-error");
  say(error, "");
  markFieldErrors(exportForm, {});
  const format = exportForm.elements.format.value;
  const fromText = exportForm.elements.from.value;
  const toText = exportForm.elements.to.value;
  const query = { format };
  let days = today();
  if (fromText || toText) {
    const from = parseDate(fromText);
    const to = parseDate(toText);
    if (!from || !to) {
      markFieldErrors(exportForm, from ? { to: true } : { from: true });
      return say(error, "Choose both a first and a last day, or leave both empty to export everything.");
    }
    if (to < from) {
      markFieldErrors(exportForm, { to: true });
      return say(error, "The last day is before the first day.");
    }
    query.start = toApiInstant(dayStart(from));
    query.end = toApiInstant(dayStart(addDays(to, 1)));
    days = `${from}-to-${to}`;
  }
  await busy(exportForm, async () => {
    try {
      const file = await api("GET", "/export", { query, as: "file" });
      const name = withDays(file.name, days);
      saveBlob(file, name);
      notice(`Export downloaded as ${name}.`);
    } catch (err) {
      say(error, err.message);
    }
  });
});

startPage(async (me) => {
  showProfile(me);
  showDaySettings(me);
  await showDevices();
});
