// Sign up: POST /auth/register, then the login page with the username filled in.

import { api, setNotice } from "../api.js";
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
      setNotice(`Account “${username.toLowerCase()}” created. Log in with your new password.`);
      location.assign(`/login?username=${encodeURIComponent(username.toLowerCase())}`);
    } catch (err) {
      const fields = err.fieldErrors || {};
      markFieldErrors(form, fields);
      const details = Object.entries(fields).map(([name, messages]) => `${FIELD_NAMES[name] || name}: ${[].concat(messages).join(" ")}`);
      say(error, details.length ? details.join(" ") : err.message);
    }
  });
});
