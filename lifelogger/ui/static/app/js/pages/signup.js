// Sign up: POST /auth/register, then log in with the same password (no login
// form to fill again) and go to the tracker.

import { api, setKeptSignedIn, setNotice, setToken } from "../api.js";
import { busy, markFieldErrors, onSubmit, say } from "../dom.js";
import { browserTimeZone } from "../format.js";

const form = document.getElementById("signup-form");
const error = document.getElementById("signup-error");
const FIELD_NAMES = { username: "Username", password: "Password", display_name: "Display name" };

form.elements.username.focus();

onSubmit(form, async (event) => {
  event.preventDefault();
  say(error, "");
  markFieldErrors(form, {});
  const username = form.elements.username.value.trim();
  const password = form.elements.password.value;
  const displayName = form.elements.display_name.value.trim();
  if (password !== form.elements.password2.value) {
    markFieldErrors(form, { password2: true });
    say(error, "The two passwords differ; type the same password twice.");
    return;
  }
  // Days, weeks and goals are counted in this zone; changeable on the Account page.
  const body = { username, password, timezone: browserTimeZone };
  if (displayName) body.display_name = displayName;
  await busy(form, async () => {
    try {
      try {
        await api("POST", "/auth/register", { body, auth: false });
      } catch (err) {
        // A zone this browser knows but the server's tz database does not: sign up in UTC.
        if (!(err.fieldErrors && err.fieldErrors.timezone)) throw err;
        delete body.timezone;
        await api("POST", "/auth/register", { body, auth: false });
      }
      const remember = form.elements.remember.checked;
      const session = await api("POST", "/auth/login", { body: { username, password, remember }, auth: false });
      setToken(session.token);
      setKeptSignedIn(remember);
      setNotice(`Welcome! Your account “${username.toLowerCase()}” is ready: tap a label to start timing.`);
      location.assign("/");
    } catch (err) {
      const fields = err.fieldErrors || {};
      markFieldErrors(form, fields);
      const details = Object.entries(fields).map(([name, messages]) => `${FIELD_NAMES[name] || name}: ${[].concat(messages).join(" ")}`);
      say(error, details.length ? details.join(" ") : err.message);
    }
  });
});
