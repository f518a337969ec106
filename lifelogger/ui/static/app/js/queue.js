// Taps on Start and Stop, kept on this device until the server has them.
//
// A tap is written to IndexedDB at once, with the instant it happened, the
// signed-in username and its own Idempotency-Key, and only then sent. Sending
// goes oldest first and stops at the first tap that cannot be sent, so the
// server sees the taps in the order they were made:
//   - no answer (offline, server unreachable): the tap stays, and is sent again
//     when the browser is back online, every RETRY_MS, and on the next page load;
//   - 2xx, or the server replaying the answer to the same key: done, removed;
//   - 408, 429, 5xx: the server could not act now; the tap stays, sent later
//     (after its Retry-After, when that is sooner than RETRY_MS: an import of
//     this person's writing into the log answers 503 with Retry-After: 2);
//   - 401: the session ended and no new token could be had from the device
//     cookie (api.js, authorized); the taps stay, and the person is sent to log in;
//   - any other 4xx: the server refused the tap (e.g. nothing was running any
//     more, or it overlaps an event entered elsewhere): removed, and reported.
// Sending a tap again is safe: the server answers a key it has seen with the
// first answer instead of acting twice (lifelogger/api/idempotency.py). Only the
// signed-in person's taps are sent: another person logging in on the same
// browser leaves them waiting for their owner.

import { authorized, goToLogin } from "./api.js";
import { formatTime, toApiInstant } from "./format.js";

const DB_NAME = "lifelogger";
const STORE = "taps";
const PATHS = { start: "/events/start", stop: "/events/stop" };
const INSTANT_FIELDS = { start: "started_at", stop: "ended_at" };
// A tap sent this soon goes without its instant, so the server's clock says
// "now" and a device clock a little ahead cannot make it "in the future".
const PROMPT_MS = 2000;
export const RETRY_MS = 15000;

/** "outcome": a send round ended (detail below). */
export const queueEvents = new EventTarget();

// --- Storage: IndexedDB, or memory where a browser offers none --------------------

let database = null;

function openDatabase() {
  database ||= new Promise((resolve) => {
    let request;
    try {
      request = indexedDB.open(DB_NAME, 1);
    } catch {
      resolve(null);
      return;
    }
    request.onupgradeneeded = () => {
      const store = request.result.createObjectStore(STORE, { keyPath: "id", autoIncrement: true });
      store.createIndex("username", "username");
    };
    request.onsuccess = () => {
      const db = request.result;
      db.onversionchange = () => db.close();
      resolve(db);
    };
    // Private modes may refuse storage: taps then live as long as the page.
    request.onerror = () => resolve(null);
  });
  return database;
}

const memory = [];
let memoryId = 0;

/** Run one request on the store; resolves with its result once the transaction is committed. */
async function inStore(mode, work) {
  const db = await openDatabase();
  if (!db) return work(null).result;
  return new Promise((resolve, reject) => {
    // "strict": a tap is on disk, not only in a write cache, before the button reacts.
    const transaction = db.transaction(STORE, mode, { durability: "strict" });
    const request = work(transaction.objectStore(STORE));
    transaction.oncomplete = () => resolve(request.result);
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error);
  });
}

/** A random UUID (crypto.randomUUID needs HTTPS; getRandomValues works everywhere). */
function newKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Record a tap now: kind "start" (body {label, note?}) or "stop" (body {}).
 * Resolves with the stored tap once it is safely stored.
 */
export async function enqueue(username, kind, body = {}) {
  const tap = { username, kind, body, at: new Date().toISOString(), key: newKey() };
  tap.id = await inStore("readwrite", (store) => {
    if (store) return store.add(tap);
    memory.push({ ...tap, id: ++memoryId });
    return { result: memoryId };
  });
  return tap;
}

/** This person's waiting taps, oldest first. */
export async function waiting(username) {
  return inStore("readonly", (store) => {
    if (store) return store.index("username").getAll(IDBKeyRange.only(username));
    return { result: memory.filter((tap) => tap.username === username) };
  });
}

async function remove(tap) {
  await inStore("readwrite", (store) => {
    if (store) return store.delete(tap.id);
    memory.splice(memory.findIndex((kept) => kept.id === tap.id), 1);
    return { result: undefined };
  });
}

// --- Sending ------------------------------------------------------------------------------

/** Send one tap; says what became of it: sent, refused, unreachable, later or unauthorized. */
export async function send(tap) {
  const body = { ...tap.body };
  if (Date.now() - Date.parse(tap.at) > PROMPT_MS) body[INSTANT_FIELDS[tap.kind]] = toApiInstant(new Date(tap.at));
  let answer;
  try {
    answer = await authorized("POST", PATHS[tap.kind], { body, headers: { "Idempotency-Key": tap.key } });
  } catch {
    return { result: "unreachable" };
  }
  if (answer === null) return { result: "unauthorized" };
  const { response, data } = answer;
  const message = (data && data.message) || "";
  if (response.ok) return { result: "sent" };
  if (response.status === 401) return { result: "unauthorized" };
  if (response.status === 408 || response.status === 429 || response.status >= 500) {
    return { result: "later", message, retryAfterMs: parseRetryAfter(response.headers.get("Retry-After")) };
  }
  // The first send was applied but its stored answer is gone: applied all the same.
  if (response.status === 409 && message.startsWith("This action was already applied")) return { result: "sent" };
  return { result: "refused", status: response.status, message, errors: (data && data.errors) || {} };
}

/** Retry-After in milliseconds (its delta-seconds form), or null. */
function parseRetryAfter(value) {
  return value && /^\d+$/.test(value.trim()) ? Number(value) * 1000 : null;
}

let round = null;
let again = false;
let soon = null; // a round due after a Retry-After sooner than RETRY_MS

/**
 * Send this person's waiting taps, oldest first, one at a time (also across
 * tabs, where the browser has Web Locks). Resolves with the round's outcome:
 * {sent: [taps], problems: [{tap, status, message, errors}], reachable, later, retryAfterMs, unauthorized}, where
 * reachable is true (the server answered), false (it could not be reached) or
 * null (nothing was sent, so nobody knows).
 */
export function flush(username) {
  if (round) {
    again = true; // a tap added while a round runs is sent by the next round
    return round;
  }
  const rounds = async () => {
    let outcome;
    do {
      again = false;
      outcome = navigator.locks
        ? await navigator.locks.request("lifelogger.taps", () => drain(username))
        : await drain(username);
      queueEvents.dispatchEvent(new CustomEvent("outcome", { detail: outcome }));
    } while (again && outcome.reachable !== false && !outcome.unauthorized && !outcome.later);
    if (outcome.later && outcome.retryAfterMs !== null && outcome.retryAfterMs < RETRY_MS && soon === null) {
      soon = setTimeout(() => {
        soon = null;
        flush(username).catch((error) => console.warn("Sending waiting taps failed:", error));
      }, outcome.retryAfterMs);
    }
    return outcome;
  };
  round = rounds().finally(() => {
    round = null;
  });
  return round;
}

async function drain(username) {
  const outcome = { sent: [], problems: [], reachable: null, later: false, retryAfterMs: null, unauthorized: false };
  for (;;) {
    if (!navigator.onLine) {
      outcome.reachable = false; // the browser knows it is offline: do not even try
      break;
    }
    const [tap] = await waiting(username);
    if (!tap) break;
    const answer = await send(tap);
    outcome.reachable = answer.result !== "unreachable";
    if (answer.result === "unreachable") break;
    if (answer.result === "later") {
      outcome.later = true;
      outcome.retryAfterMs = answer.retryAfterMs;
      break;
    }
    if (answer.result === "unauthorized") {
      outcome.unauthorized = true;
      const count = (await waiting(username)).length;
      const changes = count === 1 ? "the change" : `the ${count} changes`;
      goToLogin(`Your session has expired or was ended. Log in again to send ${changes} made on this device.`);
      break;
    }
    await remove(tap);
    if (answer.result === "sent") outcome.sent.push(tap);
    else outcome.problems.push({ tap, status: answer.status, message: answer.message, errors: answer.errors });
  }
  return outcome;
}

let syncing = null;

/** Send the signed-in person's taps now, when the browser comes back online, and every RETRY_MS. */
export function startSync(username) {
  if (syncing === username) return;
  syncing = username;
  // A failure here (storage refused, say) is retried with the next round; nothing to show.
  const sendNow = () => flush(username).catch((error) => console.warn("Sending waiting taps failed:", error));
  window.addEventListener("online", sendNow);
  setInterval(() => {
    if (navigator.onLine) sendNow();
  }, RETRY_MS);
  sendNow();
}

/** A refused tap in words, e.g. "Your Stop at 10:05 was not saved: nothing was running any more." */
export function describeProblem({ tap, status, message, errors }) {
  const fields = (errors && errors.json) || {};
  const when = formatTime(new Date(tap.at));
  const what = tap.kind === "start" ? `start of “${tap.body.label}” at ${when}` : `Stop at ${when}`;
  let why = message || `the server answered ${status}.`;
  if (tap.kind === "stop" && status === 409) why = "nothing was running any more.";
  else if (status === 422 && fields.label) why = `there is no label “${tap.body.label}” any more.`;
  else if (status === 422 && /before the running/.test(message)) why = "something was started after it meanwhile (on another device or tab).";
  else if (status === 409 && /overlaps/.test(message)) why = `it overlaps an event entered meanwhile. ${message}`;
  return `Your ${what} was not saved: ${why}`;
}
