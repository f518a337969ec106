// Account → Signed-in devices: the browsers kept signed in ("Keep me signed in
// on this device"), each with a Sign out button, and Sign out everywhere.

import { api, clearToken, setKeptSignedIn, setNotice } from "./api.js";
import { el, say } from "./dom.js";
import { formatDateTime } from "./format.js";

/** Wire the Account page's Sign out everywhere button and fill its device list. */
export async function showDevices() {
  const error = document.getElementById("devices-error");
  const everywhere = document.getElementById("sign-out-everywhere");
  everywhere.disabled = false;
  everywhere.addEventListener("click", async () => {
    if (!window.confirm("Sign out everywhere? Every browser and app signed in as you needs the password again, this one too.")) return;
    try {
      await api("POST", "/auth/logout-all");
      leave("You are signed out everywhere.");
    } catch (err) {
      say(error, err.message);
    }
  });
  await listDevices(error);
}

async function listDevices(error) {
  const { devices } = await api("GET", "/auth/devices");
  document.getElementById("no-devices").hidden = devices.length > 0;
  document.getElementById("device-list").replaceChildren(...devices.map((device) => deviceRow(device, error)));
}

function deviceRow(device, error) {
  const facts = [`last used ${formatDateTime(new Date(device.last_used_at))}`, `signed in ${formatDateTime(new Date(device.created_at))}`];
  return el(
    "li",
    { class: "pat-row", dataset: { id: device.id } },
    el(
      "div",
      { class: "row-main" },
      el("span", { class: "pat-name", text: device.name }),
      device.current ? el("span", { class: "scope this-device", text: "this device" }) : null,
      el(
        "div",
        { class: "row-actions" },
        el(
          "button",
          { type: "button", class: "button button-danger-quiet", "aria-label": `Sign out ${device.current ? "this device" : device.name}`, onclick: () => signOut(device, error) },
          "Sign out this device",
        ),
      ),
    ),
    el("p", { class: "pat-facts", text: facts.join(" · ") }),
  );
}

async function signOut(device, error) {
  try {
    await api("DELETE", `/auth/devices/${device.id}`);
  } catch (err) {
    say(error, err.message);
    return;
  }
  // This browser's own sign-in ended, and with it this tab's session.
  if (device.current) leave("This device is signed out.");
  else await listDevices(error).catch((err) => say(error, err.message));
}

function leave(message) {
  clearToken();
  setKeptSignedIn(false);
  setNotice(message);
  location.assign("/login");
}
